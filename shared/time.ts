/** Timer arithmetic shared by every view. No zod here: the attendee bundle imports it. */
export interface TimerLike {
  running: boolean;
  startedAt: number | null;
  accumulatedMs: number;
  plannedMs: number;
}

/** Elapsed ms of a timer at `now` (a server-corrected clock). */
export function elapsedMs(timer: TimerLike, now: number): number {
  const live = timer.running && timer.startedAt !== null ? Math.max(0, now - timer.startedAt) : 0;
  return timer.accumulatedMs + live;
}

export type TimerTone = 'calm' | 'lastMinute' | 'over';

/** calm, then amber in the last minute, red when over time. */
export function timerTone(timer: TimerLike, now: number): TimerTone {
  if (timer.plannedMs <= 0) return 'calm';
  const left = timer.plannedMs - elapsedMs(timer, now);
  if (left < 0) return 'over';
  if (left <= 60_000) return 'lastMinute';
  return 'calm';
}

/** "04:12", "-01:05" (over time shows a minus), "1:02:03" past an hour. */
export function formatClock(ms: number): string {
  const neg = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const body = h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  return neg ? `-${body}` : body;
}
