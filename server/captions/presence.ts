/**
 * Who follows which language, and who captions it. Each process counts its own phones and
 * interpreters per event and language; at most once per `intervalMs` it publishes them through the
 * captions store to the backend's one presence (`Ephemeral.presence`, server/log/ephemeral.ts),
 * which keeps every process's counts for its stale limit; the store sums the live ones. When a total changes, this process tells its own
 * sockets (`io.local`): every process does the same, so each socket hears it exactly once.
 *
 *   captions:audience  phones and interpreters per language → interpreters and moderators
 *   captions:status    languages captioned by a person / by machine translation → everyone
 */
import type { CaptionAudience, CaptionStatus } from '../../shared/captions.ts';
import type { Logger } from '../log.ts';
import { rooms } from '../socket/rooms.ts';
import type { TribuneServer } from '../socket/types.ts';
import type { CaptionPresence, CaptionStore } from './store.ts';

/** Refresh of this process's entry even without change, so others do not take it for dead. */
const HEARTBEAT_MS = 10_000;

interface EventPresence {
  local: CaptionPresence;
  languages: string[];
  dirty: boolean;
  total: CaptionPresence | null;
  status: CaptionStatus | null;
  audienceJson: string;
}

export function statusOf(total: CaptionPresence, languages: string[], machineAvailable: boolean): CaptionStatus {
  const human = languages.filter((l) => (total.interpreters[l] ?? 0) > 0);
  const floor = languages[0];
  const machine =
    machineAvailable && floor !== undefined && human.includes(floor) ? languages.filter((l) => !human.includes(l)) : [];
  return { human, machine };
}

export function createCaptionPresence(opts: {
  store: CaptionStore;
  processId: string;
  intervalMs: number;
  machineAvailable: boolean;
  logger: Logger;
}) {
  const events = new Map<string, EventPresence>();
  let io: TribuneServer | null = null;
  let lastHeartbeat = Date.now();

  function entry(eventId: string, languages: string[]): EventPresence {
    let e = events.get(eventId);
    if (!e) {
      events.set(
        eventId,
        (e = { local: { phones: {}, interpreters: {} }, languages, dirty: true, total: null, status: null, audienceJson: '' }),
      );
    }
    return e;
  }

  function bump(eventId: string, languages: string[], kind: keyof CaptionPresence, lang: string, delta: number) {
    const e = entry(eventId, languages);
    const n = (e.local[kind][lang] ?? 0) + delta;
    if (n > 0) e.local[kind][lang] = n;
    else delete e.local[kind][lang];
    e.dirty = true;
  }

  async function publish(eventId: string, e: EventPresence) {
    e.dirty = false;
    const total = await opts.store.publishPresence(eventId, opts.processId, e.local);
    e.total = total;
    const status = statusOf(total, e.languages, opts.machineAvailable);
    const audience: CaptionAudience = { phones: total.phones, interpreters: total.interpreters };
    const audienceJson = JSON.stringify(audience);
    if (io && audienceJson !== e.audienceJson) {
      io.local.to([rooms.role(eventId, 'interpreter'), rooms.role(eventId, 'moderator')]).emit('captions:audience', audience);
    }
    e.audienceJson = audienceJson;
    if (io && JSON.stringify(status) !== JSON.stringify(e.status)) io.local.to(rooms.event(eventId)).emit('captions:status', status);
    e.status = status;
  }

  async function flush() {
    const heartbeat = Date.now() - lastHeartbeat >= HEARTBEAT_MS;
    if (heartbeat) lastHeartbeat = Date.now();
    for (const [eventId, e] of events) {
      const empty = Object.keys(e.local.phones).length === 0 && Object.keys(e.local.interpreters).length === 0;
      // Other processes' changes are read at every tick while this process has sockets there.
      try {
        await publish(eventId, e);
        if (empty) events.delete(eventId);
      } catch (err) {
        e.dirty = true;
        if (heartbeat) opts.logger.warn({ eventId, err: String(err) }, 'caption presence not published');
      }
    }
  }

  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (!running) running = flush().finally(() => (running = null));
  }, opts.intervalMs);
  timer.unref();

  return {
    attach(server: TribuneServer) {
      io = server;
    },
    join(eventId: string, languages: string[], kind: keyof CaptionPresence, lang: string) {
      bump(eventId, languages, kind, lang, 1);
    },
    leave(eventId: string, languages: string[], kind: keyof CaptionPresence, lang: string) {
      bump(eventId, languages, kind, lang, -1);
    },
    /** The last totals known here; published now when this process has none yet. */
    async snapshot(eventId: string, languages: string[]): Promise<{ status: CaptionStatus; audience: CaptionAudience }> {
      const e = entry(eventId, languages);
      if (!e.total || !e.status) await publish(eventId, e);
      return { status: e.status!, audience: { phones: e.total!.phones, interpreters: e.total!.interpreters } };
    },
    /** Languages machine translation should fill now (from the last totals known here). */
    machineTargets(eventId: string): string[] {
      return events.get(eventId)?.status?.machine ?? [];
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export type CaptionPresenceTracker = ReturnType<typeof createCaptionPresence>;
