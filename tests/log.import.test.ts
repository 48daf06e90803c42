/**
 * Data written by the version before the event log is carried into it at open, on both backends:
 * an embedded DATA_DIR (fixtures/v1-data, files as that version wrote them) and a Redis prefix
 * holding that version's keys (fixtures/v1-redis: keys and values that version wrote, replayed
 * here with plain commands). Opening twice imports once; the old files and keys are retired.
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
import { oldKeys } from '../server/events/import.ts';
import { glossaryOf, historyOf, sinceOf, transcriptOf } from '../server/captions/rules.ts';
import * as read from '../server/questions/read.ts';
import type { QuestionsLog, RankedList } from '../server/questions/rules.ts';
import { audiencePeakOf, reportReducer, summariesOf } from '../server/report/rules.ts';
import { createKeys } from '../server/store/keys.ts';
import { captionsOn } from './helpers/caption-logs.ts';
import { REDIS_URL, deleteKeys, describeRedis, uniquePrefix } from './helpers/redis.ts';

const FIXTURE = new URL('./fixtures/v1-data/', import.meta.url).pathname;
const REDIS_FIXTURES = new URL('./fixtures/v1-redis/', import.meta.url).pathname;

/** Writes a dump of fixtures/v1-redis (key without prefix → string, hash or set) under `prefix`. */
async function replayRedisDump(redis: Redis, prefix: string, name: string) {
  type Value = { string?: string; hash?: Record<string, string>; set?: string[] };
  const dump = JSON.parse(fs.readFileSync(path.join(REDIS_FIXTURES, name), 'utf8')) as Record<string, Value>;
  for (const [key, value] of Object.entries(dump)) {
    const full = `${prefix}:${key}`;
    if (value.string !== undefined) await redis.set(full, value.string);
    else if (value.hash) await redis.hset(full, value.hash);
    else if (value.set) await redis.sadd(full, ...value.set);
  }
}

/** The live state and record the fixtures hold (written by the previous version's live store). */
const oldRecord = {
  id: 'ev-old',
  code: 'OLDEV1',
  createdAt: 1700000000000,
  secretHashes: { moderator: 'h-moderator-2', projector: 'h-projector', interpreters: { fr: 'h-fr', es: 'h-es' } },
};

/** What the fixture's report holds, as the report domain answers it. */
const expected = {
  peak: { peak: 15, peakByTable: { aix: 8, granada: 7 } },
  summaries: {
    fr: { text: 'Résumé de la soirée', source: 'human', updatedAt: 1700000000000 },
    he: { text: 'סיכום', source: 'machine', updatedAt: 1700000002000 },
  },
};

async function readReport(backend: Backend) {
  const report = await backend.logs.state('ev-old', reportReducer);
  return { peak: audiencePeakOf(report), summaries: summariesOf(report) };
}

