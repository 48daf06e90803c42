/**
 * The speaker view (confidence monitor) on the podium laptop, opened from `/s/<eventId>#k=<key>`
 * with the moderator's key: the current page large, the next one beside it, the timer big with
 * its last-minute and over-time warnings. Arrow keys, PageUp/PageDown and Space move the slides,
 * so a presentation clicker (which sends those keys) works.
 */
import { useEffect } from 'react';
import { formatClock, elapsedMs, timerTone } from '../../../../shared/time.ts';
import { ConnDot } from '../../components/Conn.tsx';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { SlideImage } from '../../components/SlideImage.tsx';
import { Timer } from '../../components/Timer.tsx';
import { useServerNow } from '../../components/useNow.ts';
import { useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect } from '../../net/socket.ts';
import { fragmentKey } from '../../router.ts';
import { FLOOR_CHANNEL } from '../../../../shared/audio.ts';
import { AudioStrip } from '../interpreter/AudioStrip.tsx';
import { currentSlide, gotoSlide, stepSlide } from '../../store/slides.ts';
import { useStore } from '../../store/store.ts';
import './speaker.css';

const NEXT_KEYS = new Set(['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Spacebar', 'Enter', 'n', 'N']);
const PREV_KEYS = new Set(['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace', 'p', 'P']);

/** Keys a focused control needs for itself (a button's Space/Enter), which a clicker never sends to one. */
function ownKey(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)) return true;
  return (el.tagName === 'BUTTON' || el.tagName === 'A') && (e.key === ' ' || e.key === 'Enter');
}

function onKey(e: KeyboardEvent) {
  if (e.altKey || e.ctrlKey || e.metaKey || ownKey(e)) return;
  if (NEXT_KEYS.has(e.key)) void stepSlide(1);
  else if (PREV_KEYS.has(e.key)) void stepSlide(-1);
  else if (e.key === 'Home') void gotoSlide(1);
  else if (e.key === 'End') {
    const now = currentSlide();
    if (now && now.pageCount > 0) void gotoSlide(now.pageCount);
  } else return;
  e.preventDefault();
}

export default function Speaker({ eventId }: { eventId: string }) {
  const token = fragmentKey();
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const ready = useStore((s) => s.live !== null);
  const speaker = useStore((s) => {
    const item = s.live?.agenda.find((i) => i.id === s.live?.stage.itemId);
    return item ? item.speaker || item.delegation : null;
  });
  const t = useT();
  useDocumentTitle(t('slides.speakerTitle'), speaker);
  useEffect(() => void applyReaderUiLanguage(), []);

  useEffect(() => {
    if (!token) return;
    connect({ eventId, token });
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      disconnect();
    };
  }, [eventId, token]);

  if (!token || refused) return <KeyProblem code={token ? refused : 'AUTH_FAILED'} role="moderator" />;
  return (
    <div className="spk theme-stage">
      <header className="spk-top">
        <h1 className="spk-title">
          <span className="spk-brand">{t('slides.speakerTitle')}</span>
          {speaker && (
            <>
              <span aria-hidden="true"> · </span>
              <bdi dir="auto" data-testid="speaker-name">
                {speaker}
              </bdi>
            </>
          )}
        </h1>
        <p className="spk-keys">{t('slides.speakerKeys')}</p>
        <ConnDot showLabel />
      </header>
      {ready ? <Body /> : <p className="spk-wait">{t('common.connecting')}</p>}
      {ready && <AudioStrip eventId={eventId} lang={FLOOR_CHANNEL} token={token} heading={t('ia.floorHeading')} blurAfterClick />}
    </div>
  );
}

function Body() {
  const slide = useStore((s) => s.live!.stage.slide);
  const deck = useStore((s) => s.live!.agenda.find((i) => i.id === s.live!.stage.slide?.itemId)?.slides);
  const onStage = useStore((s) => s.live!.stage.itemId !== null);
  const outcome = useStore((s) => (s.outcome?.kind === 'error' ? s.outcome.text : null));
  const pageCount = deck?.pageCount ?? 0;
  const page = slide ? (pageCount > 0 ? Math.min(slide.page, pageCount) : slide.page) : null;
  const base = deck?.base ?? null;
  const t = useT();

  return (
    <main className="spk-body">
      <section className="spk-current" aria-label={t('slides.current')}>
        {base && page !== null && pageCount > 0 ? (
          <SlideImage base={base} page={page} pageCount={pageCount} size="screen" alt={t('slides.alt', { page, count: pageCount })} testId="speaker-current" />
        ) : (
          <p className="spk-empty">{onStage ? t('slides.noDeckOnStage') : t('slides.nobodyOnStage')}</p>
        )}
      </section>
      <aside className="spk-side">
        <section className="spk-next" aria-label={t('mod.nextSlide')}>
          <h2 className="spk-h">{t('slides.nextHeading')}</h2>
          {base && page !== null && page < pageCount ? (
            <SlideImage base={base} page={page + 1} pageCount={pageCount} size="phone" alt={t('slides.slideN', { n: page + 1 })} testId="speaker-next" />
          ) : (
            <p className="spk-next-end">{pageCount > 0 && page === pageCount ? t('slides.endOfDeck') : '—'}</p>
          )}
        </section>
        <Clock />
        <div className="spk-nav">
          <button
            type="button"
            className="btn spk-btn"
            aria-label={t('mod.prevSlide')}
            data-testid="speaker-prev"
            onClick={(e) => {
              e.currentTarget.blur(); // a clicker's Space must not press this button again
              void stepSlide(-1);
            }}
          >
            <span className="flip-rtl" aria-hidden="true">
            ◀
          </span>
          </button>
          <p className="spk-page" data-testid="speaker-page" aria-live="polite" dir="ltr">
            {page === null ? t('mod.noSlide') : `${page}${pageCount > 0 ? ` / ${pageCount}` : ''}`}
          </p>
          <button
            type="button"
            className="btn spk-btn"
            aria-label={t('mod.nextSlide')}
            data-testid="speaker-next-button"
            onClick={(e) => {
              e.currentTarget.blur();
              void stepSlide(1);
            }}
          >
            <span className="flip-rtl" aria-hidden="true">
            ▶
          </span>
          </button>
        </div>
        {outcome && (
          <p className="spk-refused" role="status">
            {outcome}
          </p>
        )}
      </aside>
    </main>
  );
}

function Clock() {
  const timer = useStore((s) => s.live!.stage.timer);
  const onStage = useStore((s) => s.live!.stage.itemId !== null);
  const now = useServerNow(500, timer.running);
  const t = useT();
  if (!onStage) return null;
  const tone = timerTone(timer, now);
  const left = timer.plannedMs - elapsedMs(timer, now);
  return (
    <section className={`spk-clock tone-${tone}`} aria-label={t('int.time')}>
      <Timer timer={timer} className="spk-timer" />
      {tone === 'over' && (
        <p className="spk-warn spk-warn-over" data-testid="speaker-overtime">
          <span aria-hidden="true">⚠ </span>{t('slides.overBy', { time: formatClock(-left).replace(/^-/, '') })}
        </p>
      )}
      {tone === 'lastMinute' && (
        <p className="spk-warn spk-warn-last">
          <span aria-hidden="true">◔ </span>{t('slides.lastMinute', { time: formatClock(left) })}
        </p>
      )}
    </section>
  );
}
