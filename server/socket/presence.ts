/**
 * The audience: this process's attendee phones per event and table, published through the live
 * store (presence-loop.ts: at most one publish per event every `intervalMs`). The store sums every
 * process's counts into the state's `audience`; a changed total is one state change, broadcast from
 * its fold. A join storm of N phones costs a handful of broadcasts, not N.
 */
import type { Logger } from '../log.ts';
import type { PresenceCounts } from '../live/audience.ts';
import type { Store } from '../store/types.ts';
import { presenceLoop } from './presence-loop.ts';

export function createPresence(opts: { store: Store; processId: string; intervalMs: number; logger: Logger }) {
  const loop = presenceLoop<PresenceCounts>({
    what: 'presence',
    intervalMs: opts.intervalMs,
    logger: opts.logger,
    empty: () => ({ connected: 0, byTable: {} }),
    isEmpty: (c) => c.connected === 0,
    publish: async (eventId, c) => void (await opts.store.publishPresence(eventId, opts.processId, c)),
  });
  return {
    join(eventId: string, table: string | null) {
      const c = loop.counts(eventId);
      c.connected += 1;
      if (table) c.byTable[table] = (c.byTable[table] ?? 0) + 1;
      loop.touch(eventId);
    },
    leave(eventId: string, table: string | null) {
      const c = loop.counts(eventId);
      c.connected = Math.max(0, c.connected - 1);
      if (table && c.byTable[table]) {
        c.byTable[table] -= 1;
        if (c.byTable[table] === 0) delete c.byTable[table];
      }
      loop.touch(eventId);
    },
    stop: () => loop.stop(),
  };
}
