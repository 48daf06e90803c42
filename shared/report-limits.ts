/** Limits and arithmetic of the report, zod-free so the client may import them (values, not only types). */
export const REPORT_LIMITS = {
  /** A summary in one language (a page or two of text). */
  summaryChars: 20_000,
} as const;

/** Over-time: spoken past the planned time (an item planned at 0 has no limit). */
export const overTimeMs = (plannedSeconds: number, spokenMs: number): number =>
  plannedSeconds > 0 ? Math.max(0, spokenMs - plannedSeconds * 1000) : 0;

/**
 * A delegation's over-time: measured on its items that have started and have a planned time
 * (one not started yet, or planned at 0, says nothing about time kept).
 */
export function delegationOverMs(items: readonly { plannedSeconds: number; spokenMs: number; startedAt: number | null }[]): number {
  let planned = 0;
  let spoken = 0;
  for (const i of items) {
    if (i.startedAt === null || i.plannedSeconds <= 0) continue;
    planned += i.plannedSeconds * 1000;
    spoken += i.spokenMs;
  }
  return Math.max(0, spoken - planned);
}
