/**
 * A slide enlarged to the whole phone screen: pinch (or double-tap) to zoom, drag to move, Close
 * or Escape to go back. It follows the live page: when the speaker moves on, the new page shows
 * and the zoom resets. Pointer events, so it works with touch, pen and mouse alike.
 */
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { pageUrl } from '../../../shared/deck.ts';
import { useT } from '../i18n/index.ts';
import './slides.css';

interface View {
  scale: number;
  x: number;
  y: number;
}

const IDENTITY: View = { scale: 1, x: 0, y: 0 };
const MAX_SCALE = 5;

export interface SlideZoomProps {
  base: string;
  page: number;
  pageCount: number;
  onClose(): void;
}

export function SlideZoom({ base, page, pageCount, onClose }: SlideZoomProps) {
  const [view, setView] = useState<View>(IDENTITY);
  const t = useT();
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<{ dist: number; mid: { x: number; y: number }; start: View } | null>(null);
  const lastTap = useRef(0);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => setView(IDENTITY), [page, base]);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      window.removeEventListener('keydown', onKey);
      document.body.style.overflow = overflow;
    };
  }, [onClose]);

  const points = () => [...pointers.current.values()];
  const startPinch = () => {
    const [a, b] = points();
    if (!a || !b) return;
    gesture.current = {
      dist: Math.hypot(a.x - b.x, a.y - b.y) || 1,
      mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      start: view,
    };
  };

  function onDown(e: ReactPointerEvent<HTMLDivElement>) {
    e.currentTarget.setPointerCapture(e.pointerId);
    pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.current.size === 2) startPinch();
    else if (pointers.current.size === 1) {
      const now = performance.now();
      if (now - lastTap.current < 300) setView((v) => (v.scale > 1 ? IDENTITY : { scale: 2.5, x: 0, y: 0 }));
      lastTap.current = now;
      gesture.current = null;
    }
  }

  function onMove(e: ReactPointerEvent<HTMLDivElement>) {
    const prev = pointers.current.get(e.pointerId);
    if (!prev) return;
    const next = { x: e.clientX, y: e.clientY };
    pointers.current.set(e.pointerId, next);
    const g = gesture.current;
    if (pointers.current.size >= 2 && g) {
      const [a, b] = points();
      const dist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      const mid = { x: (a!.x + b!.x) / 2, y: (a!.y + b!.y) / 2 };
      const scale = Math.min(MAX_SCALE, Math.max(1, (g.start.scale * dist) / g.dist));
      setView({ scale, x: g.start.x + (mid.x - g.mid.x), y: g.start.y + (mid.y - g.mid.y) });
    } else if (pointers.current.size === 1) {
      setView((v) => (v.scale > 1 ? { ...v, x: v.x + next.x - prev.x, y: v.y + next.y - prev.y } : v));
    }
  }

  function onUp(e: ReactPointerEvent<HTMLDivElement>) {
    pointers.current.delete(e.pointerId);
    if (pointers.current.size === 2) startPinch();
    else gesture.current = null;
  }

  return (
    <div className="slide-zoom" role="dialog" aria-modal="true" aria-label={t('slides.enlarged', { page, count: pageCount })} data-testid="slide-zoom">
      <div className="slide-zoom-bar">
        <span className="slide-zoom-page" dir="ltr">
          {page} / {pageCount}
        </span>
        <button ref={closeRef} type="button" className="btn" onClick={onClose} data-testid="slide-zoom-close">
          {t('common.close')}
        </button>
      </div>
      <div className="slide-zoom-stage" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={onUp}>
        <img
          className="slide-zoom-img"
          src={pageUrl(base, page, 'phone')}
          alt={t('slides.alt', { page, count: pageCount })}
          draggable={false}
          style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}
        />
      </div>
      <p className="slide-zoom-hint">{t('slides.pinch')}</p>
    </div>
  );
}
