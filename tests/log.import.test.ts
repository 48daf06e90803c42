/**
 * Data written by the version before the event log is carried into it at open, on both backends:
 * an embedded DATA_DIR (fixtures/v1-data, files as that version wrote them) and a Redis prefix
 * holding that version's keys (fixtures/v1-redis: keys and values that version wrote, replayed
 * here with plain commands). Opening twice imports once; the old files and keys are retired.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import { createKeys } from '../server/store/keys.ts';
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
  return { peak: await backend.stores!.report.audiencePeak('ev-old'), summaries: await backend.stores!.report.summaries('ev-old') };
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
    await backend.close();
    expect(fs.existsSync(path.join(dir, 'report.ndjson'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'report.ndjson.imported'))).toBe(true);

    backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect(await readReport(backend)).toEqual(expected);
    expect(await backend.store.getState('ev-old')).toEqual(state);
    expect(await backend.store.listEvents()).toEqual([oldRecord]);
    // Imported once: the state, the audience reset and the report.
    expect(backend.logs.position('ev-old')).toBe(3);
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
      await replayRedisDump(redis, prefix, 'live.json');
      let backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      expect(await backend.store.getEvent('ev-old')).toEqual(oldRecord);
      const state = await backend.store.getState('ev-old');
      // On Redis the audience is every live process's: it stays until their presence goes stale.
      expect(state).toMatchObject({ rev: 5, stage: { phase: 'break' }, audience: { connected: 3, byTable: { t1: 3 } } });
      await backend.close();
      expect(await redis.exists(peak, summary, keys.state('ev-old'), keys.rev('ev-old'), keys.presence('ev-old'))).toBe(0);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(2);

      backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      expect(await backend.store.getState('ev-old')).toEqual(state);
      expect(await backend.store.findEventIdByCode('OLDEV1')).toBe('ev-old');
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(2);
      await backend.close();
    } finally {
      redis.disconnect();
    }
  });
});
