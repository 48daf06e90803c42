/**
 * The slide on stage, on the phone: the page image sized for phones, under NOW. Tap to enlarge
 * (pinch to zoom there). Only the page on stage and the next one are ever fetched.
 */
import { lazy, Suspense, useCallback, useState } from 'react';
import { SlideImage } from '../../components/SlideImage.tsx';
import { useT } from '../../i18n/index.ts';
import { useStore } from '../../store/store.ts';

/** Loaded at the first tap on a slide. */
const SlideZoom = lazy(() => import('../../components/SlideZoom.tsx').then((m) => ({ default: m.SlideZoom })));

export function PhoneSlide() {
  const slide = useStore((s) => (s.live?.stage.phase === 'ended' ? null : s.live?.stage.slide));
  const base = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.slide?.itemId)?.slides.base ?? null);
  const pageCount = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.slide?.itemId)?.slides.pageCount ?? 0);
  const [zoomed, setZoomed] = useState(false);
  const close = useCallback(() => setZoomed(false), []);
  const t = useT();
  if (!slide || !base || pageCount === 0) return null;
  const page = Math.min(Math.max(1, slide.page), pageCount);
  const alt = t('slides.alt', { page, count: pageCount });
  return (
    <section className="phone-slide" aria-label={t('slides.slide')}>
      <SlideImage base={base} page={page} pageCount={pageCount} size="phone" alt={alt} onActivate={() => setZoomed(true)} actionLabel={t('slides.enlarge')} />
      <p className="phone-slide-caption">
        <span dir="ltr" data-testid="phone-slide-page">
          {page} / {pageCount}
        </span>
        <span aria-hidden="true">{t('slides.tapToEnlarge')}</span>
      </p>
      {zoomed && (
        <Suspense fallback={null}>
          <SlideZoom base={base} page={page} pageCount={pageCount} onClose={close} />
        </Suspense>
      )}
    </section>
  );
}
