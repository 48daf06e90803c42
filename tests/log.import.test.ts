/**
 * Data written by the version before the event log is carried into it at open, on both backends:
 * an embedded DATA_DIR (fixtures/v1-data, files as that version wrote them) and a Redis prefix
 * holding that version's keys. Opening twice imports once; the old files and keys are retired.
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
    await backend.close();
    expect(fs.existsSync(path.join(dir, 'report.ndjson'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'report.ndjson.imported'))).toBe(true);

    backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect(await readReport(backend)).toEqual(expected);
    // One import entry, and the log goes on from it.
    expect(backend.logs.position('ev-old')).toBe(1);
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
      let backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      await backend.close();
      expect(await redis.exists(peak, summary)).toBe(0);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(1);

      backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix });
      expect(await readReport(backend)).toEqual(expected);
      expect(await redis.xlen(keys.log.stream('ev-old'))).toBe(1);
      await backend.close();
    } finally {
      redis.disconnect();
    }
  });
});
