/**
 * Presence is coalesced: joins and leaves only mark the event dirty; at most one store write
 * (and so one `state` broadcast, socket/state-broadcast.ts) per event every `intervalMs` from this
 * process. A join storm of N phones costs a handful of broadcasts, not N.
 */
import type { Logger } from '../log.ts';
import type { PresenceCounts, Store } from '../store/types.ts';

/** Refresh interval of this process's entry, so other processes do not take it for dead. */
const HEARTBEAT_MS = 10_000;

export function createPresence(opts: {
  store: Store;
  processId: string;
  intervalMs: number;
  logger: Logger;
}) {
  const local = new Map<string, PresenceCounts>();
  const dirty = new Set<string>();
  let lastHeartbeat = Date.now();

  function counts(eventId: string): PresenceCounts {
    let c = local.get(eventId);
    if (!c) local.set(eventId, (c = { connected: 0, byTable: {} }));
    return c;
  }

  async function flush() {
    if (Date.now() - lastHeartbeat >= HEARTBEAT_MS) {
      lastHeartbeat = Date.now();
      for (const id of local.keys()) dirty.add(id);
    }
    const ids = [...dirty];
    dirty.clear();
    for (const id of ids) {
      const c = local.get(id);
      if (!c) continue;
      try {
        await opts.store.publishPresence(id, opts.processId, c);
        if (c.connected === 0) local.delete(id);
      } catch (err) {
        dirty.add(id); // the store is away: try again at the next tick
        opts.logger.warn({ eventId: id, err: String(err) }, 'presence not published');
      }
    }
  }

  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (!running) running = flush().finally(() => (running = null));
  }, opts.intervalMs);
  timer.unref();

  return {
    join(eventId: string, table: string | null) {
      const c = counts(eventId);
      c.connected += 1;
      if (table) c.byTable[table] = (c.byTable[table] ?? 0) + 1;
      dirty.add(eventId);
    },
    leave(eventId: string, table: string | null) {
      const c = counts(eventId);
      c.connected = Math.max(0, c.connected - 1);
      if (table && c.byTable[table]) {
        c.byTable[table] -= 1;
        if (c.byTable[table] === 0) delete c.byTable[table];
      }
      dirty.add(eventId);
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
