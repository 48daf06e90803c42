import type { Audience } from '../../shared/schemas.ts';
import type { PresenceCounts } from './types.ts';

/** A process's presence entry older than this is from a process that died: ignore it. */
export const PRESENCE_STALE_MS = 30_000;

/** Sums the attendee counts of every live process. */
export function sumPresence(entries: Iterable<PresenceCounts>): Audience {
  const byTable: Record<string, number> = {};
  let connected = 0;
  for (const e of entries) {
    connected += e.connected;
    for (const [table, n] of Object.entries(e.byTable)) byTable[table] = (byTable[table] ?? 0) + n;
  }
  for (const [table, n] of Object.entries(byTable)) if (n === 0) delete byTable[table];
  return { connected, byTable };
}

export function sameAudience(a: Audience, b: Audience): boolean {
  if (a.connected !== b.connected) return false;
  const ka = Object.keys(a.byTable);
  if (ka.length !== Object.keys(b.byTable).length) return false;
  return ka.every((k) => a.byTable[k] === b.byTable[k]);
}
