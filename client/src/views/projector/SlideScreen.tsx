/**
 * Projector `slide` mode: the page on stage, full screen (screen-size image, black bars around
 * it), and in a corner the speaker and the timer (amber in the last minute, red over time), which
 * the moderator can hide (`projector.overlay`). Without a deck it shows `fallback` (the queue).
 */
import type { ComponentType } from 'react';
import { SlideImage } from '../../components/SlideImage.tsx';
import { Timer } from '../../components/Timer.tsx';
import { useT } from '../../i18n/index.ts';
import { useStore } from '../../store/store.ts';
import './slide.css';

export function SlideScreen({ fallback: Fallback }: { fallback: ComponentType }) {
  const slide = useStore((s) => s.live!.stage.slide);
  const item = useStore((s) => s.live!.agenda.find((i) => i.id === s.live!.stage.slide?.itemId));
  const overlay = useStore((s) => s.live!.projector.overlay !== false);
  const t = useT();
  if (!slide || !item?.slides.base || item.slides.pageCount === 0) return <Fallback />;
  const { base, pageCount } = item.slides;
  const page = Math.min(Math.max(1, slide.page), pageCount);
  return (
    <div className="proj-slide-screen" data-testid="projector-slide">
      <SlideImage
        base={base}
        page={page}
        pageCount={pageCount}
        size="screen"
        alt={`${t('slides.alt', { page, count: pageCount })}${item.speaker ? ` — ${item.speaker}` : ''}`}
        className="proj-slide-image"
      />
      {overlay && <Overlay />}
    </div>
  );
}

function Overlay() {
  const item = useStore((s) => s.live!.agenda.find((i) => i.id === s.live!.stage.itemId));
  const timer = useStore((s) => s.live!.stage.timer);
  const t = useT();
  if (!item) return null;
  return (
    <aside className="proj-slide-overlay" data-testid="slide-overlay" aria-label={t('slides.overlayLabel')}>
      <p className="proj-slide-who">
        <bdi dir="auto">{item.speaker || item.delegation}</bdi>
        {item.speaker && item.delegation && (
          <span className="proj-slide-del">
            {' · '}
            <bdi dir="auto">{item.delegation}</bdi>
          </span>
        )}
      </p>
      <Timer timer={timer} className="proj-slide-timer" />
    </aside>
  );
}
