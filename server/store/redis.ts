/**
 * Redis for the live store: the connection every store on Redis uses (bounded, failing fast). The
 * records and live states are the event logs' (server/log/redis-log.ts, keys in keys.ts).
 *
 * Faults: a Redis that is down or silent must not make requests hang. Every command settles within
 * COMMAND_TIMEOUT_MS (no offline queue, no replay of unanswered commands after a reconnect, a socket
 * that goes silent with commands pending is dropped), and any failure of Redis becomes
 * `TribuneError(UNAVAILABLE)`. A command that timed out may still have been applied by Redis (as
 * with any network store); the client sees UNAVAILABLE and retries.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { createRedisEphemeral } from '../log/ephemeral.ts';
import { createEventLogs } from '../log/event-logs.ts';
import { createRedisLog } from '../log/redis-log.ts';
import { reducers } from '../reducers.ts';
import { createKeys } from './keys.ts';
import { createStore } from './store.ts';
import type { Store } from './types.ts';

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

const UNAVAILABLE_MESSAGE = 'the store cannot be reached, retry';

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
    // The commands of one tick go out in one write, in order (a vote storm's XADDs: one syscall per round, not per vote).
    enableAutoPipelining: true,
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


/** The live store alone on its own connection and log (the server shares one: backend.ts). */
export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const keys = createKeys(options.prefix);
  const redis = await openStoreClient(options.url);
  const logs = createEventLogs(createRedisLog(redis, keys, { ownsConnection: true }), reducers);
  const store = createStore(logs, createRedisEphemeral(redis, keys), () => connectionsHealthy([redis, ...(options.alsoWatch ?? [])]));
  return { ...store, close: () => logs.close() };
}

/** Every key matching `pattern` (SCAN, in batches: never KEYS on a shared Redis). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await call(redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500));
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}
