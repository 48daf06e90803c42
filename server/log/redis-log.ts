/**
 * The log on Redis: one Stream per event, `<prefix>:{<eventId>}:log`, shared by every process.
 * Entry ids are `0-<seq>`: `XADD … 0-*` lets Redis hand out the next seq of the stream itself (one
 * command, no script, no rule), so the stream's ids are the log positions. Each entry is one field,
 * `e`, its JSON. The latest snapshot is `<prefix>:{<eventId>}:log:snapshot`; saving one trims the
 * stream below it (keeping `margin` entries, so a process a little behind reads on from the stream).
 *
 * Durability is Redis's: an entry is acknowledged once `XADD` answered (with AOF, `appendfsync`).
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';
import type { Entry, LogBackend, Snapshot } from './types.ts';

const seqOf = (id: string) => Number(id.slice(id.indexOf('-') + 1));

export interface RedisLogOptions {
  /** Entries kept below a snapshot (default 1000). */
  margin?: number;
  /** Close the connection with the log (by default it belongs to the backend, which closes it). */
  ownsConnection?: boolean;
}

export function createRedisLog(redis: Redis, keys: Keys, options: RedisLogOptions = {}): LogBackend {
  const margin = options.margin ?? 1_000;
  return {
    kind: 'redis',
    shared: true,
    async append(eventId, entry) {
      const id = await call(redis.xadd(keys.log.stream(eventId), '0-*', 'e', JSON.stringify(entry)));
      return seqOf(id as string);
    },
    async read(eventId, after, count) {
      const rows = await call(redis.xrange(keys.log.stream(eventId), `(0-${after}`, '+', 'COUNT', count));
      return rows.map(([id, fields]) => ({ ...(JSON.parse(fields[1]!) as Omit<Entry, 'seq'>), seq: seqOf(id) }));
    },
    async loadSnapshot(eventId) {
      const json = await call(redis.get(keys.log.snapshot(eventId)));
      return json ? (JSON.parse(json) as Snapshot) : null;
    },
    async saveSnapshot(eventId, seq, json) {
      const key = keys.log.snapshot(eventId);
      // Never replace a later snapshot (another process may have saved one meanwhile). Its seq
      // leads its JSON (`{"seq":N,…`, event-logs.ts): read that head, not the whole state.
      const head = await call(redis.getrange(key, 0, 31));
      let kept = Number(/^\{"seq":(\d+)[,}]/.exec(head)?.[1] ?? 0);
      if (head && !kept) kept = (JSON.parse((await call(redis.get(key))) ?? 'null') as Snapshot | null)?.seq ?? 0;
      if (kept >= seq) return;
      await call(
        redis
          .multi()
          .set(key, json)
          .xtrim(keys.log.stream(eventId), 'MINID', `0-${Math.max(1, seq - margin + 1)}`)
          .exec(),
      );
    },
    async close() {
      if (options.ownsConnection) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
