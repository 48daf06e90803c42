/** The live-state slice: the event's `state` in rev order, and the server clock offset. */
import type { PublicState } from '../../../shared/schemas.ts';
import { defineSlice, useStore } from './store.ts';

export interface LiveSlice {
  /** The last applied `state` (highest `rev`), or null before the first one. */
  live: PublicState | null;
  /** serverTime − Date.now(), best estimate: server clock = Date.now() + clockOffset. */
  clockOffset: number;
}

/**
 * Offset samples (serverTime − local receipt time). A sample is the true offset minus the
 * network delay, so the largest recent one is the least delayed: we use the max over a short
 * window (aged on the monotonic clock, so a jump of the wall clock ages it out quickly).
 */
const WINDOW_MS = 30_000;
let samples: { at: number; offset: number }[] = [];

/** Forgets the live state (leaving a screen, or switching event). */
export const resetLive = defineSlice({
  initial: (): LiveSlice => ({ live: null, clockOffset: 0 }),
  lifetime: 'connection',
  onReset: () => {
    samples = [];
  },
});

function estimateOffset(serverTime: number): number {
  const at = performance.now();
  samples = samples.filter((s) => at - s.at < WINDOW_MS).slice(-15);
  samples.push({ at, offset: serverTime - Date.now() });
  return Math.max(...samples.map((s) => s.offset));
}

/**
 * Applies a `state` unless its `rev` is not above the last applied one (across server
 * processes delivery order is not guaranteed). Its clock sample counts either way.
 */
export function applyState(next: PublicState): void {
  const clockOffset = estimateOffset(next.serverTime);
  useStore.setState((s) => {
    const sameEvent = s.live?.event.id === next.event.id;
    if (s.live && sameEvent && next.rev <= s.live.rev) return { clockOffset };
    return { live: next, clockOffset };
  });
}

/** The server's clock now (ms epoch), from the last offset estimate. */
export function serverNow(): number {
  return Date.now() + useStore.getState().clockOffset;
}
