/**
 * Data written by the version before the event log is carried into it at open, on both backends:
 * an embedded DATA_DIR (fixtures/v1-data, files as that version wrote them) and a Redis prefix
 * holding that version's keys. Opening twice imports once; the old files and keys are retired.
 *
 * Questions: fixtures/v1-data/questions.ndjson and fixtures/v1-redis-questions.json (every key of
 * a prefix) were written by that version's questions stores themselves, and
 * fixtures/v1-questions-expected.json holds what those stores answered then (script:
 * tests/fixtures/write-v1-questions.ts, at commit 3cd6309, deleted with the stores). On Redis, one
 * of its events has no ranked lists, as a version older still left it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import type { QuestionStore, RankedList } from '../server/questions/store.ts';
import { createKeys } from '../server/store/keys.ts';
import { REDIS_URL, deleteKeys, describeRedis, uniquePrefix } from './helpers/redis.ts';

const FIXTURE = new URL('./fixtures/v1-data/', import.meta.url).pathname;

/** What the fixture's report holds, as the report domain answers it. */
const expected = {
  peak: { peak: 15, peakByTable: { aix: 8, granada: 7 } },
  summaries: {
    fr: { text: 'Résumé de la soirée', source: 'human', updatedAt: 1700000000000 },
    he: { text: 'סיכום', source: 'machine', updatedAt: 1700000002000 },
  },
};

async function readReport(backend: Backend) {
  return { peak: await backend.stores!.report.audiencePeak('ev-old'), summaries: await backend.stores!.report.summaries('ev-old') };
}

const QUESTIONS_EXPECTED = JSON.parse(fs.readFileSync(new URL('./fixtures/v1-questions-expected.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const QUESTION_EVENTS = Object.keys(QUESTIONS_EXPECTED);
const DEVICES = ['dev-a', 'dev-b', 'dev-c', 'dev-d'];
const LISTS: RankedList[] = ['public', 'pending', 'live', 'answered', 'dismissed'];

/** What the questions store answers, in the shape the old stores' answers were recorded in. */
async function readQuestions(store: QuestionStore) {
  const out: Record<string, unknown> = {};
  for (const e of QUESTION_EVENTS) {
    const pages: Record<string, string[]> = {};
    for (const list of LISTS) pages[list] = (await store.page(e, list, 0, 100)).items.map((x) => x.id);
    const byDevice: Record<string, unknown> = {};
    for (const d of DEVICES) {
      byDevice[d] = {
        votes: (await store.deviceVotes(e, d)).sort(),
        ratings: await store.deviceRatings(e, d),
        questions: (await store.deviceQuestions(e, d)).map((x) => x.id),
      };
    }
    out[e] = { list: await store.list(e), pages, ratingSummary: await store.ratingSummary(e), participation: await store.participation(e), byDevice };
  }
  return out;
}

/** The imported questions go on under the rules: voters and authors are remembered. */
async function goOn(store: QuestionStore) {
  const loose = { max: 100, windowMs: 60_000 };
  const again = await store.vote({ eventId: 'ev-old-q', id: 'q1', device: 'dev-b', value: 1, table: null, limit: loose });
  expect(again).toMatchObject({ changed: false, question: { votes: 3 } });
  const retry = await store.ask({ eventId: 'ev-old-q', record: { ...(await store.get('ev-old-q', 'q1'))! }, limit: loose });
  expect(retry.created).toBe(false);
  await expect(store.ask({ eventId: 'ev-old-q', record: { ...retry.question, device: 'dev-z' }, limit: loose })).rejects.toMatchObject({
    code: 'CONFLICT',
  });
}

describe('an embedded DATA_DIR written before the event log', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-v1-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is carried into the log at open, once', async () => {
    fs.cpSync(FIXTURE, dir, { recursive: true });
    let backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect(await readReport(backend)).toEqual(expected);
    expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
    await backend.close();
    for (const name of ['report', 'questions']) {
      expect(fs.existsSync(path.join(dir, `${name}.ndjson`))).toBe(false);
      expect(fs.existsSync(path.join(dir, `${name}.ndjson.imported`))).toBe(true);
    }

    backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect(await readReport(backend)).toEqual(expected);
    expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
    // One import entry, and the log goes on from it.
    expect(backend.logs.position('ev-old')).toBe(1);
    for (const e of QUESTION_EVENTS) expect(backend.logs.position(e)).toBe(1);
    await goOn(backend.stores!.questions);
    await backend.close();
  });
});

describeRedis('a Redis prefix written before the event log', () => {
  const prefix = uniquePrefix('v1');
  afterAll(() => deleteKeys(prefix));

  it('is carried into the log at open, once, and the old keys are removed', async () => {
    const keys = createKeys(prefix);
    const redis = new Redis(REDIS_URL);
    try {
      // The keys and values the report's Redis store wrote (report:peak, report:summary hashes).
      const peak = `${prefix}:{ev-old}:report:peak`;
      const summary = `${prefix}:{ev-old}:report:summary`;
      await redis.hset(peak, { total: '15', 't:aix': '8', 't:granada': '7' });
      await redis.hset(summary, {
        fr: JSON.stringify(expected.summaries.fr),
        he: JSON.stringify(expected.summaries.he),
      });
      // Every key the questions store of that version left (limits and a slot with their expiry).
      const dumped = JSON.parse(fs.readFileSync(new URL('./fixtures/v1-redis-questions.json', import.meta.url), 'utf8')) as OldKey[];
      for (const k of dumped) await restore(redis, k.key.replace('<prefix>', prefix), k);
      const oldQuestionKeys = async () => {
        let [cursor, n] = ['0', 0];
        do {
          const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:{*}:q:*`, 'COUNT', 500);
          [cursor, n] = [next, n + found.length];
        } while (cursor !== '0');
        return n;
      };
      expect(await oldQuestionKeys()).toBe(dumped.length);

      let backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
      await backend.close();
      expect(await redis.exists(peak, summary)).toBe(0);
      expect(await oldQuestionKeys()).toBe(0);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(1);
      for (const e of QUESTION_EVENTS) expect(await redis.xlen(keys.log.stream(e))).toBe(1);

      backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(1);
      for (const e of QUESTION_EVENTS) expect(await redis.xlen(keys.log.stream(e))).toBe(1);
      await goOn(backend.stores!.questions);
      await backend.close();
    } finally {
      redis.disconnect();
    }
  });
});

type OldKey =
  | { key: string; type: 'hash'; value: Record<string, string> }
  | { key: string; type: 'set'; value: string[] }
  | { key: string; type: 'zset'; value: [string, string][] }
  | { key: string; type: 'string'; value: string; pttl?: number };

/** Writes one recorded key back with plain commands. */
async function restore(redis: Redis, key: string, k: OldKey) {
  if (k.type === 'hash') await redis.hset(key, k.value);
  else if (k.type === 'set') await redis.sadd(key, ...k.value);
  else if (k.type === 'zset') await redis.zadd(key, ...k.value.flatMap(([member, score]) => [score, member]));
  else if (k.pttl) await redis.set(key, k.value, 'PX', k.pttl);
  else await redis.set(key, k.value);
}
