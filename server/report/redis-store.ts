/**
 * The report store on Redis, under the event's hash tag (keys.ts `report.*`):
 *
 *   report:peak      hash  `total` and `t:<tableId>` → the most phones seen at once
 *   report:summary   hash  language → SummaryEntry JSON
 *
 * A peak only rises: one Lua script compares and sets each field, so processes publishing
 * presence at the same time never lower each other's peak.
 */
import type { Redis } from 'ioredis';
import type { SummaryEntry } from '../../shared/report.ts';
import type { Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';
import { peakFields, peakFrom, type ReportStore } from './store.ts';

/** KEYS: peak hash. ARGV: field, count, field, count, … */
const RAISE_LUA = `
for i = 1, #ARGV, 2 do
  local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if tonumber(ARGV[i + 1]) > cur then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
`;

interface Scripts {
  tribuneRaisePeak(key: string, ...fieldsAndCounts: string[]): Promise<number>;
}

export function createRedisReportStore(redis: Redis, keys: Keys): ReportStore {
  const r = redis as Redis & Scripts;
  if (!(r as Partial<Scripts>).tribuneRaisePeak) r.defineCommand('tribuneRaisePeak', { numberOfKeys: 1, lua: RAISE_LUA });
  const k = keys.report;
  return {
    kind: 'redis',
    async recordAudience(eventId, audience) {
      const args = peakFields(audience).flatMap(([f, n]) => [f, String(n)]);
      await call(r.tribuneRaisePeak(k.peak(eventId), ...args));
    },
    async audiencePeak(eventId) {
      const raw = await call(r.hgetall(k.peak(eventId)));
      return peakFrom(Object.entries(raw).map(([f, n]): [string, number] => [f, Number(n)]));
    },
    async summaries(eventId) {
      const raw = await call(r.hgetall(k.summary(eventId)));
      return Object.fromEntries(Object.entries(raw).map(([lang, json]) => [lang, JSON.parse(json) as SummaryEntry]));
    },
    async setSummary(eventId, lang, entry) {
      await call(entry ? r.hset(k.summary(eventId), lang, JSON.stringify(entry)) : r.hdel(k.summary(eventId), lang));
    },
    async close() {
      // The connection belongs to the backend (backend.ts), which closes it.
    },
  };
}
