/**
 * Requests leave the queue when their device is gone (PROTOCOL: "requests of devices whose sockets
 * are all gone for 2 minutes leave the queue"), across processes.
 *
 * Each process counts the sockets it holds per event and device. Every `checkMs`, for each event it
 * serves, it reads the queue (every process's acknowledged requests), publishes which queued devices
 * it holds a socket of (`Ephemeral.presence`: a process silent past its stale limit is dropped, so a
 * process that died stops vouching for its devices) and reads every process's lists back. A queued
 * device none vouches for is gone since the first check that found it so; once gone `leaveMs`, a
 * `floorLeave` change takes its request out (every process may find it: the rule is idempotent, and a
 * short slot keeps it to one entry in the usual case). What this costs: nothing for an event whose
 * queue is empty, else one presence round trip per event and check.
 */
import { randomBytes } from 'node:crypto';
import { FLOOR_LIMITS } from '../../shared/floor.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { liveReducer } from '../live/rules.ts';
import type { Store } from '../store/types.ts';

export interface FloorPresenceOptions {
  /** How long a device may be gone before its request leaves the queue (default 2 minutes; `FLOOR_LEAVE_MS`). */
  leaveMs?: number;
  /** How often each process checks (default: a quarter of `leaveMs`, between 100 ms and 5 s). */
  checkMs?: number;
}

interface Served {
  /** Sockets of the event on this process, any role (an event nobody here follows is not checked). */
  sockets: number;
  /** Attendee sockets per device. */
  devices: Map<string, number>;
  /** Queued devices nobody vouched for, since when (this process's clock). */
  goneSince: Map<string, number>;
  /** This process published a non-empty list (it removes it once it has none). */
  published: boolean;
}

export function createFloorPresence(store: Store, ephemeral: Ephemeral, options: FloorPresenceOptions = {}) {
  const leaveMs = options.leaveMs ?? FLOOR_LIMITS.leaveMs;
  const checkMs = options.checkMs ?? Math.min(5_000, Math.max(100, Math.floor(leaveMs / 4)));
  // A process that stopped publishing for this long is dead (it published every check).
  const staleMs = Math.max(6 * checkMs, 1_000);
  const processId = randomBytes(6).toString('hex');
  const events = new Map<string, Served>();

  function served(eventId: string): Served {
    let s = events.get(eventId);
    if (!s) events.set(eventId, (s = { sockets: 0, devices: new Map(), goneSince: new Map(), published: false }));
    return s;
  }

  async function check(eventId: string, s: Served) {
    const book = (await store.logs.state(eventId, liveReducer)).floorBook;
    const queued = [...new Set(Object.values(book?.devices ?? {}))];
    if (!queued.length && !s.published) {
      s.goneSince.clear();
      if (s.sockets === 0) events.delete(eventId);
      return;
    }
    const here = queued.filter((d) => (s.devices.get(d) ?? 0) > 0);
    const all = await ephemeral.presence<{ d: string[] }>(eventId, 'floor', processId, queued.length ? { d: here } : null, staleMs);
    s.published = queued.length > 0;
    const present = new Set(all.flatMap((p) => p.d));
    const now = Date.now();
    for (const d of [...s.goneSince.keys()]) if (present.has(d) || !queued.includes(d)) s.goneSince.delete(d);
    for (const device of queued) {
      if (present.has(device)) continue;
      const since = s.goneSince.get(device) ?? now;
      s.goneSince.set(device, since);
      if (now - since < leaveMs) continue;
      // One process takes it out (another, finding it too within the slot, leaves it be).
      if ((await ephemeral.claim(eventId, `floor-leave:${device}`, Math.max(checkMs, 1_000))) !== 0) continue;
      await store.change(eventId, 'floorLeave', { device });
      s.goneSince.delete(device);
    }
  }

  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = (async () => {
      for (const [eventId, s] of [...events]) await check(eventId, s).catch(() => {});
    })().finally(() => (running = null));
  }, checkMs);
  timer.unref();

  return {
    /** A socket of the event joined this process (`device`: an attendee's; null for other roles). */
    join(eventId: string, device: string | null) {
      const s = served(eventId);
      s.sockets += 1;
      if (device) s.devices.set(device, (s.devices.get(device) ?? 0) + 1);
    },
    leave(eventId: string, device: string | null) {
      const s = served(eventId);
      s.sockets = Math.max(0, s.sockets - 1);
      if (device) {
        const n = (s.devices.get(device) ?? 1) - 1;
        if (n > 0) s.devices.set(device, n);
        else s.devices.delete(device);
      }
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
