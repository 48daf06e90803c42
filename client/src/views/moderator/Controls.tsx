/**
 * The moderator's controls. The dock (timer, Next, outcome) is pinned on screen when the
 * layout stacks (portrait, large text); the rest follows.
 */
import type { Phase, ProjectorMode } from '../../../../shared/schemas.ts';
import { Timer } from '../../components/Timer.tsx';
import { phaseLabel, upcoming } from '../../lib/agenda.ts';
import { run } from '../../store/commands.ts';
import { useStore } from '../../store/store.ts';

const usePending = (key: string) => useStore((s) => (s.pending[key] ?? 0) > 0);

export function OnStage() {
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const phase = useStore((s) => s.live?.stage.phase);
  return (
    <section className="mod-card mod-stage" aria-label="On stage">
      <p className="mod-stage-label">
        On stage
        {phase && phase !== 'speaking' && <span className="phase-chip"> · {phaseLabel[phase]}</span>}
      </p>
      {item ? (
        <>
          <p className="mod-stage-speaker" data-testid="now-speaker" dir="auto" lang={item.language}>
            {item.speaker || item.delegation}
          </p>
          <p className="mod-stage-sub">
            {item.speaker && item.delegation && (
              <bdi dir="auto" data-testid="now-delegation">
                {item.delegation}
              </bdi>
            )}
            {item.title && (
              <>
                {item.speaker && item.delegation && ' — '}
                <bdi dir="auto">{item.title}</bdi>
              </>
            )}
          </p>
        </>
      ) : (
        <p className="mod-stage-speaker mod-stage-empty">Nobody yet</p>
      )}
    </section>
  );
}

function NextButton() {
  const next = useStore((s) => (s.live ? upcoming(s.live.agenda, s.live.stage.itemId, 1)[0] : undefined));
  const busy = usePending('next');
  return (
    <button
      type="button"
      className={`btn btn-primary mod-next${busy ? ' is-pending' : ''}`}
      data-testid="next-button"
      aria-busy={busy || undefined}
      onClick={() => void run('next', 'Next speaker', 'agenda:next', {}, { optimistic: next ? { itemId: next.id } : {} })}
    >
      <span className="mod-next-label">{busy ? 'Going…' : 'Next ▶'}</span>
      <span className="mod-next-who">
        {next ? <bdi dir="auto">{next.speaker || next.delegation}</bdi> : 'nothing planned after this'}
      </span>
    </button>
  );
}

export function TimerControls() {
  const timer = useStore((s) => s.live?.stage.timer);
  const runBusy = usePending('timer:run');
  const resetBusy = usePending('timer:reset');
  const extendBusy = usePending('timer:extend');
  if (!timer) return null;
  const cls = (busy: boolean) => `btn${busy ? ' is-pending' : ''}`;
  return (
    <div className="mod-row mod-timer-row" role="group" aria-label="Timer">
      {timer.running ? (
        <button
          type="button"
          className={cls(runBusy)}
          data-testid="timer-pause"
          onClick={() => void run('timer:run', 'Pause timer', 'timer:pause', {})}
        >
          <span aria-hidden="true">❚❚</span> Pause
        </button>
      ) : (
        <button
          type="button"
          className={cls(runBusy)}
          data-testid="timer-start"
          onClick={() => void run('timer:run', 'Start timer', 'timer:start', {})}
        >
          <span aria-hidden="true">▶</span> Start
        </button>
      )}
      <button
        type="button"
        className={cls(resetBusy)}
        data-testid="timer-reset"
        onClick={() => void run('timer:reset', 'Reset timer', 'timer:reset', {})}
      >
        <span aria-hidden="true">↺</span> Reset
      </button>
      <button
        type="button"
        className={cls(extendBusy)}
        data-testid="timer-minus"
        onClick={() => void run('timer:extend', '−1 min', 'timer:extend', { seconds: -60 }, { repeatable: true })}
      >
        −1 min
      </button>
      <button
        type="button"
        className={cls(extendBusy)}
        data-testid="timer-plus"
        onClick={() => void run('timer:extend', '+1 min', 'timer:extend', { seconds: 60 }, { repeatable: true })}
      >
        +1 min
      </button>
    </div>
  );
}

function Outcome() {
  const outcome = useStore((s) => s.outcome);
  return (
    <p
      className={`mod-status${outcome ? ` is-${outcome.kind}` : ''}`}
      role="status"
      aria-live="polite"
      data-testid="command-status"
      data-kind={outcome?.kind ?? 'idle'}
    >
      {outcome?.text ?? 'Ready.'}
    </p>
  );
}

