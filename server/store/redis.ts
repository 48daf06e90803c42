/**
 * The Redis store: several server processes share one Redis (keys in keys.ts).
 *
 * Writes of the live state are optimistic: read the state, apply the pure `change`, then a Lua
 * compare-and-set stores it only if the event's rev is still the one read (else read again and
 * retry). No WATCH/MULTI: WATCH belongs to a connection, and this one connection is shared by every
 * concurrent request of the process. Within a process, writes to one event are queued so they do
 * not conflict with each other; only other processes cause retries. Two processes on one Redis thus
 * produce one strictly increasing rev sequence per event and never lose an update.
 *
 * Faults: a Redis that is down or silent must not make requests hang. Every command settles within
 * COMMAND_TIMEOUT_MS (no offline queue, no replay of unanswered commands after a reconnect, a socket
 * that goes silent with commands pending is dropped), and any failure of Redis becomes
 * `TribuneError(UNAVAILABLE)`. A command that timed out may still have been applied by Redis (as
 * with any network store); the client sees UNAVAILABLE and retries.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { LiveState } from '../../shared/schemas.ts';
import { createKeys, isKeySafe } from './keys.ts';
import { PRESENCE_STALE_MS, sameAudience, sumPresence } from './presence.ts';
import type { EventRecord, PresenceCounts, Store } from './types.ts';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Prefix of every key (`REDIS_PREFIX`). */
  prefix: string;
  /** The backend's other connections to this Redis: the store is healthy only when they are too. */
  alsoWatch?: Redis[];
}

/** Upper bound of any single command, including one sent on a connection that just died. */
export const COMMAND_TIMEOUT_MS = 2_000;
/** Bound of the first connection at start. */
const STARTUP_TIMEOUT_MS = 5_000;
/** Compare-and-set attempts before giving up (only other processes can make one fail). */
const MAX_CAS_ATTEMPTS = 50;

const UNAVAILABLE_MESSAGE = 'the store cannot be reached, retry';

/**
 * KEYS: state, rev. ARGV: expected rev, new state JSON, new rev.
 * Returns 1 when written, 0 when the rev moved on (retry), -1 when the event does not exist.
 */
const CAS_LUA = `
local cur = redis.call('GET', KEYS[2])
if not cur then return -1 end
if tonumber(cur) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1
`;

/**
 * KEYS: presence hash. ARGV: processId, counts JSON (an object; "" removes the entry), stale ms.
 * Stamps the entry with Redis's clock (one clock for all processes), deletes entries older than
 * the stale limit and returns the live ones (JSON strings: the counts given, plus "at").
 * Shared by the live store and the domains' presence (captions).
 */
export const PRESENCE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stale = tonumber(ARGV[3])
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], '{"at":' .. now .. ',' .. string.sub(ARGV[2], 2))
end
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local ok, e = pcall(cjson.decode, all[i + 1])
  if ok and type(e) == 'table' and tonumber(e.at) and now - tonumber(e.at) <= stale then
    live[#live + 1] = all[i + 1]
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
if #live > 0 then redis.call('PEXPIRE', KEYS[1], stale * 2) end
return live
`;

interface Scripts {
  tribuneCas(stateKey: string, revKey: string, expected: string, json: string, next: string): Promise<number>;
  tribunePresence(presenceKey: string, processId: string, counts: string, staleMs: string): Promise<string[]>;
}

/** Options shared by the store connection: every command settles quickly. */
export function storeClientOptions(): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // A socket that stays silent while commands wait is dead: drop it and reconnect.
    socketTimeout: COMMAND_TIMEOUT_MS + 1_000,
    // While disconnected, fail at once instead of queueing (a queued write could run much later).
    enableOfflineQueue: false,
    // Never replay an unanswered write after a reconnect (a CAS replayed could apply twice).
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  };
}

/** `redis://user:secret@host` → `redis://user:***@host` for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid REDIS_URL)';
  }
}

function unavailable(cause: unknown): TribuneError {
  if (cause instanceof TribuneError) return cause;
  const err = new TribuneError(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE, 'storeUnavailable');
  err.cause = cause;
  return err;
}

/**
 * Awaits a Redis reply; any failure of Redis (down, timeout, closed) becomes UNAVAILABLE, while a
 * TribuneError (our own refusal) passes through. Every store on Redis wraps its commands in it.
 */
