/** The phone's caption list (client/src/lib/captions.ts): replacement by id, seq order, history merge. */
import { describe, expect, it } from 'vitest';
import type { Caption } from '../shared/captions.ts';
import { mergeCaption, mergeHistory, sections } from '../client/src/lib/captions.ts';

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
