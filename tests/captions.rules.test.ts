/**
 * The captions reducer alone (server/captions/rules.ts): no log, no Redis, no clock. What it decides
 * (corrections and their window, the order of segments, which version wins), that a refusal
 * changes nothing, that a snapshot (`load(save(s))`) folds on exactly as the state it was made from,
 * and that the state stays one record per segment however often segments are corrected.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import { CAPTION_LIMITS } from '../shared/caption-limits.ts';
import {
  captionsReducer,
  finalEntry,
  glossaryOf,
  historyOf,
  sinceOf,
  transcriptOf,
  type CaptionsEntry,
  type CaptionsState,
  type FinalPayload,
} from '../server/captions/rules.ts';
import type { Entry } from '../server/log/types.ts';

let position = 0;
const entry = (e: CaptionsEntry): Entry => ({ ...e, seq: ++position, at: 1_764_100_000_000 + position });

const final = (over: Partial<FinalPayload> & { id: string; seq: number }): CaptionsEntry => ({
  kind: 'captions.final',
  payload: { lang: 'fr', itemId: 'aix', text: `text of ${over.id}`, source: 'human', at: 1000 + over.seq, correctable: 5, historyItems: 200, ...over },
});

/** Folds entries as the log does: a refusal is the verdict, the fold goes on. */
function fold(state: CaptionsState, entries: CaptionsEntry[]): unknown[] {
  return entries.map((e) => {
    try {
      return captionsReducer.apply(state, entry(e));
    } catch (err) {
      if (err instanceof TribuneError) return { refused: err.code, reason: err.reason };
      throw err;
    }
  });
}

const saved = (s: CaptionsState) => JSON.parse(JSON.stringify(captionsReducer.save(s))) as unknown;