/** Timer, Next and the last command's outcome: what must never scroll away. */
export function Dock() {
  const timer = useStore((s) => s.live?.stage.timer);
  const onStage = useStore((s) => s.live?.stage.itemId != null);
  return (
    <section className="mod-dock" aria-label="Timer and next speaker">
      <div className="mod-dock-row">
        <div className="mod-timer-box">
          {timer && onStage ? <Timer timer={timer} className="mod-timer" /> : <p className="mod-timer-idle">Timer idle</p>}
        </div>
        <NextButton />
      </div>
      <Outcome />
    </section>
  );
}

function Slides() {
  const slide = useStore((s) => s.live?.stage.slide);
  const pageCount = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId)?.slides.pageCount ?? 0);
  const busy = usePending('slide');
  const cls = `btn mod-slide-btn${busy ? ' is-pending' : ''}`;
  return (
    <div className="mod-group">
      <h2 className="mod-h">Slides</h2>
      <div className="mod-row mod-slides">
        <button type="button" className={cls} data-testid="slide-prev" aria-label="Previous slide" onClick={() => void run('slide', 'Previous slide', 'slide:prev', {}, { repeatable: true })}>
          ◀
        </button>
        <span className="mod-slide-page" data-testid="slide-page" aria-live="polite">
          {slide ? `slide ${slide.page}${pageCount > 0 ? ` / ${pageCount}` : ''}` : 'no slide'}
        </span>
        <button type="button" className={cls} data-testid="slide-next" aria-label="Next slide" onClick={() => void run('slide', 'Next slide', 'slide:next', {}, { repeatable: true })}>
          ▶
        </button>
      </div>
    </div>
  );
}

const phases: Phase[] = ['waiting', 'speaking', 'qa', 'break', 'ended'];
const phaseButton: Record<Phase, string> = {
  waiting: 'Waiting',
  speaking: 'Speaking',
  qa: 'Q&A',
  break: 'Break',
  ended: 'Ended',
};

function Phases() {
  const confirmed = useStore((s) => s.live?.stage.phase);
  const wanted = useStore((s) => s.optimistic.phase);
  const busy = usePending('phase');
  const shown = wanted ?? confirmed;
  return (
    <div className="mod-group">
      <h2 className="mod-h" id="phase-h">
        Phase
      </h2>
      <div className="mod-row mod-seg" role="group" aria-labelledby="phase-h">
        {phases.map((p) => (
          <button
            key={p}
            type="button"
            className={`btn mod-seg-btn${busy && wanted === p ? ' is-pending' : ''}`}
            aria-pressed={shown === p}
            data-testid={`phase-${p}`}
            onClick={() => void run('phase', `Phase: ${phaseLabel[p]}`, 'phase:set', { phase: p }, { optimistic: { phase: p }, repeatable: true })}
          >
            {shown === p && <span aria-hidden="true">✓ </span>}
            {phaseButton[p]}
          </button>
        ))}
      </div>
    </div>
  );
}

const modes: { mode: ProjectorMode; label: string; soon?: boolean }[] = [
  { mode: 'queue', label: 'Queue' },
  { mode: 'slide', label: 'Slide' },
  { mode: 'question', label: 'Question', soon: true },
  { mode: 'captions', label: 'Captions' },
  { mode: 'join', label: 'Join code' },
];

function ProjectorModes() {
  const confirmed = useStore((s) => s.live?.projector.mode);
  const wanted = useStore((s) => s.optimistic.mode);
  const busy = usePending('projector');
  const shown = wanted ?? confirmed;
  return (
    <div className="mod-group">
      <h2 className="mod-h" id="proj-h">
        Projector shows
      </h2>
      <div className="mod-row mod-seg" role="group" aria-labelledby="proj-h">
        {modes.map(({ mode, label, soon }) => (
          <button
            key={mode}
            type="button"
            className={`btn mod-seg-btn${busy && wanted === mode ? ' is-pending' : ''}`}
            aria-pressed={shown === mode}
            disabled={soon}
            title={soon ? 'Arrives with questions, in a later version' : undefined}
            data-testid={`projector-${mode}`}
            onClick={() => void run('projector', `Projector: ${label}`, 'projector:show', { mode }, { optimistic: { mode }, repeatable: true })}
          >
            {shown === mode && <span aria-hidden="true">✓ </span>}
            {label}
            {soon && <small> (soon)</small>}
          </button>
        ))}
      </div>
    </div>
  );
}

export function Secondary() {
  return (
    <section className="mod-secondary" aria-label="More controls">
      <Slides />
      <Phases />
      <ProjectorModes />
    </section>
  );
}
