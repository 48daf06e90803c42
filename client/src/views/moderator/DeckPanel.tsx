/**
 * Slides on the moderator's tablet: previous / next and the page number, a strip of page
 * thumbnails to jump to (phone-size images, loaded as they scroll into view), the projector
 * overlay switch, the speaker view link, and every item's deck upload.
 */
import { useEffect, useRef, useState } from 'react';
import { pageUrl } from '../../../../shared/deck.ts';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { DeckUpload } from '../../components/DeckUpload.tsx';
import { useT } from '../../i18n/index.ts';
import { shownSlidePage } from '../../lib/agenda.ts';
import { fragmentKey } from '../../router.ts';
import { gotoSlide, setProjectorOverlay, stepSlide } from '../../store/slides.ts';
import { useStore } from '../../store/store.ts';
import { SegButton } from './SegGroup.tsx';
import { usePageDir, whoClass } from '../../components/who.ts';
import './deck.css';

const usePending = (prefix: string) => useStore((s) => Object.keys(s.pending).some((k) => k === prefix || k.startsWith(`${prefix}:`)));

export function DeckPanel() {
  const slide = useStore((s) => s.live?.stage.slide ?? null);
  const shown = useStore((s) => shownSlidePage(s.live));
  const deck = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.slide?.itemId)?.slides);
  const busy = usePending('slide');
  const pageCount = deck?.pageCount ?? 0;
  const cls = `btn mod-slide-btn${busy ? ' is-pending' : ''}`;
  const t = useT();
  return (
    <div className="mod-group mod-deck">
      <h2 className="mod-h">{t('mod.slides')}</h2>
      <div className="mod-row mod-slides">
        <button type="button" className={cls} data-testid="slide-prev" aria-label={t('mod.prevSlide')} onClick={() => void stepSlide(-1)}>
          <span className="flip-rtl" aria-hidden="true">
            ◀
          </span>
        </button>
        <span className="mod-slide-page" data-testid="slide-page" aria-live="polite">
          {shown !== null ? `${t('common.slideN', { n: shown })}${pageCount > 0 ? ` / ${pageCount}` : ''}` : slide ? t('slides.noDeck') : t('mod.noSlide')}
        </span>
        <button type="button" className={cls} data-testid="slide-next" aria-label={t('mod.nextSlide')} onClick={() => void stepSlide(1)}>
          <span className="flip-rtl" aria-hidden="true">
            ▶
          </span>
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
  const t = useT();
  return (
    <ol ref={list} className="mod-thumbs" aria-label={t('slides.pagesHint')}>
      {Array.from({ length: pageCount }, (_, i) => i + 1).map((n) => (
        <li key={n}>
          <button
            type="button"
            className="mod-thumb"
            aria-current={n === current ? 'true' : undefined}
            aria-label={t('slides.showN', { n })}
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
  const t = useT();
  return (
    <div className="mod-row mod-deck-links">
      <SegButton pressed={overlay} pending={busy} data-testid="overlay-toggle" onClick={() => void setProjectorOverlay(!overlay)}>
        {t('slides.overlay')}
      </SegButton>
      {eventId && token && (
        <a className="btn" href={`/s/${encodeURIComponent(eventId)}#k=${encodeURIComponent(token)}`} target="_blank" rel="noopener" data-testid="speaker-view-link">
          {t('slides.speakerView')}
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
  const t = useT();
  const page = usePageDir();
  if (!agenda || !eventId || !token) return null;
  const withDeck = agenda.filter((i) => i.slides.pageCount > 0).length;
  return (
    <details className="mod-decks" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="mod-decks-summary" data-testid="decks-summary">
        {t('slides.decks', { n: withDeck, total: agenda.length })}
      </summary>
      <ul className="mod-decks-list">
        {agenda.map((item) => (
          <li key={item.id} className={item.id === stageId ? 'is-live' : undefined}>
            <p className={`mod-decks-who ${whoClass(page, item.speaker || item.delegation || item.title, item.title)}`}>
              <span>
                <bdi dir="auto">{item.speaker || item.delegation || item.title || item.id}</bdi>
                {(item.speaker || item.delegation) && item.title && ' — '}
              </span>
              {(item.speaker || item.delegation) && item.title && <bdi dir="auto">{item.title}</bdi>}
              {item.id === stageId && <span className="badge badge-live"> {t('mod.onStageBadge')}</span>}
            </p>
            <DeckUpload eventId={eventId} token={token} itemId={item.id} itemLabel={label(item)} pageCount={item.slides.pageCount} />
          </li>
        ))}
      </ul>
    </details>
  );
}
