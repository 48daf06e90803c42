/**
 * NOW, compact so the captions keep the largest area: the timer and the slide page beside the
 * label, who speaks for whom on one line, the title below; the phase otherwise.
 */
import { Timer } from '../../components/Timer.tsx';
import { useT, type MessageKey } from '../../i18n/index.ts';
import { shownSlidePage, upcoming, usePhaseLabel } from '../../lib/agenda.ts';
import { useStore } from '../../store/store.ts';

const phaseNotes = {
  waiting: 'now.waiting',
  qa: 'now.qa',
  break: 'now.break',
  ended: 'now.ended',
} as const satisfies Record<string, MessageKey>;

export function NowCard() {
  const t = useT();
  const phaseLabel = usePhaseLabel();
  const phase = useStore((s) => s.live?.stage.phase);
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const timer = useStore((s) => s.live?.stage.timer);
  const page = useStore((s) => shownSlidePage(s.live));
  const first = useStore((s) => (s.live && !s.live.stage.itemId ? upcoming(s.live.agenda, s.live.stage.itemId, 1)[0] : undefined));
  if (!phase || !timer) return null;

  const showItem = item && phase !== 'ended';
  return (
    <section className="now" aria-labelledby="now-label">
      {/* One line for the label, the phase, the timer and the slide; then who, then the title. */}
      <div className="now-top">
        <h2 id="now-label" className="now-label">
          {t('now.label')}
        </h2>
        {phase !== 'speaking' && (
          <span className={`phase-badge phase-${phase}`} data-testid="phase">
            {phaseLabel[phase]}
          </span>
        )}
        {showItem && (
          <div className="now-meta">
            <Timer timer={timer} className="now-timer" />
            {page !== null && (
              <span className="now-slide" data-testid="slide-page" dir="ltr">
                {t('common.slideN', { n: page })}
              </span>
            )}
          </div>
        )}
      </div>
      {showItem ? (
        <>
          {/* The line takes the speaker's direction; the delegation is isolated after it. */}
          <p className="now-who" dir="auto">
            <span className="now-speaker" data-testid="now-speaker" lang={item.language}>
              {item.speaker || item.delegation}
            </span>
            {item.speaker && item.delegation && (
              <>
                <span aria-hidden="true"> · </span>
                <bdi className="now-delegation" data-testid="now-delegation" dir="auto">
                  {item.delegation}
                </bdi>
              </>
            )}
          </p>
          {item.title && (
            <p className="now-title" dir="auto" lang={item.language}>
              {item.title}
            </p>
          )}
          {phase !== 'speaking' && <p className="now-note">{t(phaseNotes[phase])}</p>}
        </>
      ) : (
        <>
          <p className="now-phase">{t(phaseNotes[phase === 'speaking' ? 'waiting' : phase])}</p>
          {first && phase !== 'ended' && (
            <p className="now-first">
              {t('now.first')} <bdi dir="auto">{first.speaker || first.delegation}</bdi>
              {first.speaker && first.delegation && (
                <>
                  {' · '}
                  <bdi dir="auto">{first.delegation}</bdi>
                </>
              )}
            </p>
          )}
        </>
      )}
      <SpeakerAnnouncer />
    </section>
  );
}

/** Tells screen readers when the speaker changes (the timer itself stays silent). */
function SpeakerAnnouncer() {
  const t = useT();
  const who = useStore((s) => {
    const item = s.live?.agenda.find((i) => i.id === s.live?.stage.itemId);
    return item ? `${item.speaker || item.delegation}${item.delegation ? `, ${item.delegation}` : ''}` : '';
  });
  return (
    <p className="visually-hidden" aria-live="polite">
      {who ? t('now.speaking', { who }) : ''}
    </p>
  );
}
