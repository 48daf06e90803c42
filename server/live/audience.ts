/**
 * The room's audience: each process counts its attendee sockets (PresenceCounts), the live store
 * sums every live process's counts into `state.audience` (store.ts `publishPresence`), and a
 * restarted embedded server starts from nobody (forgetAudience).
 */
import type { Audience } from '../../shared/schemas.ts';
import type { Store } from '../store/types.ts';

/** Attendee sockets of one server process for one event. */
export interface PresenceCounts {
  connected: number;
  byTable: Record<string, number>;
}

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

/**
 * After a restart of the embedded server, the phones it counted are gone (they will reconnect):
 * every event's audience goes back to zero and its audio channels off air, as a change (rev + 1), or clients holding that rev
 * would ignore it.
 */
export async function forgetAudience(store: Store): Promise<void> {
  for (const record of await store.listEvents()) {
    const state = await store.getState(record.id);
    if (state && state.audience.connected > 0) await store.change(record.id, 'audience', { audience: { connected: 0, byTable: {} } });
    // Nobody publishes or listens to a process that just started: every channel is off air.
    if (state && Object.values(state.audio).some((c) => c.onAir || c.listeners > 0)) await store.change(record.id, 'audio', { audio: {} });
  }
}