describe('the captions reducer', () => {
  it('a final is a new segment; one for a recent id replaces it in place, keeping its item and first time', () => {
    const s = captionsReducer.initial();
    const [a] = fold(s, [final({ id: 'a', seq: 1, text: 'Grenade' }), final({ id: 'b', seq: 2 })]);
    expect(a).toEqual({ lang: 'fr', id: 'a', itemId: 'aix', seq: 1, text: 'Grenade', final: true, source: 'human', at: 1001 });
    const [fixed] = fold(s, [final({ id: 'a', seq: 5, text: 'Granada', itemId: 'granada' })]);
    expect(fixed).toMatchObject({ id: 'a', itemId: 'aix', seq: 5, text: 'Granada', at: 1005 });
    expect(historyOf(s, 'fr', 'aix').map((c) => [c.id, c.text])).toEqual([
      ['a', 'Granada'],
      ['b', 'text of b'],
    ]);
    expect(historyOf(s, 'fr', 'granada')).toEqual([]);
    expect(transcriptOf(s, 'fr')[0]).toEqual({ itemId: 'aix', id: 'a', text: 'Granada', source: 'human', at: 1001 });
    expect(s.langs.get('fr')!.seq).toBe(5);
  });

  it('the correction window is the one in the entry; a refusal leaves the state as it was', () => {
    const s = captionsReducer.initial();
    fold(s, [final({ id: 'a', seq: 1 }), final({ id: 'b', seq: 2 }), final({ id: 'c', seq: 3 })]);
    const before = saved(s);
    expect(fold(s, [final({ id: 'a', seq: 4, correctable: 2 })])).toEqual([{ refused: ErrorCode.CONFLICT, reason: 'segmentTooOld' }]);
    expect(saved(s)).toEqual(before);
    // The last two can still be corrected.
    expect(fold(s, [final({ id: 'b', seq: 4, correctable: 2, text: 'b fixed' })])[0]).toMatchObject({ text: 'b fixed' });
    // The same correction under a wider window (an entry stored by a server configured so) is taken.
    expect(fold(s, [final({ id: 'a', seq: 5, correctable: 3, text: 'ok' })])[0]).toMatchObject({ text: 'ok' });
    expect(historyOf(s, 'fr', 'aix').map((c) => c.text)).toEqual(['ok', 'b fixed', 'text of c']);
  });

  it('gives the history of one item, oldest first, per language; none for an unknown one', () => {
    const s = captionsReducer.initial();
    const [s1] = fold(s, [
      final({ id: 's1', seq: 1, text: 'Bonjour à tous' }),
      final({ id: 's2', seq: 2, text: 'שלום / مرحبا "quoted"' }),
      final({ id: 'g1', seq: 3, itemId: 'granada' }),
      final({ id: 'n1', seq: 4, itemId: null }),
      final({ id: 'e1', seq: 1, lang: 'es' }),
    ]);
    const fr = historyOf(s, 'fr', 'aix');
    expect(fr.map((c) => c.id)).toEqual(['s1', 's2']);
    expect(fr[0]).toEqual(s1);
    expect(fr[1]!.text).toBe('שלום / مرحبا "quoted"');
    expect(historyOf(s, 'fr', 'granada').map((c) => c.id)).toEqual(['g1']);
    expect(historyOf(s, 'fr', null).map((c) => c.id)).toEqual(['n1']);
    expect(historyOf(s, 'es', 'aix').map((c) => c.id)).toEqual(['e1']);
    expect(historyOf(s, 'he', 'aix')).toEqual([]);
  });

  it('the transcript holds every final segment, in the order first fixed, corrections in place with their first time', () => {
    const s = captionsReducer.initial();
    const at = (seq: number, t: number, over: Partial<FinalPayload> & { id: string }) => final({ seq, ...over, at: t });
    fold(s, [
      at(1, 1000, { id: 'a', text: 'un' }),
      at(2, 2000, { id: 'b', text: 'deux' }),
      at(1, 2500, { id: 'm_a', text: 'one', lang: 'en', source: 'machine' }),
      at(3, 3000, { id: 'c', text: 'trois', itemId: 'granada' }),
      at(4, 4000, { id: 'a', text: 'un, corrigé', itemId: 'granada' }), // keeps item aix and time 1000
    ]);
    // More than the 200 finals an item's history keeps: the transcript keeps them all.
    fold(s, Array.from({ length: 250 }, (_, n) => at(5 + n, 10_000 + n, { id: `n${n}`, text: `ligne ${n}`, itemId: 'coimbra' })));
    const fr = transcriptOf(s, 'fr');
    expect(fr).toHaveLength(253);
    expect(fr.slice(0, 3)).toEqual([
      { itemId: 'aix', id: 'a', text: 'un, corrigé', source: 'human', at: 1000 },
      { itemId: 'aix', id: 'b', text: 'deux', source: 'human', at: 2000 },
      { itemId: 'granada', id: 'c', text: 'trois', source: 'human', at: 3000 },
    ]);
    expect(fr.at(-1)).toEqual({ itemId: 'coimbra', id: 'n249', text: 'ligne 249', source: 'human', at: 10_249 });
    expect(transcriptOf(s, 'en')).toEqual([{ itemId: 'aix', id: 'm_a', text: 'one', source: 'machine', at: 2500 }]);
    expect(transcriptOf(s, 'he')).toEqual([]);
    expect(historyOf(s, 'fr', 'coimbra')).toHaveLength(200);
  });

  it("a final's entry carries its input, its seq and the default options; an event starts with an empty glossary and no display", () => {
    const input = { lang: 'fr', id: 'a', itemId: 'aix', text: 'un', source: 'human' as const, at: 5 };
    expect(finalEntry({ ...input, extra: 1 } as typeof input, 7)).toEqual({
      kind: 'captions.final',
      payload: { ...input, seq: 7, correctable: CAPTION_LIMITS.correctableSegments, historyItems: CAPTION_LIMITS.historyItems },
    });
    expect(finalEntry(input, 8, { correctable: 2, historyItems: 5 }).payload).toMatchObject({ seq: 8, correctable: 2, historyItems: 5 });
    const s = captionsReducer.initial();
    expect(glossaryOf(s)).toEqual({ entries: [], updatedAt: 0 });
    expect(s.display).toBeNull();
  });

  it('refuses malformed entries and unknown kinds, changing nothing', () => {
    const s = captionsReducer.initial();
    fold(s, [final({ id: 'a', seq: 1 })]);
    const before = saved(s);
    const refusals = fold(s, [
      final({ id: '', seq: 2 }),
      final({ id: 'b', seq: 0 }),
      final({ id: 'b', seq: 2.5 }),
      { kind: 'captions.reserve', payload: { lang: 'fr', upTo: -1 } },
      { kind: 'captions.nope', payload: {} } as unknown as CaptionsEntry,
    ]);
    expect(refusals.every((r) => (r as { refused?: string }).refused === ErrorCode.INVALID_PAYLOAD)).toBe(true);
    expect(saved(s)).toEqual(before);
  });

  it('keeps the history size that came with each final: the item\'s latest segments', () => {
    const s = captionsReducer.initial();
    fold(s, Array.from({ length: 12 }, (_, i) => final({ id: `s${i + 1}`, seq: i + 1, historyItems: 5 })));
    expect(historyOf(s, 'fr', 'aix').map((c) => c.id)).toEqual(['s8', 's9', 's10', 's11', 's12']);
    expect(transcriptOf(s, 'fr')).toHaveLength(12);
  });

  it('finals folded out of seq order (appended at once) are placed by seq; of two versions the highest wins', () => {
    const s = captionsReducer.initial();
    fold(s, [final({ id: 'a', seq: 1 }), final({ id: 'c', seq: 3 }), final({ id: 'b', seq: 2 })]);
    expect(transcriptOf(s, 'fr').map((l) => l.id)).toEqual(['a', 'b', 'c']);
    expect(historyOf(s, 'fr', 'aix').map((c) => c.seq)).toEqual([1, 2, 3]);
    // Two corrections of b: the one with seq 7 reaches the log first.
    fold(s, [final({ id: 'b', seq: 7, text: 'b seven' }), final({ id: 'b', seq: 6, text: 'b six' })]);
    expect(historyOf(s, 'fr', 'aix').map((c) => c.text)).toEqual(['text of a', 'b seven', 'text of c']);
    expect(sinceOf(s, 'fr', 2, 10).items.map((c) => [c.id, c.seq])).toEqual([
      ['c', 3],
      ['b', 7],
    ]);
  });

  it('resume: every segment whose latest version is above a seq, once, lowest seq first; the latest when over the limit', () => {
    const s = captionsReducer.initial();
    fold(s, [
      final({ id: 'a1', seq: 1 }),
      final({ id: 'a2', seq: 2 }),
      final({ id: 'a3', seq: 4 }),
      final({ id: 'a3', seq: 5, text: 'a3 once' }),
      final({ id: 'g1', seq: 6, itemId: 'granada' }),
      final({ id: 'a3', seq: 7, text: 'a3 twice' }),
      final({ id: 'a1', seq: 8, text: 'a1 fixed' }),
      final({ id: 'e1', seq: 1, lang: 'es' }),
    ]);
    const ids = (after: number, limit: number) => {
      const r = sinceOf(s, 'fr', after, limit);
      return [r.items.map((c) => c.id), r.truncated];
    };
    expect(ids(1, 500)).toEqual([['a2', 'g1', 'a3', 'a1'], false]);
    expect(ids(2, 500)).toEqual([['g1', 'a3', 'a1'], false]);
    expect(ids(1, 2)).toEqual([['a3', 'a1'], true]);
    expect(ids(1, 4)).toEqual([['a2', 'g1', 'a3', 'a1'], false]);
    const seqs = sinceOf(s, 'fr', 1, 500).items.map((c) => c.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(ids(8, 500)).toEqual([[], false]);
    expect(sinceOf(s, 'he', 0, 500)).toEqual({ items: [], truncated: false });
  });

  it('reserve marks only rise; glossary and display are replaced whole', () => {
    const s = captionsReducer.initial();
    fold(s, [
      { kind: 'captions.reserve', payload: { lang: 'fr', upTo: 200 } },
      { kind: 'captions.reserve', payload: { lang: 'fr', upTo: 100 } },
    ]);
    expect(s.langs.get('fr')!.reserved).toBe(200);
    const [g] = fold(s, [{ kind: 'captions.glossary', payload: { entries: [{ term: 'Albaicín', note: '' }], at: 42 } }]);
    expect(g).toEqual({ entries: [{ term: 'Albaicín', note: '' }], updatedAt: 42 });
    fold(s, [{ kind: 'captions.display', payload: { langs: ['fr', 'he'] } }]);
    expect(s.display).toEqual({ langs: ['fr', 'he'] });
  });

  it('an import adds unknown segments in their order, fills only what is missing, and twice is once', () => {
    const s = captionsReducer.initial();
    const imported: CaptionsEntry[] = [
      {
        kind: 'captions.import',
        payload: {
          lang: 'fr',
          reserved: 300,
          historyItems: 200,
          // a1 corrected at seq 6 after a2 (seq 5): its order key is 5, its first time kept.
          segments: [
            ['a1', 'aix', 6, 'un, corrigé', 'human', 3000, 1000, 5],
            ['a2', 'aix', 5, 'deux', 'human', 2000],
          ],
        },
      },
      { kind: 'captions.import', payload: { glossary: { entries: [{ term: 'old', note: '' }], updatedAt: 1 }, display: { langs: ['fr'] } } },
    ];
    fold(s, imported);
    const once = saved(s);
    fold(s, imported);
    expect(saved(s)).toEqual(once);
    expect(transcriptOf(s, 'fr')).toEqual([
      { itemId: 'aix', id: 'a1', text: 'un, corrigé', source: 'human', at: 1000 },
      { itemId: 'aix', id: 'a2', text: 'deux', source: 'human', at: 2000 },
    ]);
    expect(s.langs.get('fr')!.reserved).toBe(300);
    fold(s, [{ kind: 'captions.glossary', payload: { entries: [], at: 9 } }, imported[1]!]);
    expect(s.glossary).toEqual({ entries: [], updatedAt: 9 });
    // A final after the import goes after the imported segments and can correct them.
    fold(s, [final({ id: 'n1', seq: 301 }), final({ id: 'a1', seq: 302, text: 'un, encore' })]);
    expect(transcriptOf(s, 'fr').map((l) => [l.id, l.text, l.at])).toEqual([
      ['a1', 'un, encore', 1000],
      ['a2', 'deux', 2000],
      ['n1', 'text of n1', 1301],
    ]);
  });

  it('a snapshot folds on exactly as the state it was made from; the same entries give the same state', () => {
    // An evening with corrections, out-of-order seqs, refusals, several items and languages.
    const entries: CaptionsEntry[] = [];
    let seq = 0;
    for (let i = 0; i < 400; i++) {
      const lang = i % 7 === 0 ? 'es' : 'fr';
      const item = ['aix', 'granada', null][Math.floor(i / 50) % 3]!;
      if (i % 5 === 4) entries.push(final({ id: `s${i - 2}`, seq: ++seq, lang, text: `fix ${i}`, historyItems: 30 }));
      else if (i % 11 === 10) entries.push(final({ id: `s${i - 40}`, seq: ++seq, lang, historyItems: 30 })); // too old
      else if (i % 13 === 12) {
        entries.push(final({ id: `s${i}`, seq: seq + 2, lang, itemId: item, historyItems: 30 }));
        entries.push(final({ id: `t${i}`, seq: seq + 1, lang, itemId: item, historyItems: 30 }));
        seq += 2;
      } else entries.push(final({ id: `s${i}`, seq: ++seq, lang, itemId: item, historyItems: 30 }));
      if (i % 97 === 0) entries.push({ kind: 'captions.reserve', payload: { lang, upTo: seq + 100 } });
    }
    entries.push({ kind: 'captions.glossary', payload: { entries: [{ term: 'x', note: 'y' }], at: 5 } });
    const cut = 230;

    const full = captionsReducer.initial();
    const verdictsFull = fold(full, entries);
    const half = captionsReducer.initial();
    const verdictsHalf = fold(half, entries.slice(0, cut));
    const restored = captionsReducer.load(saved(half));
    const verdictsRestored = [...verdictsHalf, ...fold(restored, entries.slice(cut))];

    expect(verdictsRestored).toEqual(verdictsFull);
    expect(saved(restored)).toEqual(saved(full));
    for (const lang of ['fr', 'es']) {
      expect(transcriptOf(restored, lang)).toEqual(transcriptOf(full, lang));
      for (const after of [0, 100, 300]) expect(sinceOf(restored, lang, after, 50)).toEqual(sinceOf(full, lang, after, 50));
      for (const item of ['aix', 'granada', null]) expect(historyOf(restored, lang, item)).toEqual(historyOf(full, lang, item));
    }
    expect(verdictsFull.some((v) => (v as { reason?: string } | undefined)?.reason === 'segmentTooOld')).toBe(true);

    const again = captionsReducer.initial();
    expect(fold(again, entries)).toEqual(verdictsFull);
    expect(saved(again)).toEqual(saved(full));
  });

  it('stays one record per segment however often segments are corrected', () => {
    const s = captionsReducer.initial();
    let seq = 0;
    for (let n = 0; n < 200; n++) for (let v = 0; v <= 20; v++) fold(s, [final({ id: `s${n}`, seq: ++seq, text: `v${v}` })]);
    const fr = s.langs.get('fr')!;
    expect(fr.segments).toHaveLength(200);
    // The resume index drops replaced versions once they outnumber the segments by 1000.
    expect(fr.seqs.length).toBeLessThanOrEqual(fr.segments.length * 2 + 1001);
    const json = saved(s) as { langs: { fr: { segments: unknown[] } } };
    expect(json.langs.fr.segments).toHaveLength(200);
    expect(transcriptOf(s, 'fr').every((l) => l.text === 'v20')).toBe(true);
  });
});