const QUESTIONS_EXPECTED = JSON.parse(fs.readFileSync(new URL('./fixtures/v1-questions-expected.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const QUESTION_EVENTS = Object.keys(QUESTIONS_EXPECTED);
const DEVICES = ['dev-a', 'dev-b', 'dev-c', 'dev-d'];
const LISTS: RankedList[] = ['public', 'pending', 'live', 'answered', 'dismissed'];

/** What the questions log's state reads, in the shape the old stores' answers were recorded in. */
async function readQuestions(log: QuestionsLog) {
  const out: Record<string, unknown> = {};
  for (const e of QUESTION_EVENTS) {
    const s = await log.state(e);
    const pages: Record<string, string[]> = {};
    for (const list of LISTS) pages[list] = read.page(s, list, 0, 100).items.map((x) => x.id);
    const byDevice: Record<string, unknown> = {};
    for (const d of DEVICES) {
      byDevice[d] = {
        votes: read.deviceVotes(s, d),
        ratings: read.deviceRatings(s, d),
        questions: read.deviceQuestions(s, d).map((x) => x.id),
      };
    }
    out[e] = { list: read.list(s), pages, ratingSummary: read.ratingSummary(s), participation: read.participation(s), byDevice };
  }
  return out;
}

/** The imported questions go on under the rules: voters and authors are remembered. */
async function goOn(log: QuestionsLog) {
  const limit = { max: 100, windowMs: 60_000 };
  const e = 'ev-old-q';
  const again = await log.append(e, { kind: 'questions.vote', payload: { id: 'q1', value: 1, limit }, device: 'dev-b', table: null });
  expect(again).toMatchObject({ changed: false, question: { votes: 3 } });
  const record = read.get(await log.state(e), 'q1')!;
  expect(await log.append(e, { kind: 'questions.ask', payload: { record: { ...record }, limit } })).toMatchObject({ created: false });
  await expect(log.append(e, { kind: 'questions.ask', payload: { record: { ...record, device: 'dev-z' }, limit } })).rejects.toMatchObject({
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
    // The live store: the record as last changed, the state as last stored, its audience gone
    // with the process that counted it (a change: rev 5 → 6).
    expect(await backend.store.getEvent('ev-old')).toEqual(oldRecord);
    expect(await backend.store.findEventIdByCode('oldev1')).toBe('ev-old');
    const state = await backend.store.getState('ev-old');
    expect(state).toMatchObject({ rev: 6, stage: { phase: 'break' }, audience: { connected: 0, byTable: {} } });
    expect(state!.agenda[0]!.spokenMs).toBe(2);
    expect(fs.existsSync(path.join(dir, 'journal.ndjson'))).toBe(false);
    expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
    await backend.close();
    for (const name of ['report', 'questions']) {
      expect(fs.existsSync(path.join(dir, `${name}.ndjson`))).toBe(false);
      expect(fs.existsSync(path.join(dir, `${name}.ndjson.imported`))).toBe(true);
    }

    backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect(await readReport(backend)).toEqual(expected);
    expect(await backend.store.getState('ev-old')).toEqual(state);
    expect(await backend.store.listEvents()).toEqual([oldRecord]);
    // Imported once: the state, the audience reset and the report.
    expect(backend.logs.position('ev-old')).toBe(3);
    expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
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
    const old = oldKeys(keys);
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
      await replayRedisDump(redis, prefix, 'live.json');
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
      expect(await backend.store.getEvent('ev-old')).toEqual(oldRecord);
      const state = await backend.store.getState('ev-old');
      // On Redis the audience is every live process's: it stays until their presence goes stale.
      expect(state).toMatchObject({ rev: 5, stage: { phase: 'break' }, audience: { connected: 3, byTable: { t1: 3 } } });
      await backend.close();
      expect(await redis.exists(peak, summary, old.state('ev-old'), old.rev('ev-old'), old.presence('ev-old'))).toBe(0);
      expect(await oldQuestionKeys()).toBe(0);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(2);
      for (const e of QUESTION_EVENTS) expect(await redis.xlen(keys.log.stream(e))).toBe(1);

      backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      expect(await readQuestions(backend.stores!.questions)).toEqual(QUESTIONS_EXPECTED);
      expect(await backend.store.getState('ev-old')).toEqual(state);
      expect(await backend.store.findEventIdByCode('OLDEV1')).toBe('ev-old');
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(2);
      for (const e of QUESTION_EVENTS) expect(await redis.xlen(keys.log.stream(e))).toBe(1);
      await goOn(backend.stores!.questions);
      await backend.close();

      // Imported once on this prefix: a later start does not look for old keys again.
      expect(await redis.exists(keys.imported())).toBe(1);
      await replayRedisDump(redis, prefix, 'live.json');
      backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await redis.exists(old.state('ev-old'))).toBe(1);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(2);
      await backend.close();
    } finally {
      redis.disconnect();
    }
  });
});

/**
 * Captions: the fixtures were written by the captions stores of the version before the log
 * (tests/fixtures/v1-data/captions.ndjson, v1-captions-redis.json) with what those stores answered
 * then (v1-captions-expected.json). Imported, the store answers the same — except `lastSeq`, which
 * was the old counter (interim seqs included, or the embedded reserve mark) and is now the highest
 * seq known to be sent: it is at least every final's, and the next seq is above the old counter.
 */