export async function call<T>(reply: Promise<T>): Promise<T> {
  try {
    return await reply;
  } catch (err) {
    throw unavailable(err);
  }
}

/**
 * Whether every connection is usable now: ioredis says `ready` (it says so within a moment of a
 * closed connection) and each answers a PING, which catches a Redis that went silent without
 * closing anything (the command timeout bounds the wait).
 */
export async function connectionsHealthy(clients: Redis[]): Promise<boolean> {
  if (clients.some((c) => c.status !== 'ready')) return false;
  const pings = await Promise.allSettled(clients.map((c) => c.ping()));
  return pings.every((p) => p.status === 'fulfilled');
}

/** Waits for the first connection, or rejects with a clear message (and stops reconnecting). */
export async function connectOrFail(redis: Redis, url: string): Promise<void> {
  let lastError: Error | null = null;
  const listeners: Record<string, (...args: any[]) => void> = {};
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      if (redis.status === 'ready') return resolve();
      listeners.error = (err: Error) => (lastError = err);
      listeners.ready = () => resolve();
      // The first failed attempt is the answer: at start, an unreachable Redis is a setup error.
      listeners.close = () => reject(new Error('connection closed'));
      for (const [name, fn] of Object.entries(listeners)) redis.on(name, fn);
      timer = setTimeout(() => reject(new Error(`no answer within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
      if (redis.status === 'wait') redis.connect().catch(() => {});
    });
  } catch (err) {
    redis.disconnect();
    const reason = (lastError as Error | null)?.message ?? (err instanceof Error ? err.message : String(err));
    throw new TribuneError(ErrorCode.UNAVAILABLE, `Redis at ${redactUrl(url)} cannot be reached: ${reason}`);
  } finally {
    clearTimeout(timer);
    for (const [name, fn] of Object.entries(listeners)) redis.off(name, fn);
  }
}

/**
 * A connection with storeClientOptions, connected (else UNAVAILABLE naming the redacted URL).
 * The caller owns it and closes it (`quit`).
 */
export async function openStoreClient(url: string): Promise<Redis> {
  const redis = new Redis(url, storeClientOptions());
  // Errors reach the callers as UNAVAILABLE; the event itself only needs a listener.
  redis.on('error', () => {});
  await connectOrFail(redis, url);
  return redis;
}

export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const keys = createKeys(options.prefix);
  const redis = (await openStoreClient(options.url)) as Redis & Scripts;
  redis.defineCommand('tribuneCas', { numberOfKeys: 2, lua: CAS_LUA });
  redis.defineCommand('tribunePresence', { numberOfKeys: 1, lua: PRESENCE_LUA });

  /** Per-event queue of this process's writes: they never conflict with each other. */
  const queues = new Map<string, Promise<unknown>>();
  function serial<T>(eventId: string, task: () => Promise<T>): Promise<T> {
    const run = (queues.get(eventId) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => {},
      () => {},
    );
    queues.set(eventId, tail);
    void tail.then(() => {
      if (queues.get(eventId) === tail) queues.delete(eventId);
    });
    return run;
  }

  async function readState(eventId: string): Promise<LiveState | null> {
    const raw = await call(redis.get(keys.state(eventId)));
    return raw === null ? null : (JSON.parse(raw) as LiveState);
  }

  /**
   * The optimistic loop: `next(current)` computes the new state (or null: nothing to write);
   * it runs again on the fresh state whenever another process wrote in between.
   */
  async function casLoop(
    eventId: string,
    next: (current: LiveState) => Promise<LiveState | null> | LiveState | null,
    onMissing: () => LiveState | null,
  ): Promise<LiveState | null> {
    for (let attempt = 1; attempt <= MAX_CAS_ATTEMPTS; attempt++) {
      const current = await readState(eventId);
      if (!current) return onMissing();
      const changed = await next(current);
      if (changed === null) return null;
      const written: LiveState = { ...changed, rev: current.rev + 1 };
      const result = await call(
        redis.tribuneCas(keys.state(eventId), keys.rev(eventId), String(current.rev), JSON.stringify(written), String(written.rev)),
      );
      if (result === 1) return written;
      if (result === -1) return onMissing();
      // Another process wrote first: back off a little (jittered) once conflicts repeat.
      if (attempt > 2) await new Promise((r) => setTimeout(r, Math.random() * Math.min(attempt, 20)));
    }
    throw new TribuneError(ErrorCode.UNAVAILABLE, 'the store is too busy, retry', 'storeBusy');
  }

  async function readRecord(eventId: string): Promise<EventRecord | null> {
    if (!isKeySafe(eventId)) return null;
    const raw = await call(redis.get(keys.record(eventId)));
    return raw === null ? null : (JSON.parse(raw) as EventRecord);
  }

  const notFound = (): never => {
    throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  };

  return {
    kind: 'redis',

    async createEvent(record: EventRecord, state: LiveState) {
      const id = record.id;
      const code = record.code.toUpperCase();
      if (!isKeySafe(id) || !isKeySafe(code)) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'invalid event id or code');
      // The event's keys first (one slot, one MULTI), then the code: a code never names a missing event.
      const written = await call(
        redis
          .multi()
          .set(keys.record(id), JSON.stringify(record))
          .set(keys.state(id), JSON.stringify(state))
          .set(keys.rev(id), String(state.rev))
          .exec(),
      );
      const failed = written?.find(([err]) => err);
      if (!written || failed) throw unavailable(failed?.[0] ?? new Error('MULTI aborted'));
      const claimed = await call(redis.set(keys.code(code), id, 'NX'));
      if (claimed !== 'OK') {
        await call(redis.del(keys.record(id), keys.state(id), keys.rev(id)));
        throw new TribuneError(ErrorCode.CONFLICT, 'join code in use');
      }
      await call(redis.sadd(keys.events(), id));
    },

    getEvent: readRecord,

    async findEventIdByCode(code) {
      const upper = code.trim().toUpperCase();
      if (!isKeySafe(upper)) return null;
      return call(redis.get(keys.code(upper)));
    },

    async countEvents() {
      return call(redis.scard(keys.events()));
    },

    async listEvents() {
      const ids = (await call(redis.smembers(keys.events()))).filter(isKeySafe);
      if (ids.length === 0) return [];
      // One GET per event (their keys live in different slots), in one round trip.
      const batch = redis.pipeline();
      for (const id of ids) batch.get(keys.record(id));
      const replies = (await call(batch.exec())) ?? [];
      return replies.flatMap(([err, raw]) => (err || typeof raw !== 'string' ? [] : [JSON.parse(raw) as EventRecord]));
    },

    async setSecretHashes(eventId, secretHashes) {
      const current = (await readRecord(eventId)) ?? notFound();
      const record = { ...current, secretHashes };
      // XX: never recreate an event that was deleted meanwhile.
      if ((await call(redis.set(keys.record(eventId), JSON.stringify(record), 'XX'))) !== 'OK') notFound();
      return record;
    },

    async getState(eventId) {
      if (!isKeySafe(eventId)) return null;
      return readState(eventId);
    },

    async update(eventId, change) {
      if (!isKeySafe(eventId)) notFound();
      return serial(eventId, () =>
        casLoop(
          eventId,
          (current) => {
            const next = change(current);
            return next === current ? null : next;
          },
          notFound,
        ),
      );
    },

    async publishPresence(eventId, processId, counts: PresenceCounts) {
      if (!isKeySafe(eventId)) return null;
      const entry = counts.connected === 0 && Object.keys(counts.byTable).length === 0
        ? ''
        : JSON.stringify({ connected: counts.connected, byTable: counts.byTable });
      return serial(eventId, () =>
        casLoop(
          eventId,
          // Presence is read after the state on every attempt, so the total written is never
          // older than the state it replaces (a late writer cannot restore a stale total).
          async (current) => {
            const live = await call(redis.tribunePresence(keys.presence(eventId), processId, entry, String(PRESENCE_STALE_MS)));
            const audience = sumPresence(live.map((json) => JSON.parse(json) as PresenceCounts));
            return sameAudience(audience, current.audience) ? null : { ...current, audience };
          },
          () => null,
        ),
      );
    },

    healthy: () => connectionsHealthy([redis, ...(options.alsoWatch ?? [])]),

    async close() {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
