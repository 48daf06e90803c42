/**
 * Slides on the moderator's tablet: previous / next and the page number, a strip of page
 * thumbnails to jump to (phone-size images, loaded as they scroll into view), the projector
 * overlay switch, the speaker view link, and every item's deck upload.
 */
import { useEffect, useRef, useState } from 'react';
import { pageUrl } from '../../../../shared/deck.ts';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { DeckUpload } from '../../components/DeckUpload.tsx';
import { fragmentKey } from '../../router.ts';
import { gotoSlide, setProjectorOverlay, stepSlide } from '../../store/slides.ts';
import { useStore } from '../../store/store.ts';
import './deck.css';

const usePending = (prefix: string) => useStore((s) => Object.keys(s.pending).some((k) => k === prefix || k.startsWith(`${prefix}:`)));

export function DeckPanel() {
  const slide = useStore((s) => s.live?.stage.slide ?? null);
  const deck = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.slide?.itemId)?.slides);
  const busy = usePending('slide');
  const pageCount = deck?.pageCount ?? 0;
  const cls = `btn mod-slide-btn${busy ? ' is-pending' : ''}`;
  return (
    <div className="mod-group mod-deck">
      <h2 className="mod-h">Slides</h2>
      <div className="mod-row mod-slides">
        <button type="button" className={cls} data-testid="slide-prev" aria-label="Previous slide" onClick={() => void stepSlide(-1)}>
          ◀
        </button>
        <span className="mod-slide-page" data-testid="slide-page" aria-live="polite">
          {slide ? `slide ${slide.page}${pageCount > 0 ? ` / ${pageCount}` : ''}` : 'no slide'}
        </span>
        <button type="button" className={cls} data-testid="slide-next" aria-label="Next slide" onClick={() => void stepSlide(1)}>
          ▶
        </button>
      </div>
      {slide && deck?.base && pageCount > 0 && <Thumbnails base={deck.base} pageCount={pageCount} current={slide.page} />}
      <ProjectorAndSpeaker />
      <Decks />
    </div>
  );
}

function Thumbnails({ base, pageCount, current }: { base: string; pageCount: number; current: number }) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [current, base]);
  return (
    <ol ref={list} className="mod-thumbs" aria-label="Pages: tap one to show it">
      {Array.from({ length: pageCount }, (_, i) => i + 1).map((n) => (
        <li key={n}>
          <button
            type="button"
            className="mod-thumb"
            aria-current={n === current ? 'true' : undefined}
            aria-label={`Show slide ${n}`}
            data-testid={`thumb-${n}`}
            onClick={() => void gotoSlide(n)}
          >
            <img src={pageUrl(base, n, 'phone')} alt="" loading="lazy" decoding="async" width={160} height={90} />
            <span className="mod-thumb-n">{n}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function ProjectorAndSpeaker() {
  const overlay = useStore((s) => s.live?.projector.overlay !== false);
  const eventId = useStore((s) => s.live?.event.id);
  const busy = usePending('overlay');
  const token = fragmentKey();
  return (
    <div className="mod-row mod-deck-links">
      <button
        type="button"
        className={`btn mod-seg-btn${busy ? ' is-pending' : ''}`}
        aria-pressed={overlay}
        data-testid="overlay-toggle"
        onClick={() => void setProjectorOverlay(!overlay)}
      >
        {overlay && <span aria-hidden="true">✓ </span>}
        Speaker &amp; timer on the projected slide
      </button>
      {eventId && token && (
        <a className="btn" href={`/s/${encodeURIComponent(eventId)}#k=${encodeURIComponent(token)}`} target="_blank" rel="noopener" data-testid="speaker-view-link">
          Speaker view ↗
        </a>
      )}
    </div>
  );
}

const label = (i: AgendaItem) => [i.speaker || i.delegation, i.title].filter(Boolean).join(' — ') || i.id;

function Decks() {
  const agenda = useStore((s) => s.live?.agenda);
  const eventId = useStore((s) => s.live?.event.id);
  const stageId = useStore((s) => s.live?.stage.itemId);
  const token = fragmentKey();
  // Open at first while there is nothing to show; afterwards it stays as the moderator leaves it.
  const [open, setOpen] = useState(() => !agenda?.some((i) => i.slides.pageCount > 0));
  if (!agenda || !eventId || !token) return null;
  const withDeck = agenda.filter((i) => i.slides.pageCount > 0).length;
  return (
    <details className="mod-decks" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="mod-decks-summary" data-testid="decks-summary">
        Decks — {withDeck} of {agenda.length} item{agenda.length === 1 ? '' : 's'} {withDeck === 1 ? 'has' : 'have'} one
      </summary>
      <ul className="mod-decks-list">
        {agenda.map((item) => (
          <li key={item.id} className={item.id === stageId ? 'is-live' : undefined}>
            <p className="mod-decks-who">
              <bdi dir="auto">{label(item)}</bdi>
              {item.id === stageId && <span className="badge badge-live"> ● On stage</span>}
            </p>
            <DeckUpload eventId={eventId} token={token} itemId={item.id} itemLabel={label(item)} pageCount={item.slides.pageCount} />
          </li>
        ))}
      </ul>
    </details>
  );
}
