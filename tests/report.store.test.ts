/**
 * What the report keeps, at the store level, against both implementations: every final caption
 * per language in its latest version (the transcript), and the report store's audience peaks and
 * summaries; each across a reopen (a restart). And the embedded captions journal stays bounded
 * (compaction) while keeping every final segment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryCaptionStore } from '../server/captions/memory-store.ts';
import { createRedisCaptionStore } from '../server/captions/redis-store.ts';
import type { CaptionStore } from '../server/captions/store.ts';
import { createReportStore, reportReducer, type ReportStore } from '../server/report/store.ts';
import { storeKinds } from './helpers/stores.ts';
import { createKeys } from '../server/store/keys.ts';
import { storeClientOptions } from '../server/store/redis.ts';
import { REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './helpers/redis.ts';

interface Kind {
  name: 'memory' | 'redis';
  available: boolean;
  newLocation(): string;
  captions(location: string): Promise<CaptionStore>;
  report(location: string): Promise<ReportStore>;
  cleanup(location: string): Promise<void>;
}

const clients: Redis[] = [];
async function redisClient() {
  const redis = new Redis(REDIS_URL, storeClientOptions());
  redis.on('error', () => {});
  await redis.connect();
  clients.push(redis);
  return redis;
}

const kinds: Kind[] = [
  {
    name: 'memory',
    available: true,
    newLocation: () => fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-report-')),
    captions: async (dir) => createMemoryCaptionStore({ dataDir: dir }),
    report: async (dir) => reportOn('memory', dir),
    cleanup: async (dir) => fs.rmSync(dir, { recursive: true, force: true }),
  },
  {
    name: 'redis',
    available: await requireRedis(),
    newLocation: () => uniquePrefix('report'),
    captions: async (prefix) => createRedisCaptionStore(await redisClient(), createKeys(prefix)),
    report: async (prefix) => reportOn('redis', prefix),
    cleanup: (prefix) => deleteKeys(prefix),
  },
];

/** The report's store on the event logs of a location; closing it closes the logs. */
async function reportOn(kind: 'memory' | 'redis', location: string): Promise<ReportStore> {
  const logs = await storeKinds.find((k) => k.name === kind)!.openLogs(location, [reportReducer]);
  return { ...createReportStore(logs), close: () => logs.close() };
}

const locations: [Kind, string][] = [];
afterAll(async () => {
  for (const [kind, location] of locations) await kind.cleanup(location);
  clients.forEach((c) => c.disconnect());
});

const final = (id: string, text: string, itemId: string | null, at: number, lang = 'fr') =>
  ({ lang, id, itemId, text, source: 'human' as const, at });

