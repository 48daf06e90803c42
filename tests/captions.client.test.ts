/**
 * The phone's caption list (client/src/lib/captions.ts): replacement by id, seq order, history merge,
 * resumed history merge; and the captions store's resume point (client/src/store/captions.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Caption } from '../shared/captions.ts';
import { mergeCaption, mergeHistory, mergeResumed, sections } from '../client/src/lib/captions.ts';
import {
  applyCaption,
  applyHistory,
  captionsAfter,
  captionsOffline,
  forgetLanguage,
  resetCaptions,
  resumeAfter,
  useCaptions,
} from '../client/src/store/captions.ts';

const cap = (id: string, seq: number, text: string, final = true, itemId: string | null = 'aix'): Caption => ({
  lang: 'fr',
  id,
  itemId,
  seq,
  text,
  final,
  source: 'human',
  at: 0,
});

const apply = (list: readonly Caption[], ...cs: Caption[]) => cs.reduce((l, c) => mergeCaption(l, c), list);
const texts = (l: readonly Caption[]) => l.map((c) => c.text);

describe('caption list on a screen', () => {
  it('interim updates of one id replace each other in place; the final fixes it', () => {
    const l = apply([], cap('a', 1, 'Bon', false), cap('b', 2, 'x', true), cap('a', 3, 'Bonsoir', false), cap('a', 4, 'Bonsoir.', true));
    expect(texts(l)).toEqual(['Bonsoir.', 'x']);
    expect(l[0]!.final).toBe(true);
  });

  it('never goes back in time: an older seq or an interim after the final is ignored', () => {
    const l = apply([], cap('a', 5, 'final', true), cap('a', 4, 'late interim', false), cap('a', 6, 'stray interim', false));
    expect(texts(l)).toEqual(['final']);
    expect(apply(l, cap('a', 7, 'corrected', true))[0]!.text).toBe('corrected');
  });

  it('an empty interim withdraws the provisional line (Esc on the console)', () => {
    expect(apply([], cap('a', 1, 'oops', false), cap('a', 2, '', false))).toEqual([]);
  });

  it('history after a reconnect: no duplicate, no gap, live captions after it kept', () => {
    const had = apply([], cap('a', 1, 'one'), cap('z', 9, 'typing…', false));
    const merged = mergeHistory(had, { lang: 'fr', itemId: 'aix', items: [cap('a', 1, 'one'), cap('b', 3, 'two'), cap('c', 5, 'three')] });
    expect(texts(merged)).toEqual(['one', 'two', 'three', 'typing…']);
    // The same history again changes nothing.
    expect(mergeHistory(merged, { lang: 'fr', itemId: 'aix', items: [cap('a', 1, 'one'), cap('b', 3, 'two'), cap('c', 5, 'three')] })).toEqual(merged);
  });

  it('history keeps a correction received live after it was read, and older sections before it', () => {
    const had = apply([], cap('p', 1, 'previous speaker', true, 'intro'), cap('a', 8, 'corrected', true));
    const merged = mergeHistory(had, { lang: 'fr', itemId: 'aix', items: [cap('a', 4, 'original'), cap('b', 6, 'next')] });
    expect(texts(merged)).toEqual(['previous speaker', 'corrected', 'next']);
    expect(sections(merged).map((s) => [s.itemId, s.segments.length])).toEqual([
      ['intro', 1],
      ['aix', 2],
    ]);
  });

  it('keeps a bounded list', () => {
    let l: readonly Caption[] = [];
    for (let i = 1; i <= 30; i++) l = mergeCaption(l, cap(`s${i}`, i, `t${i}`), 10);
    expect(l).toHaveLength(10);
    expect(l[0]!.id).toBe('s21');
  });
});

describe('a resumed history (caption resume)', () => {
  // Held before the drop: two lines of aix, the last final at seq 4, and a line being typed.
  const held = apply([], cap('a1', 2, 'un'), cap('a2', 4, 'deux'), cap('a3', 3, 'tr', false));
  const resumed = {
    lang: 'fr',
    itemId: null,
    after: 4,
    truncated: false,
    items: [cap('a3', 6, 'trois'), cap('a1', 7, 'un, corrigé'), cap('g1', 9, 'Grenade', true, 'granada'), cap('g2', 10, 'Alhambra', true, 'granada')],
  };

  it('puts the missed lines under their own items, once, a correction in place, the fixed line replacing its provisional one', () => {
    const merged = mergeResumed(held, resumed);
    expect(merged.map((c) => [c.id, c.itemId, c.text, c.final])).toEqual([
      ['a1', 'aix', 'un, corrigé', true],
      ['a2', 'aix', 'deux', true],
      ['a3', 'aix', 'trois', true],
      ['g1', 'granada', 'Grenade', true],
      ['g2', 'granada', 'Alhambra', true],
    ]);
    expect(sections(merged).map((s) => [s.itemId, s.segments.map((c) => c.id)])).toEqual([
      ['aix', ['a1', 'a2', 'a3']],
      ['granada', ['g1', 'g2']],
    ]);
    // The same history again changes nothing.
    expect(mergeResumed(merged, resumed)).toEqual(merged);
  });

  it('lines that arrived live before it are not doubled, and those after it stay last', () => {
    // Back online: g2 arrived live before the history (the room is joined before it is read), g3 after it.
    const online = apply(held, cap('g2', 10, 'Alhambra', true, 'granada'), cap('g3', 12, 'Merci', true, 'granada'), cap('g4', 13, 'En c', false, 'granada'));
    const merged = mergeResumed(online, resumed);
    expect(merged.map((c) => c.id)).toEqual(['a1', 'a2', 'a3', 'g1', 'g2', 'g3', 'g4']);
  });

  it('a provisional line older than the history, never fixed, is gone; nothing missed changes nothing else', () => {
    const withdrawn = mergeResumed(held, { lang: 'fr', itemId: null, after: 4, truncated: false, items: [cap('b1', 8, 'autre')] });
    expect(withdrawn.map((c) => c.id)).toEqual(['a1', 'a2', 'b1']);
    const typing = apply(held, cap('a4', 5, 'qua', false));
    expect(mergeResumed(typing, { lang: 'fr', itemId: null, after: 4, truncated: false, items: [] }).map((c) => c.id)).toEqual(['a1', 'a2', 'a4']);
  });
});

describe('the captions store: where a reconnect resumes from', () => {
  beforeEach(resetCaptions);
  const fr = (items: Caption[], itemId: string | null = 'aix', lastSeq?: number) =>
    applyHistory({ lang: 'fr', itemId, items, ...(lastSeq === undefined ? {} : { lastSeq }) });

  it('nothing before a first history; then the history’s last seq, then each live final', () => {
    applyCaption(cap('x', 1, 'avant'));
    expect(captionsAfter()).toBeUndefined();
    fr([], 'aix', 5); // joined while nobody spoke: resumes from the language's last seq
    expect(captionsAfter()).toEqual({ fr: 5 });
    applyCaption(cap('a', 6, 'Bon', false));
    expect(captionsAfter()).toEqual({ fr: 5 }); // an interim is not held
    applyCaption(cap('a', 7, 'Bonsoir'));
    expect(captionsAfter()).toEqual({ fr: 7 });
    expect(resumeAfter('fr')).toEqual({ after: 7 });
    expect(resumeAfter('he')).toEqual({});
  });

  it('after a drop, a live final arriving before the resumed history does not move it; the history does', () => {
    fr([cap('a', 3, 'un')], 'aix', 3);
    captionsOffline();
    applyCaption(cap('g9', 20, 'arrivée en direct', true, 'granada'));
    expect(captionsAfter()).toEqual({ fr: 3 }); // 4..19 are not here yet: a drop now must not skip them
    applyHistory({ lang: 'fr', itemId: null, after: 3, truncated: false, lastSeq: 19, items: [cap('b', 8, 'deux'), cap('g1', 12, 'Grenade', true, 'granada')] });
    expect(captionsAfter()).toEqual({ fr: 20 });
    expect(useCaptions.getState().byLang.fr!.map((c) => c.id)).toEqual(['a', 'b', 'g1', 'g9']);
    applyCaption(cap('g10', 22, 'encore', true, 'granada'));
    expect(captionsAfter()).toEqual({ fr: 22 });
  });

  it('a language the screen no longer follows is not resumed', () => {
    fr([cap('a', 3, 'un')]);
    applyHistory({ lang: 'he', itemId: 'aix', items: [cap('h', 2, 'שלום')].map((c) => ({ ...c, lang: 'he' })) });
    expect(captionsAfter()).toEqual({ fr: 3, he: 2 });
    forgetLanguage('fr');
    expect(captionsAfter()).toEqual({ he: 2 });
  });
});
