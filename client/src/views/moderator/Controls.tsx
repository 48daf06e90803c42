/**
 * The moderator's controls. The dock (timer, Next, outcome) is pinned on screen when the
 * layout stacks (portrait, large text); the rest follows.
 */
import { useLayoutEffect, useRef } from 'react';
import type { Phase, ProjectorMode } from '../../../../shared/schemas.ts';
import { Timer } from '../../components/Timer.tsx';
import { useT, type MessageKey } from '../../i18n/index.ts';
import { upcoming, usePhaseLabel } from '../../lib/agenda.ts';
import { run } from '../../store/commands.ts';
import { inOrder, usePolls } from '../../store/polls.ts';
import { projectorQuestionId, useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import { DeckPanel } from './DeckPanel.tsx';
import { SegButton, SegGroup } from './SegGroup.tsx';

const usePending = (key: string) => useStore((s) => (s.pending[key] ?? 0) > 0);

export function OnStage() {
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const phase = useStore((s) => s.live?.stage.phase);
  const t = useT();
  const phaseLabel = usePhaseLabel();
  return (
    <section className="mod-card mod-stage" aria-label={t('common.onStage')}>
      <p className="mod-stage-label">
        {t('common.onStage')}
        {phase && phase !== 'speaking' && <span className="phase-chip"> · {phaseLabel[phase]}</span>}
      </p>
      {item ? (
        <>
          <p className="mod-stage-speaker" data-testid="now-speaker" dir="auto" lang={item.language}>
            {item.speaker || item.delegation}
          </p>
          {/* One line each, each in its own direction: a French city never lands inside a Spanish title. */}
          {item.speaker && item.delegation && (
            <p className="mod-stage-sub mod-stage-delegation" dir="auto" data-testid="now-delegation">
              {item.delegation}
            </p>
          )}
          {item.title && (
            <p className="mod-stage-sub" dir="auto" lang={item.language}>
              {item.title}
            </p>
          )}
        </>
      ) : (
        <p className="mod-stage-speaker mod-stage-empty">{t('mod.nobodyYet')}</p>
      )}
    </section>
  );
}

function NextButton() {
  const next = useStore((s) => (s.live ? upcoming(s.live.agenda, s.live.stage.itemId, 1)[0] : undefined));
  const busy = usePending('next');
  const t = useT();
  return (
    <button
      type="button"
      className={`btn btn-primary mod-next${busy ? ' is-pending' : ''}`}
      data-testid="next-button"
      aria-busy={busy || undefined}
      onClick={() => void run('next', t('mod.nextSpeaker'), 'agenda:next', {}, { optimistic: next ? { itemId: next.id } : {} })}
    >
      <span className="mod-next-label">{busy ? t('mod.going') : t('mod.next')}</span>
      <span className="mod-next-who">
        {next ? <bdi dir="auto">{next.speaker || next.delegation}</bdi> : t('mod.nothingAfter')}
      </span>
    </button>
  );
}

export function TimerControls() {
  const timer = useStore((s) => s.live?.stage.timer);
  const runBusy = usePending('timer:run');
  const resetBusy = usePending('timer:reset');
  const extendBusy = usePending('timer:extend');
  // With nobody on stage there is no speaking time to start, reset or extend.
  const idle = useStore((s) => s.live?.stage.itemId == null);
  const t = useT();
  if (!timer) return null;
  const cls = (busy: boolean) => `btn${busy ? ' is-pending' : ''}`;
  return (
    <div className="mod-row mod-timer-row" role="group" aria-label={t('mod.timer')}>
      {timer.running ? (
        <button
          type="button"
          className={cls(runBusy)}
          data-testid="timer-pause"
          disabled={idle}
          onClick={() => void run('timer:run', t('mod.pauseTimer'), 'timer:pause', {})}
        >
          <span aria-hidden="true">❚❚</span> {t('mod.pause')}
        </button>
      ) : (
        <button
          type="button"
          className={cls(runBusy)}
          data-testid="timer-start"
          disabled={idle}
          onClick={() => void run('timer:run', t('mod.startTimer'), 'timer:start', {})}
        >
          <span aria-hidden="true">▶</span> {t('mod.start')}
        </button>
      )}
      <button
        type="button"
        className={cls(resetBusy)}
        data-testid="timer-reset"
        disabled={idle}
        onClick={() => void run('timer:reset', t('mod.resetTimer'), 'timer:reset', {})}
      >
        <span aria-hidden="true">↺</span> {t('mod.reset')}
      </button>
      <button
        type="button"
        className={cls(extendBusy)}
        data-testid="timer-minus"
        disabled={idle}
        onClick={() => void run('timer:extend', `−${t('common.minutes', { n: 1 })}`, 'timer:extend', { seconds: -60 }, { repeatable: true })}
      >
        −{t('common.minutes', { n: 1 })}
      </button>
      <button
        type="button"
        className={cls(extendBusy)}
        data-testid="timer-plus"
        disabled={idle}
        onClick={() => void run('timer:extend', `+${t('common.minutes', { n: 1 })}`, 'timer:extend', { seconds: 60 }, { repeatable: true })}
      >
        +{t('common.minutes', { n: 1 })}
      </button>
    </div>
  );
}

function Outcome() {
  const outcome = useStore((s) => s.outcome);
  const t = useT();
  return (
    <p
      className={`mod-status${outcome ? ` is-${outcome.kind}` : ''}`}
      role="status"
      aria-live="polite"
      data-testid="command-status"
      data-kind={outcome?.kind ?? 'idle'}
    >
      {outcome?.text ?? t('mod.ready')}
    </p>
  );
}

/**
 * The pinned dock's height, as `--mod-dock-h` on the page: the scrollers keep that much room at
 * their top (scroll-padding), so what is scrolled or tabbed to never hides under the dock.
 */
function useDockHeight() {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const root = document.documentElement;
    const update = () => root.style.setProperty('--mod-dock-h', `${Math.ceil(el.getBoundingClientRect().height)}px`);
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--mod-dock-h');
    };
  }, []);
  return ref;
}

