/**
 * What every process shares that is not history, so it is not in the event log: broadcast slots,
 * each process's presence counts, counters handed out to what is relayed but never stored (interim
 * captions take a `seq`). One interface, in memory (one process) or on Redis (several). Nothing here
 * survives what it does not need to: a slot lasts its window, a process's presence its stale limit.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';

/**
 * KEYS: presence hash. ARGV: processId, counts JSON (an object; "" removes the entry), stale ms.
 * Stamps the entry with Redis's clock (one clock for all processes), deletes entries older than
 * the stale limit and returns the live ones (JSON strings: the counts given, plus "at").
 */
const PRESENCE_LUA = `
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

export interface Ephemeral {
  /** A slot of the event shared by every process: 0 when the caller may act now (then nobody may for `windowMs`), else the ms to wait. */
  claim(eventId: string, name: string, windowMs: number): Promise<number>;
  /**
   * Records this process's `counts` under the event's `name` (null removes them) and returns the
   * counts of every process heard from within `staleMs`, this one included.
   */
  presence<T extends object>(eventId: string, name: string, processId: string, counts: T | null, staleMs: number): Promise<T[]>;
  /**
   * The event's counter `name`, raised by one, across processes; never at or below `floor` (what
   * the caller knows was handed out before: the embedded counters start again at 0 on a restart).
   */
  next(eventId: string, name: string, floor?: number): Promise<number>;
  /** The counter's value now (0: never raised). */
  current(eventId: string, name: string): Promise<number>;
}

export function createMemoryEphemeral(): Ephemeral {
  const claims = new Map<string, number>();
  const presences = new Map<string, Map<string, { at: number; counts: object }>>();
  const counters = new Map<string, number>();
  return {
    async claim(eventId, name, windowMs) {
      const key = `${eventId}|${name}`;
      const now = Date.now();
      const until = claims.get(key) ?? 0;
      if (now < until) return until - now;
      claims.set(key, now + windowMs);
      // Bounded: slots past their window are forgotten as new ones are taken.
      if (claims.size > 10_000) for (const [k, u] of claims) if (u <= now) claims.delete(k);
      return 0;
    },
    async presence<T extends object>(eventId: string, name: string, processId: string, counts: T | null, staleMs: number) {
      const key = `${eventId}|${name}`;
      let all = presences.get(key);
      if (!all) presences.set(key, (all = new Map()));
      const now = Date.now();
      if (counts) all.set(processId, { at: now, counts });
      else all.delete(processId);
      for (const [p, e] of all) if (now - e.at > staleMs) all.delete(p);
      if (!all.size) presences.delete(key);
      return [...all.values()].map((e) => e.counts as T);
    },
    async next(eventId, name, floor = 0) {
      const key = `${eventId}|${name}`;
      const n = Math.max(counters.get(key) ?? 0, floor) + 1;
      counters.set(key, n);
      return n;
    },
    async current(eventId, name) {
      return counters.get(`${eventId}|${name}`) ?? 0;
    },
  };
}

/** KEYS: the slot. ARGV: window ms. 0 = claimed; else the ms until the slot frees. */
const CLAIM_LUA = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
`;

/** KEYS: the counter. ARGV: floor. The counter raised by one, from the floor at least. */
const NEXT_LUA = `
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if v < floor then v = floor end
v = v + 1
redis.call('SET', KEYS[1], v)
return v
`;

interface Scripts {
  tribuneClaim(key: string, windowMs: string): Promise<number>;
  tribuneNext(key: string, floor: string): Promise<number>;
  tribunePresence(key: string, processId: string, counts: string, staleMs: string): Promise<string[]>;
}

/** Keys: `<prefix>:{<eventId>}:x:claim:<name>`, `…:x:presence:<name>`, `…:x:counter:<name>`. */
export function createRedisEphemeral(redis: Redis, keys: Keys): Ephemeral {
  const r = redis as Redis & Scripts;
  if (!(r as Partial<Scripts>).tribuneClaim) r.defineCommand('tribuneClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
  if (!(r as Partial<Scripts>).tribunePresence) r.defineCommand('tribunePresence', { numberOfKeys: 1, lua: PRESENCE_LUA });
  if (!(r as Partial<Scripts>).tribuneNext) r.defineCommand('tribuneNext', { numberOfKeys: 1, lua: NEXT_LUA });
  const k = keys.ephemeral;
  return {
    async claim(eventId, name, windowMs) {
      return Number(await call(r.tribuneClaim(k.claim(eventId, name), String(windowMs))));
    },
    async presence<T extends object>(eventId: string, name: string, processId: string, counts: T | null, staleMs: number) {
      // Wrapped (`{"c": …}`): the script stamps `at` into the object, which must not be empty.
      const entry = counts ? JSON.stringify({ c: counts }) : '';
      const live = await call(r.tribunePresence(k.presence(eventId, name), processId, entry, String(staleMs)));
      return live.map((json) => (JSON.parse(json) as { c: T }).c);
    },
    async next(eventId, name, floor = 0) {
      return Number(await call(r.tribuneNext(k.counter(eventId, name), String(floor))));
    },
    async current(eventId, name) {
      return Number((await call(r.get(k.counter(eventId, name)))) ?? 0);
    },
  };
}
