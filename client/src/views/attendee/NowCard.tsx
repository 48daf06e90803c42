/** NOW: who speaks, for whom, on what; the timer and the slide page; the phase otherwise. */
import { Timer } from '../../components/Timer.tsx';
import { phaseLabel, upcoming } from '../../lib/agenda.ts';
import { useStore } from '../../store/store.ts';

const phaseNotes = {
  waiting: 'The debate will start soon.',
  qa: 'Questions from the room.',
  break: 'A short break — the debate resumes soon.',
  ended: 'The debate has ended. Thank you for following!',
} as const;

export function NowCard() {
  const phase = useStore((s) => s.live?.stage.phase);
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const timer = useStore((s) => s.live?.stage.timer);
  const page = useStore((s) => s.live?.stage.slide?.page ?? null);
  const first = useStore((s) => (s.live && !s.live.stage.itemId ? upcoming(s.live.agenda, s.live.stage.itemId, 1)[0] : undefined));
  if (!phase || !timer) return null;

  const showItem = item && phase !== 'ended';
  return (
    <section className="now" aria-labelledby="now-label">
      <div className="now-top">
        <h2 id="now-label" className="now-label">
          Now
        </h2>
        {phase !== 'speaking' && (
          <span className={`phase-badge phase-${phase}`} data-testid="phase">
            {phaseLabel[phase]}
          </span>
        )}
      </div>
      {showItem ? (
        <>
          <p className="now-speaker" data-testid="now-speaker" dir="auto" lang={item.language}>
            {item.speaker || item.delegation}
          </p>
          {item.speaker && item.delegation && (
            <p className="now-delegation" data-testid="now-delegation" dir="auto">
              {item.delegation}
            </p>
          )}
          {item.title && (
            <p className="now-title" dir="auto" lang={item.language}>
              {item.title}
            </p>
          )}
          <div className="now-meta">
            <Timer timer={timer} className="now-timer" />
            {page !== null && (
              <span className="now-slide" data-testid="slide-page" dir="ltr">
                slide {page}
              </span>
            )}
          </div>
          {phase !== 'speaking' && <p className="now-note">{phaseNotes[phase]}</p>}
        </>
      ) : (
        <>
          <p className="now-phase">{phaseNotes[phase === 'speaking' ? 'waiting' : phase]}</p>
          {first && phase !== 'ended' && (
            <p className="now-first">
              First: <bdi dir="auto">{first.speaker || first.delegation}</bdi>
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
  const who = useStore((s) => {
    const item = s.live?.agenda.find((i) => i.id === s.live?.stage.itemId);
    return item ? `Now speaking: ${item.speaker || item.delegation}${item.delegation ? `, ${item.delegation}` : ''}` : '';
  });
  return (
    <p className="visually-hidden" aria-live="polite">
      {who}
    </p>
  );
}
