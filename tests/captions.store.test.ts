/**
 * The captions store contract, run on both backends of the event log: the embedded journal (a temp
 * DATA_DIR, reopened = restarted, its in-process seq counter lost) and Redis (a unique key prefix,
 * deleted afterwards). One store implementation (server/captions/store.ts) over the log and the
 * backend's Ephemeral; the rules alone are tested in captions.rules.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import type { CaptionStore, CaptionStoreOptions, FinalInput } from '../server/captions/store.ts';
import { openCaptionStore } from './helpers/caption-stores.ts';
import { storeKinds, type StoreKind } from './helpers/stores.ts';

interface Kind extends StoreKind {
  sharedByProcesses: boolean;
}

const kinds: Kind[] = storeKinds.map((k) => ({ ...k, sharedByProcesses: k.name === 'redis' }));

async function rejection(p: Promise<unknown>): Promise<TribuneError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TribuneError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const final = (over: Partial<FinalInput> & { id: string }): FinalInput => ({
  lang: 'fr',
  itemId: 'aix',
  text: `text of ${over.id}`,
  source: 'human',
  at: 1_764_100_000_000,
  ...over,
});

for (const kind of kinds) {
  describe.skipIf(!kind.available)(`caption store contract: ${kind.name}`, () => {
    const locations: string[] = [];
    const stores: CaptionStore[] = [];
    const open = async (options?: Partial<CaptionStoreOptions>) => {
      const location = kind.newLocation();
      locations.push(location);
      const store = await openCaptionStore(kind, location, options);
      stores.push(store);
      return { location, store };
    };
    const reopen = async (location: string, options?: Partial<CaptionStoreOptions>) => {
      const store = await openCaptionStore(kind, location, options);
      stores.push(store);
      return store;
    };
    afterAll(async () => {
      for (const s of stores) await s.close().catch(() => {});
      for (const l of locations) await kind.cleanup(l);
    });

    it('hands out a strictly increasing seq per event and language, interim and final alike', async () => {
      const { store } = await open();
      const a = await store.nextSeq('ev1', 'fr');
      const b = (await store.appendFinal('ev1', final({ id: 's1' }))).seq;
      const c = await store.nextSeq('ev1', 'fr');
      expect(a).toBeLessThan(b);
      expect(b).toBeLessThan(c);
      // Another language and another event have their own sequences.
      expect(await store.nextSeq('ev1', 'es')).toBe(1);
      expect(await store.nextSeq('ev2', 'fr')).toBe(1);
    });

    it('stores finals with their item, and gives the history of one item, oldest first', async () => {
      const { store } = await open();
      const s1 = await store.appendFinal('ev', final({ id: 's1', text: 'Bonjour à tous' }));
      expect(s1).toMatchObject({ lang: 'fr', id: 's1', itemId: 'aix', text: 'Bonjour à tous', final: true, source: 'human' });
      await store.appendFinal('ev', final({ id: 's2', text: 'שלום / مرحبا "quoted"' }));
      await store.appendFinal('ev', final({ id: 'g1', itemId: 'granada' }));
      await store.appendFinal('ev', final({ id: 'n1', itemId: null }));
      await store.appendFinal('ev', final({ id: 'e1', lang: 'es' }));
      const fr = await store.history('ev', 'fr', 'aix');
      expect(fr.map((c) => c.id)).toEqual(['s1', 's2']);
      expect(fr[1]!.text).toBe('שלום / مرحبا "quoted"');
      expect(fr[0]).toEqual(s1);
      expect((await store.history('ev', 'fr', 'granada')).map((c) => c.id)).toEqual(['g1']);
      expect((await store.history('ev', 'fr', null)).map((c) => c.id)).toEqual(['n1']);
      expect((await store.history('ev', 'es', 'aix')).map((c) => c.id)).toEqual(['e1']);
      expect(await store.history('ev', 'he', 'aix')).toEqual([]);
    });

    it('a final re-sent for a recent segment replaces it in place, keeping its item, with a new seq', async () => {
      const { store } = await open({ correctableSegments: 3 });
      const first = await store.appendFinal('ev', final({ id: 'a', text: 'Grenade' }));
      await store.appendFinal('ev', final({ id: 'b' }));
      // The stage moved on meanwhile: the correction stays in the segment's own item.
      const fixed = await store.appendFinal('ev', final({ id: 'a', text: 'Granada', itemId: 'granada' }));
      expect(fixed.itemId).toBe('aix');
      expect(fixed.seq).toBeGreaterThan(first.seq);
      const h = await store.history('ev', 'fr', 'aix');
      expect(h.map((c) => [c.id, c.text])).toEqual([
        ['a', 'Granada'],
        ['b', 'text of b'],
      ]);
      expect(await store.history('ev', 'fr', 'granada')).toEqual([]);
    });

    it('refuses to correct a segment older than the last few, and changes nothing', async () => {
      const { store } = await open({ correctableSegments: 2 });
      await store.appendFinal('ev', final({ id: 'a' }));
      await store.appendFinal('ev', final({ id: 'b' }));
      await store.appendFinal('ev', final({ id: 'c' }));
      const err = await rejection(store.appendFinal('ev', final({ id: 'a', text: 'too late' })));
      expect(err.code).toBe(ErrorCode.CONFLICT);
      expect((await store.history('ev', 'fr', 'aix')).map((c) => c.text)).toEqual(['text of a', 'text of b', 'text of c']);
      // The last two can still be corrected.
      await store.appendFinal('ev', final({ id: 'b', text: 'b fixed' }));
      expect((await store.history('ev', 'fr', 'aix'))[1]!.text).toBe('b fixed');
    });

    it('keeps at most the history size per item: the latest segments', async () => {
      const { store } = await open({ historyItems: 5 });
      for (let i = 1; i <= 12; i++) await store.appendFinal('ev', final({ id: `s${i}` }));
      const h = await store.history('ev', 'fr', 'aix');
      expect(h.map((c) => c.id)).toEqual(['s8', 's9', 's10', 's11', 's12']);
      const seqs = h.map((c) => c.seq);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    });

    it('keeps finals, the glossary and the display across a restart; seq stays above every seq handed out', async () => {
      const { location, store } = await open();
      await store.appendFinal('ev', final({ id: 's1', text: 'avant' }));
      let last = 0;
      for (let i = 0; i < 250; i++) last = await store.nextSeq('ev', 'fr'); // interim: not stored
      await store.setGlossary('ev', [{ term: 'Ashkelon', note: 'אשקלון' }], 42);
      await store.setDisplay('ev', { langs: ['fr', 'he'] });
      await store.close();

      const again = await reopen(location);
      expect((await again.history('ev', 'fr', 'aix')).map((c) => c.text)).toEqual(['avant']);
      expect(await again.nextSeq('ev', 'fr')).toBeGreaterThan(last);
      const after = await again.appendFinal('ev', final({ id: 's2' }));
      expect(after.seq).toBeGreaterThan(last);
      expect(await again.getGlossary('ev')).toEqual({ entries: [{ term: 'Ashkelon', note: 'אשקלון' }], updatedAt: 42 });
      expect(await again.getDisplay('ev')).toEqual({ langs: ['fr', 'he'] });
      // A segment from before the restart can still be corrected.
      await again.appendFinal('ev', final({ id: 's1', text: 'corrigé' }));
      expect((await again.history('ev', 'fr', 'aix')).map((c) => c.text)).toEqual(['corrigé', 'text of s2']);
    });

    it('resume: every final above a seq, whatever its item, once in its latest version, oldest first', async () => {
      const { location, store } = await open();
      const held = await store.appendFinal('ev', final({ id: 'a1' }));
      const a2 = await store.appendFinal('ev', final({ id: 'a2' }));
      await store.nextSeq('ev', 'fr'); // an interim: never resumed
      await store.appendFinal('ev', final({ id: 'a3' }));
      await store.appendFinal('ev', final({ id: 'a3', text: 'a3 corrected once' }));
      await store.appendFinal('ev', final({ id: 'g1', itemId: 'granada' }));
      await store.appendFinal('ev', final({ id: 'a3', text: 'a3 corrected twice' }));
      await store.appendFinal('ev', final({ id: 'a1', text: 'a1 corrected' })); // held, then corrected
      await store.appendFinal('ev', final({ id: 'e1', lang: 'es' }));
      const expected = [
        ['a2', 'aix', 'text of a2'],
        ['g1', 'granada', 'text of g1'],
        ['a3', 'aix', 'a3 corrected twice'],
        ['a1', 'aix', 'a1 corrected'],
      ];
      const view = (r: { items: { id: string; itemId: string | null; text: string; seq: number }[]; truncated: boolean }) => {
        const seqs = r.items.map((c) => c.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        return { items: r.items.map((c) => [c.id, c.itemId, c.text]), truncated: r.truncated };
      };
      expect(view(await store.since('ev', 'fr', held.seq, 500))).toEqual({ items: expected, truncated: false });
      expect(view(await store.since('ev', 'fr', a2.seq, 500)).items.map(([id]) => id)).toEqual(['g1', 'a3', 'a1']);
      expect(view(await store.since('ev', 'fr', held.seq, 2))).toEqual({ items: expected.slice(2), truncated: true });
      expect(view(await store.since('ev', 'fr', held.seq, 4))).toEqual({ items: expected, truncated: false });
      const last = await store.lastSeq('ev', 'fr');
      expect(await store.since('ev', 'fr', last, 500)).toEqual({ items: [], truncated: false });
      expect(await store.since('ev', 'he', 0, 500)).toEqual({ items: [], truncated: false });
      expect(await store.lastSeq('ev', 'he')).toBe(0);
      // After a restart (the log replayed, or its snapshot and the entries after it), the same.
      await store.close();
      const again = await reopen(location);
      expect(view(await again.since('ev', 'fr', held.seq, 500))).toEqual({ items: expected, truncated: false });
      expect(await again.lastSeq('ev', 'fr')).toBeGreaterThanOrEqual(last);
    });

    it('starts with an empty glossary and no display choice', async () => {
      const { store } = await open();
      expect(await store.getGlossary('nope')).toEqual({ entries: [], updatedAt: 0 });
      expect(await store.getDisplay('nope')).toBeNull();
    });

    it('sums presence over processes, and a process that reports nothing drops out', async () => {
      const { store } = await open();
      await store.publishPresence('ev', 'p1', { phones: { fr: 2, es: 1 }, interpreters: { fr: 1 } });
      const total = await store.publishPresence('ev', 'p2', { phones: { fr: 3 }, interpreters: { es: 1 } });
      expect(total).toEqual({ phones: { fr: 5, es: 1 }, interpreters: { fr: 1, es: 1 } });
      expect(await store.publishPresence('ev', 'p1', { phones: {}, interpreters: {} })).toEqual({
        phones: { fr: 3 },
        interpreters: { es: 1 },
      });
    });

    // The embedded journal has one writer by design: this case exists for Redis only.
    if (kind.sharedByProcesses) it('two processes on one location share one seq sequence and never lose a final', async () => {
      const { location, store: a } = await open();
      const b = await reopen(location);
      const writes = Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? a : b).appendFinal('ev', final({ id: `x${i}` })),
      );
      const interims = Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).nextSeq('ev', 'fr'));
      const finals = await Promise.all(writes);
      const seqs = [...finals.map((c) => c.seq), ...(await Promise.all(interims))];
      expect(new Set(seqs).size).toBe(80);
      const h = await a.history('ev', 'fr', 'aix');
      expect(h).toHaveLength(40);
      const hs = h.map((c) => c.seq);
      expect([...hs].sort((x, y) => x - y)).toEqual(hs);
    });
  });
}