describe('captions written before the event log', () => {
  const expectedCaptions = JSON.parse(fs.readFileSync(new URL('./fixtures/v1-captions-expected.json', import.meta.url), 'utf8')) as Record<
    'memory' | 'redis',
    Record<string, { lastSeq: number; history: Record<string, unknown>; since0: { items: { seq: number }[] }; transcript: unknown } | unknown>
  >;
  const languages: [string, string, (string | null)[]][] = [
    ['ev-cap', 'fr', ['aix', 'granada', 'coimbra', null]],
    ['ev-cap', 'en', ['aix']],
    ['ev-cap', 'he', ['aix']],
    ['ev-cap2', 'es', ['coimbra']],
  ];

  /** The store's answers, as the writer recorded the old ones, and the next seq of each language. */
  async function checkCaptions(backend: Backend, kind: 'memory' | 'redis') {
    const { log, seqs } = captionsOn(backend.logs, backend.ephemeral);
    const want = expectedCaptions[kind]!;
    for (const [e, lang, items] of languages) {
      const old = want[`${e}/${lang}`] as { lastSeq: number; history: Record<string, unknown>; since0: { items: { seq: number }[] }; transcript: unknown };
      const state = await log.state(e);
      for (const item of items) expect(historyOf(state, lang, item), `${e}/${lang} history of ${item}`).toEqual(old.history[String(item)]);
      expect(sinceOf(state, lang, 0, 500), `${e}/${lang} since 0`).toEqual(old.since0);
      expect(transcriptOf(state, lang), `${e}/${lang} transcript`).toEqual(old.transcript);
      const lastSeq = await seqs.last(e, lang);
      expect(lastSeq).toBeGreaterThanOrEqual(Math.max(...old.since0.items.map((c) => c.seq)));
      expect(lastSeq).toBeLessThanOrEqual(old.lastSeq);
    }
    expect(glossaryOf(await log.state('ev-cap'))).toEqual(want.glossary);
    expect((await log.state('ev-cap')).display).toEqual(want.display);
    expect((await log.state('ev-cap2')).display).toEqual(want.display2);
  }

  /** After the checks: seqs go on above the old counter, the correction window counts the imported segments. */
  async function goOn(backend: Backend, kind: 'memory' | 'redis') {
    const captions = captionsOn(backend.logs, backend.ephemeral).seqs;
    const oldLast = (expectedCaptions[kind]!['ev-cap/fr'] as { lastSeq: number }).lastSeq;
    expect(await captions.next('ev-cap', 'fr')).toBeGreaterThan(oldLast);
    const fixed = await captions.appendFinal('ev-cap', { lang: 'fr', id: 'g2', itemId: 'coimbra', text: "L'Alhambra", source: 'human', at: 1 });
    expect(fixed).toMatchObject({ itemId: 'granada', text: "L'Alhambra" });
    expect(fixed.seq).toBeGreaterThan(oldLast);
    // Five segments before: a sixth puts the first (a1) out of the correction window.
    await captions.appendFinal('ev-cap', { lang: 'fr', id: 'x1', itemId: 'coimbra', text: 'Suite', source: 'human', at: 2 });
    await expect(captions.appendFinal('ev-cap', { lang: 'fr', id: 'a1', itemId: null, text: 'trop tard', source: 'human', at: 3 })).rejects.toMatchObject({
      reason: 'segmentTooOld',
    });
  }

  it('an embedded DATA_DIR: carried into the log at open, once, the journal renamed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-v1-captions-'));
    try {
      fs.cpSync(FIXTURE, dir, { recursive: true });
      let backend = await openBackend({ kind: 'memory', dataDir: dir });
      await checkCaptions(backend, 'memory');
      const positions = [backend.logs.position('ev-cap'), backend.logs.position('ev-cap2')];
      await backend.close();
      expect(fs.existsSync(path.join(dir, 'captions.ndjson'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'captions.ndjson.imported'))).toBe(true);

      backend = await openBackend({ kind: 'memory', dataDir: dir });
      await checkCaptions(backend, 'memory');
      expect([backend.logs.position('ev-cap'), backend.logs.position('ev-cap2')]).toEqual(positions);
      await goOn(backend, 'memory');
      await backend.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describeRedis('on Redis', () => {
    const prefix = uniquePrefix('v1-captions');
    afterAll(() => deleteKeys(prefix));

    it('a prefix: carried into the log at open, once, and the old keys are removed', async () => {
      const keys = createKeys(prefix);
      const dump = JSON.parse(fs.readFileSync(new URL('./fixtures/v1-captions-redis.json', import.meta.url), 'utf8')) as {
        keys: { key: string; type: string; value: unknown }[];
      };
      const redis = new Redis(REDIS_URL);
      const oldKeys = async () => (await redis.keys(`${prefix}:{*}:captions:*`)).sort();
      try {
        // The old version's keys, set again with plain commands.
        for (const { key, type, value } of dump.keys) {
          const k = prefix + key;
          if (type === 'string') await redis.set(k, value as string);
          else if (type === 'hash') await redis.hset(k, value as Record<string, string>);
          else if (type === 'zset') {
            const flat = value as string[];
            for (let i = 0; i < flat.length; i += 2) await redis.zadd(k, flat[i + 1]!, flat[i]!);
          } else if (type === 'stream') {
            for (const [id, fields] of value as [string, string[]][]) await redis.xadd(k, id, ...fields);
          }
        }
        expect(await oldKeys()).toHaveLength(dump.keys.length);

        let backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
        await checkCaptions(backend, 'redis');
        await backend.close();
        expect(await oldKeys()).toEqual([]);
        const lengths = [await redis.xlen(keys.log.stream('ev-cap')), await redis.xlen(keys.log.stream('ev-cap2'))];
        expect(lengths[0]).toBeGreaterThan(0);

        backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
        await checkCaptions(backend, 'redis');
        expect([await redis.xlen(keys.log.stream('ev-cap')), await redis.xlen(keys.log.stream('ev-cap2'))]).toEqual(lengths);
        await goOn(backend, 'redis');
        await backend.close();
      } finally {
        redis.disconnect();
      }
    });
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
