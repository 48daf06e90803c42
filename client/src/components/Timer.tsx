/**
 * The stage timer, drawn from timestamps (never ticks from the network). The tone is said in
 * words and an icon as well as colour: "last minute" (amber), "over time" (red).
 */
import { elapsedMs, formatClock, timerTone, type TimerLike, type TimerTone } from '../../../shared/time.ts';
import { useT, type MessageKey } from '../i18n/index.ts';
import { useServerNow } from './useNow.ts';

const toneWords: Record<TimerTone, { icon: string; text: MessageKey } | null> = {
  calm: null,
  lastMinute: { icon: '◔', text: 'timer.lastMinute' },
  over: { icon: '⚠', text: 'timer.over' },
};

export interface TimerProps {
  timer: TimerLike;
  className?: string;
  /** Show "paused" when the timer is stopped with time on it. */
  showPaused?: boolean;
}

export function Timer({ timer, className, showPaused = true }: TimerProps) {
  const t = useT();
  const now = useServerNow(250, timer.running);
  const elapsed = elapsedMs(timer, now);
  const tone = timerTone(timer, now);
  const words = toneWords[tone];
  const paused = showPaused && !timer.running && elapsed > 0;
  return (
    <div className={`timer tone-${tone}${className ? ` ${className}` : ''}`}>
      <span className="timer-clock" dir="ltr">
        <span className="timer-elapsed" data-testid="timer" data-tone={tone}>
          {formatClock(elapsed)}
        </span>
        {timer.plannedMs > 0 && (
          <span className="timer-planned">
            <span aria-hidden="true"> / </span>
            <span className="visually-hidden"> {t('timer.of')} </span>
            {formatClock(timer.plannedMs)}
          </span>
        )}
      </span>
      {words && (
        <span className="timer-tone">
          <span aria-hidden="true">{words.icon} </span>
          {t(words.text)}
        </span>
      )}
      {paused && (
        <span className="timer-paused">
          <span aria-hidden="true">❚❚ </span>{t('timer.paused')}
        </span>
      )}
    </div>
  );
}
