/**
 * The one presence loop: each process counts its own sockets per event (what it counts is the
 * caller's: phones per table, phones and interpreters per language), marks an event dirty on a
 * join or a leave, and at most once per `intervalMs` publishes the counts of the dirty events
 * (every event, with `everyTick`) through the backend's presence (`Ephemeral.presence`, which
 * drops a process silent past its stale limit). Every `HEARTBEAT_MS` each event is published even
 * without a change, so other processes do not take this one for dead. A failed publish (the store
 * away) is tried again at the next tick, and logged once per heartbeat.
 */
import type { Logger } from '../log.ts';

/** Refresh of this process's entries even without change (well within the stale limit). */
export const HEARTBEAT_MS = 10_000;

export interface PresenceLoop<C> {
  /** The event's counts here (made empty on first use); change them, then `touch`. */
  counts(eventId: string): C;
  touch(eventId: string): void;
  /** Publishes the event's counts now (a first snapshot before the next tick). */
  publishNow(eventId: string): Promise<void>;
  stop(): Promise<void>;
}

export function presenceLoop<C>(opts: {
  /** What the log says it failed to publish. */
  what: string;
  intervalMs: number;
  logger: Logger;
  empty(): C;
  isEmpty(counts: C): boolean;
  publish(eventId: string, counts: C): Promise<void>;
  /** Publish every event at every tick (its totals are read back and followed), not only dirty ones. */
  everyTick?: boolean;
}): PresenceLoop<C> {
  const events = new Map<string, { counts: C; dirty: boolean }>();
  let lastHeartbeat = Date.now();
  let warnedAt = 0;

  function entry(eventId: string) {
    let e = events.get(eventId);
    if (!e) events.set(eventId, (e = { counts: opts.empty(), dirty: true }));
    return e;
  }

  async function publish(eventId: string) {
    const e = entry(eventId);
    e.dirty = false;
    try {
      await opts.publish(eventId, e.counts);
      if (opts.isEmpty(e.counts) && !e.dirty) events.delete(eventId);
    } catch (err) {
      e.dirty = true;
      if (Date.now() - warnedAt >= HEARTBEAT_MS) {
        warnedAt = Date.now();
        opts.logger.warn({ eventId, err: String(err) }, `${opts.what} not published`);
      }
      throw err;
    }
  }

  async function flush() {
    const heartbeat = Date.now() - lastHeartbeat >= HEARTBEAT_MS;
    if (heartbeat) lastHeartbeat = Date.now();
    for (const [eventId, e] of [...events]) {
      if (e.dirty || heartbeat || opts.everyTick) await publish(eventId).catch(() => {});
    }
  }

  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (!running) running = flush().finally(() => (running = null));
  }, opts.intervalMs);
  timer.unref();

  return {
    counts: (eventId) => entry(eventId).counts,
    touch(eventId) {
      entry(eventId).dirty = true;
    },
    publishNow: publish,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
