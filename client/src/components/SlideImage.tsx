/**
 * One page of a deck, as an image of the size this screen needs (`phone` or `screen`). The image
 * shown stays until the next one has loaded (no blank flash between pages), and once a page is
 * shown only the *next* page is fetched ahead — never the whole deck. Page images are immutable
 * (their URL names the deck's content), so the browser's cache does the rest.
 */
import { useEffect, useState } from 'react';
import { pageUrl, type PageSize } from '../../../shared/deck.ts';
import { useT } from '../i18n/index.ts';
import './slides.css';

export interface SlideImageProps {
  base: string;
  page: number;
  pageCount: number;
  size: PageSize;
  alt: string;
  className?: string;
  /** Fetch page + 1 once this page is shown (default true). */
  prefetchNext?: boolean;
  /** Makes the image a button (e.g. "enlarge"), labelled by `actionLabel`. */
  onActivate?: () => void;
  actionLabel?: string;
  testId?: string;
}

interface Shown {
  src: string;
  page: number;
  width: number;
  height: number;
}

/** The last few prefetches, kept referenced so no request is dropped with its object. */
const ahead = new Map<string, HTMLImageElement>();

function prefetch(src: string) {
  if (ahead.has(src)) return;
  const img = new Image();
  img.decoding = 'async';
  img.src = src;
  ahead.set(src, img);
  if (ahead.size > 4) ahead.delete(ahead.keys().next().value!);
}

const RETRY_MS = [1000, 3000, 8000];

export function SlideImage({
  base,
  page,
  pageCount,
  size,
  alt,
  className,
  prefetchNext = true,
  onActivate,
  actionLabel,
  testId = 'slide-image',
}: SlideImageProps) {
  const src = pageUrl(base, page, size);
  const [shown, setShown] = useState<Shown | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const t = useT();

  useEffect(() => setAttempt(0), [src]);

  useEffect(() => {
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setFailed(false);
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (cancelled) return;
      setShown({ src, page, width: img.naturalWidth, height: img.naturalHeight });
      if (prefetchNext && page < pageCount) prefetch(pageUrl(base, page + 1, size));
    };
    img.onerror = () => {
      if (cancelled) return;
      setFailed(true);
      // Venue Wi-Fi drops packets: try again a few times, then leave the message up.
      const wait = RETRY_MS[attempt];
      if (wait !== undefined) retry = setTimeout(() => setAttempt((a) => a + 1), wait);
    };
    img.src = src;
    return () => {
      cancelled = true;
      clearTimeout(retry);
    };
  }, [src, attempt, base, page, pageCount, size, prefetchNext]);

  const loading = shown?.src !== src;
  const picture = shown ? (
    <img className="slide-img" src={shown.src} width={shown.width} height={shown.height} alt={alt} draggable={false} />
  ) : (
    <span className="slide-img-wait" role="img" aria-label={alt}>
      {failed ? t('slides.loadFailed') : t('slides.loading')}
    </span>
  );
  return (
    <div
      className={`slide-image${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-page={shown?.page ?? ''}
      data-loading={loading || undefined}
    >
      {onActivate ? (
        <button type="button" className="slide-image-btn" onClick={onActivate} aria-label={actionLabel ? `${actionLabel}: ${alt}` : alt}>
          {picture}
        </button>
      ) : (
        picture
      )}
      {failed && shown && loading && (
        <p className="slide-img-note" role="status">
          {t('slides.stillLoading', { n: page })}
        </p>
      )}
    </div>
  );
}