for (const kind of kinds) {
  describe.skipIf(!kind.available)(`report data on the ${kind.name} store`, () => {
    const where = () => {
      const l = kind.newLocation();
      locations.push([kind, l]);
      return l;
    };

    it('the transcript holds every final segment, oldest first, corrections in place with the segment\'s first time', async () => {
      const loc = where();
      const s = await kind.captions(loc);
      await s.appendFinal('e1', final('a', 'un', 'aix', 1000));
      await s.appendFinal('e1', final('b', 'deux', 'aix', 2000));
      await s.appendFinal('e1', { ...final('m_a', 'one', 'aix', 2500, 'en'), source: 'machine' });
      await s.appendFinal('e1', final('c', 'trois', 'granada', 3000));
      await s.appendFinal('e1', final('a', 'un, corrigé', 'granada', 4000)); // keeps item aix and time 1000
      await s.appendFinal('e2', final('x', 'autre événement', null, 5000));
      // More than the 200 finals an item's history keeps: the transcript keeps them all.
      for (let n = 0; n < 250; n++) await s.appendFinal('e1', final(`n${n}`, `ligne ${n}`, 'coimbra', 10_000 + n));

      const expected = [
        { itemId: 'aix', id: 'a', text: 'un, corrigé', source: 'human', at: 1000 },
        { itemId: 'aix', id: 'b', text: 'deux', source: 'human', at: 2000 },
        { itemId: 'granada', id: 'c', text: 'trois', source: 'human', at: 3000 },
      ];
      const fr = await s.transcript('e1', 'fr');
      expect(fr).toHaveLength(253);
      expect(fr.slice(0, 3)).toEqual(expected);
      expect(fr.at(-1)).toEqual({ itemId: 'coimbra', id: 'n249', text: 'ligne 249', source: 'human', at: 10_249 });
      expect(await s.transcript('e1', 'en')).toEqual([{ itemId: 'aix', id: 'm_a', text: 'one', source: 'machine', at: 2500 }]);
      expect(await s.transcript('e1', 'he')).toEqual([]);
      expect((await s.history('e1', 'fr', 'coimbra')).length).toBe(200);
      await s.close();

      const again = await kind.captions(loc);
      expect(await again.transcript('e1', 'fr')).toEqual(fr);
      expect(await again.transcript('e2', 'fr')).toEqual([{ itemId: null, id: 'x', text: 'autre événement', source: 'human', at: 5000 }]);
      await again.close();
    });

    it('audience peaks only rise, per table too; summaries per language; both survive a reopen', async () => {
      const loc = where();
      const s = await kind.report(loc);
      expect(await s.audiencePeak('e1')).toEqual({ peak: 0, peakByTable: {} });
      await s.recordAudience('e1', { connected: 5, byTable: { t1: 3, t2: 2 } });
      await s.recordAudience('e1', { connected: 3, byTable: { t1: 1, t2: 2, t3: 1 } });
      await s.recordAudience('e1', { connected: 6, byTable: { t1: 2, t2: 4 } });
      await s.recordAudience('e2', { connected: 1, byTable: {} });
      await s.setSummary('e1', 'fr', { text: 'Résumé', source: 'human', updatedAt: 1 });
      await s.setSummary('e1', 'es', { text: 'Resumen', source: 'machine', updatedAt: 2 });
      await s.setSummary('e1', 'es', null);
      await s.setSummary('e1', 'he', { text: 'סיכום', source: 'machine', updatedAt: 3 });
      await s.close();

      const again = await kind.report(loc);
      expect(await again.audiencePeak('e1')).toEqual({ peak: 6, peakByTable: { t1: 3, t2: 4, t3: 1 } });
      expect(await again.audiencePeak('e2')).toEqual({ peak: 1, peakByTable: {} });
      expect(await again.summaries('e1')).toEqual({
        fr: { text: 'Résumé', source: 'human', updatedAt: 1 },
        he: { text: 'סיכום', source: 'machine', updatedAt: 3 },
      });
      expect(await again.summaries('e2')).toEqual({});
      await again.close();
    });
  });
}

describe('the embedded captions journal', () => {
  it('stays bounded under corrections and restarts, keeping every final and seqs above all sent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-compact-'));
    const file = path.join(dir, 'captions.ndjson');
    const lines = () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    try {
      let s = createMemoryCaptionStore({ dataDir: dir, compactSlack: 100 });
      let lastSeq = 0;
      // 50 segments, each corrected 20 times: 1050 finals written for 50 live segments.
      for (let n = 0; n < 50; n++) {
        for (let v = 0; v <= 20; v++) lastSeq = (await s.appendFinal('e1', final(`s${n}`, `segment ${n} v${v}`, 'aix', v === 0 ? 1000 + n : 900_000 + v))).seq;
      }
      for (let n = 0; n < 500; n++) lastSeq = await s.nextSeq('e1', 'fr'); // interim captions: seq reservations
      const transcript = await s.transcript('e1', 'fr');
      expect(transcript.map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, n) => `segment ${n} v20`));
      // Bounded while running: never more than twice the live lines plus the slack.
      expect(lines()).toBeLessThanOrEqual(2 * 51 + 100 + 1);
      await s.close();

      s = createMemoryCaptionStore({ dataDir: dir, compactSlack: 100 });
      // At open: one line per segment and one reserve mark.
      expect(lines()).toBe(51);
      expect(await s.transcript('e1', 'fr')).toEqual(transcript);
      expect(await s.nextSeq('e1', 'fr')).toBeGreaterThan(lastSeq);
      // The segment's first time survives compaction of its corrections.
      expect(transcript[7]!.at).toBe(1007);
      await s.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
