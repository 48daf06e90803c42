/**
 * The questions log's own costs behind a join, in this process (bench-join.ts): with `n`
 * questions stored, a join's reads (the head of the ranking; before: every question) and what a
 * vote costs now that it moves the question in the ranked lists.
 */
import { randomBytes } from 'node:crypto';
import { createEventLogs, domainLog } from '../../server/log/event-logs.ts';
import { createMemoryLog } from '../../server/log/memory-log.ts';
import { createRedisLog } from '../../server/log/redis-log.ts';
import * as read from '../../server/questions/read.ts';
import { questionsReducer, type QuestionRecord, type QuestionsLog } from '../../server/questions/rules.ts';
import { createKeys } from '../../server/store/keys.ts';
import { deleteKeys, quickRedis } from './redis.ts';

const LOOSE = { max: 1e9, windowMs: 60_000 };

/** Mean time of `fn` over `reps` runs, µs. */
async function mean(reps: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn(i);
  return ((performance.now() - t0) / reps) * 1000;
}

const us = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(1)} µs`);

export async function measureStore(kind: 'memory' | 'redis', n: number, redisUrl: string): Promise<string> {
  const prefix = `tribune-bench-joinstore-${randomBytes(6).toString('hex')}`;
  const redis = kind === 'redis' ? await quickRedis(redisUrl) : null;
  if (redis) await redis.connect();
  const keys = createKeys(prefix);
  const logs = createEventLogs(redis ? createRedisLog(redis, keys) : createMemoryLog(), [questionsReducer]);
  const log: QuestionsLog = domainLog(logs, questionsReducer);
  const vote = (e: string, id: string, device: string) =>
    log.append(e, { kind: 'questions.vote', payload: { id, value: 1, limit: LOOSE }, device, table: null });
  try {
    const e = 'bench-event';
    const ids: string[] = [];
    const t0 = performance.now();
    for (let from = 0; from < n; from += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, n - from) }, async (_, j) => {
          const i = from + j;
          const record: QuestionRecord = {
            id: `q${i}`, text: `Question ${i}`, lang: 'fr', itemId: null, table: null, author: null, votes: 0, status: 'live',
            createdAt: 1_764_100_000_000 + i, rev: 1, device: `d${i % 500}`,
          };
          ids.push(record.id);
          await log.append(e, { kind: 'questions.ask', payload: { record, limit: LOOSE } });
          for (let v = 0; v < i % 4; v++) await vote(e, record.id, `v${v}`);
        }),
      );
    }
    const seedMs = performance.now() - t0;
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    const lines = [`store ops, ${kind === 'memory' ? 'embedded' : 'redis'}, ${n} questions (stored in ${(seedMs / 1000).toFixed(1)} s):`];
    // What a join read before the ranked lists (one read per batch of joins, then a filter per socket).
    const all = await mean(kind === 'memory' ? 50 : 10, async () => read.list(await log.state(e)).filter((q) => q.status === 'live' || q.status === 'answered'));
    lines.push(`    every question (list + filter, the old snapshot's read): ${us(all)}`);
    const head = await mean(500, async () => read.page(await log.state(e), 'public', 0, 50));
    const deep = await mean(500, async () => read.page(await log.state(e), 'public', Math.floor(Math.random() * (n - 50)), 50));
    const own = await mean(500, async (i) => {
      const s = await log.state(e);
      return [read.deviceQuestions(s, `d${i % 500}`, 100), read.votedAmong(s, 'v1', ids.slice(0, 50))];
    });
    lines.push(`    head of the ranking (page of 50, the snapshot's read): ${us(head)}; a page at a random offset: ${us(deep)}`);
    lines.push(`    a device's own questions + its voted among 50: ${us(own)}`);
    const voted = await mean(1000, (i) => vote(e, pick(), `fan-${i}`));
    lines.push(`    a vote (moves the question in its lists): ${us(voted)}`);
    return lines.join('\n');
  } finally {
    await logs.close();
    if (redis) {
      redis.disconnect();
      await deleteKeys(redisUrl, prefix);
    }
  }
}
