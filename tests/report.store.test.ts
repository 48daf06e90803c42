/**
 * What the report keeps, at the store level, against both implementations: every final caption
 * per language in its latest version (the transcript), and the report store's audience peaks and
 * summaries; each across a reopen (a restart). And the captions' log stays bounded (snapshots)
 * while keeping every final segment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaptionStore } from '../server/captions/store.ts';
import { createReportStore, reportReducer, type ReportStore } from '../server/report/store.ts';
import { openCaptionStore } from './helpers/caption-stores.ts';
import { storeKinds } from './helpers/stores.ts';
import { deleteKeys, requireRedis, uniquePrefix } from './helpers/redis.ts';

interface Kind {
  name: 'memory' | 'redis';
  available: boolean;
  newLocation(): string;
  captions(location: string): Promise<CaptionStore>;
  report(location: string): Promise<ReportStore>;
  cleanup(location: string): Promise<void>;
}

const backendKind = (name: 'memory' | 'redis') => storeKinds.find((k) => k.name === name)!;

const kinds: Kind[] = [
  {
    name: 'memory',
    available: true,
    newLocation: () => fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-report-')),
    captions: async (dir) => openCaptionStore(backendKind('memory'), dir),
    report: async (dir) => reportOn('memory', dir),
    cleanup: async (dir) => fs.rmSync(dir, { recursive: true, force: true }),
  },
  {
    name: 'redis',
    available: await requireRedis(),
    newLocation: () => uniquePrefix('report'),
    captions: async (prefix) => openCaptionStore(backendKind('redis'), prefix),
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

describe("the captions' embedded log", () => {
  // The journal of the version before the log was compacted while running; the log's journal is
  // bounded by snapshots instead: each event's state (one record per segment, whatever its
  // corrections) is saved every `snapshotEvery` entries, and at open the journal keeps only the
  // entries above each snapshot (while running, the lines stay until the next open).
  it('stays bounded under corrections and restarts, keeping every final and seqs above all sent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-compact-'));
    const file = path.join(dir, 'log.ndjson');
    const lines = () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    const memory = backendKind('memory');
    try {
      let s = await openCaptionStore(memory, dir, {}, { snapshotEvery: 100 });
      let lastSeq = 0;
      // 50 segments, each corrected 20 times: 1050 finals written for 50 live segments.
      for (let n = 0; n < 50; n++) {
        for (let v = 0; v <= 20; v++) lastSeq = (await s.appendFinal('e1', final(`s${n}`, `segment ${n} v${v}`, 'aix', v === 0 ? 1000 + n : 900_000 + v))).seq;
      }
      for (let n = 0; n < 500; n++) lastSeq = await s.nextSeq('e1', 'fr'); // interim captions: a reserve mark per 100
      const transcript = await s.transcript('e1', 'fr');
      expect(transcript.map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, n) => `segment ${n} v20`));
      const entries = s.logs.position('e1');
      expect(entries).toBeGreaterThan(1050);
      await s.close();

      s = await openCaptionStore(memory, dir, {}, { snapshotEvery: 100 });
      // At open: only the entries above the last snapshot; the snapshot holds one record per segment.
      expect(lines()).toBeLessThan(100);
      const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'log-snapshots', 'e1.json'), 'utf8')) as {
        seq: number;
        states: { captions: { langs: { fr: { segments: unknown[] } } } };
      };
      expect(snapshot.seq).toBe(Math.floor(entries / 100) * 100);
      // One record per segment (not per version): the segments fixed by then, at most the 50.
      const saved = snapshot.states.captions.langs.fr.segments as [string][];
      expect(saved.length).toBeGreaterThan(40);
      expect(new Set(saved.map(([id]) => id)).size).toBe(saved.length);
      expect(await s.transcript('e1', 'fr')).toEqual(transcript);
      expect(await s.nextSeq('e1', 'fr')).toBeGreaterThan(lastSeq);
      // The segment's first time survives its corrections and the snapshot.
      expect(transcript[7]!.at).toBe(1007);
      await s.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
