/**
 * The captions domain on both backends of the event log: the embedded journal (a temp DATA_DIR,
 * reopened = restarted, its in-process seq counter lost) and Redis (a unique key prefix, deleted
 * afterwards). What only a backend can show: seqs (a counter shared by processes, above every seq
 * sent after a restart), what a restart keeps (the log replayed, or its snapshot and the entries
 * after it), presence summed over processes, two processes on one location, and the embedded log
 * bounded by snapshots. What the rules decide is tested without a backend in captions.rules.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { glossaryOf, historyOf, sinceOf, transcriptOf, type FinalInput } from '../server/captions/rules.ts';
import { publishCaptionPresence } from '../server/captions/presence.ts';
import { openCaptions, type OpenedCaptions } from './helpers/caption-logs.ts';
import { storeKinds } from './helpers/stores.ts';

const final = (over: Partial<FinalInput> & { id: string }): FinalInput => ({
  lang: 'fr',
  itemId: 'aix',
  text: `text of ${over.id}`,
  source: 'human',
  at: 1_764_100_000_000,
  ...over,
});

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`captions on the ${kind.name} log`, () => {
    const locations: string[] = [];
    const opened: OpenedCaptions[] = [];
    const open = async () => {
      const location = kind.newLocation();
      locations.push(location);
      return { location, c: await reopen(location) };
    };
    const reopen = async (location: string) => {
      const c = await openCaptions(kind, location);
      opened.push(c);
      return c;
    };
    afterAll(async () => {
      for (const c of opened) await c.close().catch(() => {});
      for (const l of locations) await kind.cleanup(l);
    });

    it('hands out a strictly increasing seq per event and language, interim and final alike', async () => {
      const { c } = await open();
      const a = await c.seqs.next('ev1', 'fr');
      const b = (await c.seqs.appendFinal('ev1', final({ id: 's1' }))).seq;
      const cc = await c.seqs.next('ev1', 'fr');
      expect(a).toBeLessThan(b);
      expect(b).toBeLessThan(cc);
      // Another language and another event have their own sequences.
      expect(await c.seqs.next('ev1', 'es')).toBe(1);
      expect(await c.seqs.next('ev2', 'fr')).toBe(1);
    });

    it('keeps finals, their transcript, the glossary and the display across a restart; seq stays above every seq handed out', async () => {
      const { location, c } = await open();
      const text = 'avant: שלום / مرحبا "quoted"';
      await c.seqs.appendFinal('ev', final({ id: 's1', text }));
      await c.seqs.appendFinal('ev2', final({ id: 'x', itemId: null, text: 'autre événement', at: 5000 }));
      let last = 0;
      for (let i = 0; i < 250; i++) last = await c.seqs.next('ev', 'fr'); // interim: not stored
      await c.log.append('ev', { kind: 'captions.glossary', payload: { entries: [{ term: 'Ashkelon', note: 'אשקלון' }], at: 42 } });
      await c.log.append('ev', { kind: 'captions.display', payload: { langs: ['fr', 'he'] } });
      const transcript = transcriptOf(await c.log.state('ev'), 'fr');
      await c.close();

      const again = await reopen(location);
      const state = await again.log.state('ev');
      expect(historyOf(state, 'fr', 'aix').map((x) => x.text)).toEqual([text]);
      expect(transcriptOf(state, 'fr')).toEqual(transcript);
      expect(transcriptOf(await again.log.state('ev2'), 'fr')).toEqual([{ itemId: null, id: 'x', text: 'autre événement', source: 'human', at: 5000 }]);
      expect(await again.seqs.next('ev', 'fr')).toBeGreaterThan(last);
      const after = await again.seqs.appendFinal('ev', final({ id: 's2' }));
      expect(after.seq).toBeGreaterThan(last);
      expect(glossaryOf(await again.log.state('ev'))).toEqual({ entries: [{ term: 'Ashkelon', note: 'אשקלון' }], updatedAt: 42 });
      expect((await again.log.state('ev')).display).toEqual({ langs: ['fr', 'he'] });
      // A segment from before the restart can still be corrected.
      await again.seqs.appendFinal('ev', final({ id: 's1', text: 'corrigé' }));
      expect(historyOf(await again.log.state('ev'), 'fr', 'aix').map((x) => x.text)).toEqual(['corrigé', 'text of s2']);
    });

    it('resume after a restart answers as before it; the last seq is at least every seq sent', async () => {
      const { location, c } = await open();
      const held = await c.seqs.appendFinal('ev', final({ id: 'a1' }));
      await c.seqs.appendFinal('ev', final({ id: 'a2' }));
      await c.seqs.next('ev', 'fr'); // an interim: never resumed
      await c.seqs.appendFinal('ev', final({ id: 'a3' }));
      await c.seqs.appendFinal('ev', final({ id: 'g1', itemId: 'granada' }));
      await c.seqs.appendFinal('ev', final({ id: 'a3', text: 'a3 corrected' }));
      await c.seqs.appendFinal('ev', final({ id: 'a1', text: 'a1 corrected' }));
      const before = sinceOf(await c.log.state('ev'), 'fr', held.seq, 500);
      expect(before.items.map((x) => [x.id, x.text])).toEqual([
        ['a2', 'text of a2'],
        ['g1', 'text of g1'],
        ['a3', 'a3 corrected'],
        ['a1', 'a1 corrected'],
      ]);
      const last = await c.seqs.last('ev', 'fr');
      expect(last).toBeGreaterThanOrEqual(before.items.at(-1)!.seq);
      expect(sinceOf(await c.log.state('ev'), 'fr', last, 500)).toEqual({ items: [], truncated: false });
      expect(await c.seqs.last('ev', 'he')).toBe(0);
      await c.close();
      const again = await reopen(location);
      expect(sinceOf(await again.log.state('ev'), 'fr', held.seq, 500)).toEqual(before);
      expect(await again.seqs.last('ev', 'fr')).toBeGreaterThanOrEqual(before.items.at(-1)!.seq);
    });

    it('sums presence over processes, and a process that reports nothing drops out', async () => {
      const { ephemeral } = (await open()).c;
      await publishCaptionPresence(ephemeral, 'ev', 'p1', { phones: { fr: 2, es: 1 }, interpreters: { fr: 1 } });
      const total = await publishCaptionPresence(ephemeral, 'ev', 'p2', { phones: { fr: 3 }, interpreters: { es: 1 } });
      expect(total).toEqual({ phones: { fr: 5, es: 1 }, interpreters: { fr: 1, es: 1 } });
      expect(await publishCaptionPresence(ephemeral, 'ev', 'p1', { phones: {}, interpreters: {} })).toEqual({
        phones: { fr: 3 },
        interpreters: { es: 1 },
      });
    });

    // The embedded journal has one writer by design: this case exists for Redis only.
    if (kind.name === 'redis') it('two processes on one location share one seq sequence and never lose a final', async () => {
      const { location, c: a } = await open();
      const b = await reopen(location);
      const writes = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).seqs.appendFinal('ev', final({ id: `x${i}` })));
      const interims = Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).seqs.next('ev', 'fr'));
      const finals = await Promise.all(writes);
      const seqs = [...finals.map((x) => x.seq), ...(await Promise.all(interims))];
      expect(new Set(seqs).size).toBe(80);
      const h = historyOf(await a.log.state('ev'), 'fr', 'aix');
      expect(h).toHaveLength(40);
      const hs = h.map((x) => x.seq);
      expect([...hs].sort((x, y) => x - y)).toEqual(hs);
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
    const memory = storeKinds.find((k) => k.name === 'memory')!;
    try {
      let c = await openCaptions(memory, dir, { snapshotEvery: 100 });
      let lastSeq = 0;
      // 50 segments, each corrected 20 times: 1050 finals written for 50 live segments.
      for (let n = 0; n < 50; n++) {
        for (let v = 0; v <= 20; v++) {
          lastSeq = (await c.seqs.appendFinal('e1', final({ id: `s${n}`, text: `segment ${n} v${v}`, at: v === 0 ? 1000 + n : 900_000 + v }))).seq;
        }
      }
      for (let n = 0; n < 500; n++) lastSeq = await c.seqs.next('e1', 'fr'); // interim captions: a reserve mark per 100
      const transcript = transcriptOf(await c.log.state('e1'), 'fr');
      expect(transcript.map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, n) => `segment ${n} v20`));
      const entries = c.logs.position('e1');
      expect(entries).toBeGreaterThan(1050);
      await c.close();

      c = await openCaptions(memory, dir, { snapshotEvery: 100 });
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
      expect(transcriptOf(await c.log.state('e1'), 'fr')).toEqual(transcript);
      expect(await c.seqs.next('e1', 'fr')).toBeGreaterThan(lastSeq);
      // The segment's first time survives its corrections and the snapshot.
      expect(transcript[7]!.at).toBe(1007);
      await c.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