/** Timer, Next and the last command's outcome: what must never scroll away. */
export function Dock() {
  const timer = useStore((s) => s.live?.stage.timer);
  const onStage = useStore((s) => s.live?.stage.itemId != null);
  const t = useT();
  const ref = useDockHeight();
  return (
    <section ref={ref} className="mod-dock surface-box" aria-label={t('mod.timerAndNext')}>
      <div className="mod-dock-row">
        <div className="mod-timer-box">
          {timer && onStage ? <Timer timer={timer} className="mod-timer" /> : <p className="mod-timer-idle">{t('mod.timerIdle')}</p>}
        </div>
        <NextButton />
      </div>
      <Outcome />
    </section>
  );
}

const phases: Phase[] = ['waiting', 'speaking', 'qa', 'break', 'ended'];
const phaseButton: Record<Phase, MessageKey> = {
  waiting: 'mod.phase.waiting',
  speaking: 'mod.phase.speaking',
  qa: 'mod.phase.qa',
  break: 'mod.phase.break',
  ended: 'mod.phase.ended',
};

function Phases() {
  const confirmed = useStore((s) => s.live?.stage.phase);
  const wanted = useStore((s) => s.optimistic.phase);
  const busy = usePending('phase');
  const shown = wanted ?? confirmed;
  const t = useT();
  const phaseLabel = usePhaseLabel();
  return (
    <SegGroup id="phase-h" heading={t('mod.phase')}>
      {phases.map((p) => (
        <SegButton
          key={p}
          pressed={shown === p}
          pending={busy && wanted === p}
          data-testid={`phase-${p}`}
          onClick={() => void run('phase', t('mod.phaseIs', { phase: phaseLabel[p] }), 'phase:set', { phase: p }, { optimistic: { phase: p }, repeatable: true })}
        >
          {t(phaseButton[p])}
        </SegButton>
      ))}
    </SegGroup>
  );
}

const modes: { mode: ProjectorMode; label: MessageKey; soon?: boolean }[] = [
  { mode: 'queue', label: 'mod.mode.queue' },
  { mode: 'slide', label: 'mod.mode.slide' },
  { mode: 'question', label: 'mod.mode.question' },
  { mode: 'captions', label: 'mod.mode.captions' },
  { mode: 'join', label: 'mod.mode.join' },
  { mode: 'poll', label: 'mod.mode.poll' },
  { mode: 'floor', label: 'mod.mode.floor' },
];

/** For Question mode: the question highlighted now if still visible, else the most voted live one. */
const useQuestionToShow = (current: string | null | undefined) => useQuestions(() => projectorQuestionId(current));

/** For Poll mode: the poll shown now if it still exists, else the newest one. */
const usePollToShow = (current: string | null | undefined) =>
  usePolls((s) => (current && s.byId[current] ? current : inOrder(s.byId).at(-1)?.id));

function ProjectorModes() {
  const confirmed = useStore((s) => s.live?.projector.mode);
  const wanted = useStore((s) => s.optimistic.mode);
  const busy = usePending('projector');
  const shown = wanted ?? confirmed;
  const questionId = useQuestionToShow(useStore((s) => s.live?.projector.questionId));
  const pollId = usePollToShow(useStore((s) => s.live?.projector.pollId));
  const t = useT();
  return (
    <SegGroup
      id="proj-h"
      heading={t('mod.projectorShows')}
      after={
        <>
          {!questionId && (
            <p id="proj-question-why" className="mod-help" data-testid="projector-question-why">
              {t('mod.noQuestionToShow')}
            </p>
          )}
          {!pollId && (
            <p id="proj-poll-why" className="mod-help">
              {t('mod.noPollToShow')}
            </p>
          )}
        </>
      }
    >
      {modes.map(({ mode, label, soon }) => {
        // Question mode needs a question: none live yet, the button says why instead of sending.
        const noQuestion = mode === 'question' && !questionId;
        const noPoll = mode === 'poll' && !pollId;
        return (
          <SegButton
            key={mode}
            pressed={shown === mode}
            pending={busy && wanted === mode}
            disabled={soon || noQuestion || noPoll}
            title={soon ? t('mod.soonTitle') : undefined}
            aria-describedby={noQuestion ? 'proj-question-why' : noPoll ? 'proj-poll-why' : undefined}
            data-testid={`projector-${mode}`}
            onClick={() => {
              if ((mode === 'question' && !questionId) || noPoll) return;
              void run(
                'projector',
                t('mod.projectorIs', { mode: t(label) }),
                'projector:show',
                mode === 'question' ? { mode, questionId: questionId! } : mode === 'poll' ? { mode, pollId: pollId! } : { mode },
                { optimistic: { mode }, repeatable: true },
              );
            }}
          >
            {t(label)}
            {soon && <small> ({t('mod.soon')})</small>}
          </SegButton>
        );
      })}
    </SegGroup>
  );
}

export function Secondary() {
  const t = useT();
  return (
    <section className="mod-secondary" aria-label={t('mod.moreControls')}>
      <DeckPanel />
      <Phases />
      <ProjectorModes />
    </section>
  );
}
