/**
 * The questions domain's rules (server/questions/rules.ts) on their own: the reducer folded over
 * entries written here, no log, no Redis, no clock. Votes, limits in entry time, id conflicts,
 * moderation moving questions between ranked lists, a refusal changing nothing, imports, and a
 * snapshot (`save` → JSON → `load`) folding on exactly as the state it was taken from.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import type { QuestionStatus } from '../shared/questions.ts';
import type { Entry } from '../server/log/types.ts';
import { questionsReducer, type Limit, type QuestionRecord, type QuestionsEntry, type QuestionsState, type RankedList } from '../server/questions/rules.ts';

const LOOSE: Limit = { max: 1_000, windowMs: 60_000 };
/** Far from now: the rules must read time from the entries alone. */
const T0 = 1_000_000;

let seq = 0;
const entry = (at: number, e: QuestionsEntry): Entry => ({ seq: ++seq, at, ...e });

const record = (id: string, device: string, over: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id, text: `Question ${id}`, lang: 'fr', itemId: null, table: null, author: null, votes: 0, status: 'live', createdAt: T0, rev: 1, device, ...over,
});

const ask = (at: number, r: QuestionRecord, limit = LOOSE) => entry(at, { kind: 'questions.ask', payload: { record: r, limit } });
const vote = (at: number, id: string, device: string, value: 0 | 1, limit = LOOSE, table: string | null = null) =>
  entry(at, { kind: 'questions.vote', payload: { id, value, limit }, device, table });
const moderate = (at: number, id: string, status: QuestionStatus) => entry(at, { kind: 'questions.moderate', payload: { id, status } });
const rate = (at: number, device: string, score: number, limit = LOOSE, table: string | null = null, target = 'aix', indicator = 'relevance') =>
  entry(at, { kind: 'questions.rate', payload: { target, indicator, score, limit }, device, table });

/** Applies one entry: its verdict, or the refusal's code and reason. */
function apply(state: QuestionsState, e: Entry): unknown {
  try {
    return questionsReducer.apply(state, e);
  } catch (err) {
    if (!(err instanceof TribuneError)) throw err;
    return { refused: err.code, reason: err.reason };
  }
}

const fold = (entries: Entry[], state = questionsReducer.initial()) => ({ state, verdicts: entries.map((e) => apply(state, e)) });
const ids = (s: QuestionsState, list: RankedList) => s.ranks[list].ids(0, 1_000);
const saved = (s: QuestionsState) => JSON.stringify(questionsReducer.save(s));

describe('the questions rules', () => {
  it('a question is stored once: its device retrying gets it back, another device is refused', () => {
    const s = questionsReducer.initial();
    const q = record('q1', 'dev-a', { table: 't1' });
    expect(apply(s, ask(T0, q))).toEqual({ question: q, created: true });
    const before = saved(s);
    expect(apply(s, ask(T0 + 1, { ...q, text: 'changed' }))).toEqual({ question: q, created: false });
    expect(apply(s, ask(T0 + 2, { ...q, device: 'dev-b' }))).toEqual({ refused: ErrorCode.CONFLICT, reason: 'questionIdTaken' });
    expect(saved(s)).toBe(before);
    expect([...s.participation]).toEqual([['q:t1', 1]]);
  });

  it('one vote per device, withdrawn with 0; only live questions take votes; unknown ids are NOT_FOUND', () => {
    const { state: s, verdicts } = fold([
      ask(T0, record('q1', 'dev-a')),
      ask(T0, record('q2', 'dev-a', { status: 'pending' })),
      vote(T0 + 1, 'q1', 'dev-b', 1, LOOSE, 't2'),
      vote(T0 + 2, 'q1', 'dev-b', 1, LOOSE, 't2'),
      vote(T0 + 3, 'q1', 'dev-c', 1),
      vote(T0 + 4, 'q1', 'dev-b', 0, LOOSE, 't2'),
      vote(T0 + 5, 'q1', 'dev-d', 0),
      vote(T0 + 6, 'q2', 'dev-b', 1),
      vote(T0 + 7, 'nope', 'dev-b', 1),
    ]);
    expect(verdicts.slice(2)).toEqual([
      { question: expect.objectContaining({ votes: 1, rev: 2 }), changed: true, voted: true },
      { question: expect.objectContaining({ votes: 1, rev: 2 }), changed: false, voted: true },
      { question: expect.objectContaining({ votes: 2, rev: 3 }), changed: true, voted: true },
      { question: expect.objectContaining({ votes: 1, rev: 4 }), changed: true, voted: false },
      { question: expect.objectContaining({ votes: 1, rev: 4 }), changed: false, voted: false },
      { refused: ErrorCode.CONFLICT, reason: 'votesLiveOnly' },
      { refused: ErrorCode.NOT_FOUND, reason: 'noQuestion' },
    ]);
    expect([...s.voters.get('q1')!]).toEqual(['dev-c']);
    // Standing votes by the voter's table: dev-b's came and went.
    expect(Object.fromEntries(s.participation)).toEqual({ 'q:': 2, 'v:t2': 0, 'v:': 1 });
  });

  it('limits count acts in fixed windows of entry time, with the limit each entry carries', () => {
    const limit = { max: 2, windowMs: 1_000 };
    const s = questionsReducer.initial();
    const asked = (at: number, id: string) => apply(s, ask(at, record(id, 'dev-a'), limit));
    expect(asked(T0, 'a1')).toMatchObject({ created: true });
    expect(asked(T0 + 10, 'a2')).toMatchObject({ created: true });
    const before = saved(s);
    expect(asked(T0 + 999, 'a3')).toEqual({ refused: ErrorCode.RATE_LIMITED, reason: 'tooManyQuestions' });
    expect(saved(s)).toBe(before); // refused: not even counted
    // The window opened at T0 ends at T0 + 1000, whatever the clock says now.
    expect(asked(T0 + 1_000, 'a3')).toMatchObject({ created: true });
    // Another device, another window; the same device's votes, another window.
    expect(apply(s, ask(T0 + 1_001, record('b1', 'dev-b'), limit))).toMatchObject({ created: true });
    // A looser limit on a later entry is the one applied to it (the limit travels with the entry).
    expect(apply(s, ask(T0 + 1_002, record('a4', 'dev-a'), { max: 10, windowMs: 1_000 }))).toMatchObject({ created: true });
    expect(asked(T0 + 1_003, 'a5')).toMatchObject({ refused: ErrorCode.RATE_LIMITED });

    // Votes: counted even when they change nothing; a refused one does not move the count.
    const v = { max: 3, windowMs: 500 };
    const voted = [1, 1, 0, 1].map((value, i) => apply(s, vote(T0 + 2_000 + i, 'a1', 'dev-z', value as 0 | 1, v)));
    expect(voted.map((x) => (x as { changed?: boolean }).changed ?? (x as { refused: string }).refused)).toEqual([
      true,
      false,
      true,
      ErrorCode.RATE_LIMITED,
    ]);
    expect(s.questions.get('a1')!.votes).toBe(0);
    expect(apply(s, vote(T0 + 2_500, 'a1', 'dev-z', 1, v))).toMatchObject({ changed: true });

    // Ratings: a later score replaces the earlier; the third within the window is refused.
    const r = { max: 2, windowMs: 60_000 };
    expect(apply(s, rate(T0, 'dev-r', 2, r))).toEqual({ previous: null });
    expect(apply(s, rate(T0 + 1, 'dev-r', 4, r))).toEqual({ previous: 2 });
    expect(apply(s, rate(T0 + 2, 'dev-r', 5, r))).toEqual({ refused: ErrorCode.RATE_LIMITED, reason: 'tooManyRatings' });
    expect(s.ratings.get('aix|relevance')!.get('dev-r')).toBe(4);
    expect(Object.fromEntries([...s.counts].filter(([, n]) => n))).toEqual({ 'aix|relevance|4': 1 });
  });

  it('moderation moves a question between the ranked lists; votes move it within them', () => {
    const { state: s, verdicts } = fold([
      ask(T0, record('q1', 'dev-a', { createdAt: T0 })),
      ask(T0, record('q2', 'dev-b', { createdAt: T0 + 1 })),
      ask(T0, record('q3', 'dev-c', { createdAt: T0 + 2, status: 'pending' })),
      moderate(T0 + 1, 'q3', 'pending'),
      moderate(T0 + 1, 'missing', 'live'),
    ]);
    expect(verdicts.slice(3)).toEqual([
      { question: expect.objectContaining({ id: 'q3', rev: 1 }), previous: 'pending' },
      { refused: ErrorCode.NOT_FOUND, reason: 'noQuestion' },
    ]);
    expect([ids(s, 'public'), ids(s, 'live'), ids(s, 'pending')]).toEqual([['q1', 'q2'], ['q1', 'q2'], ['q3']]);
    apply(s, vote(T0 + 2, 'q2', 'dev-x', 1));
    expect(ids(s, 'public')).toEqual(['q2', 'q1']);
    expect(apply(s, moderate(T0 + 3, 'q3', 'live'))).toEqual({ question: expect.objectContaining({ status: 'live', rev: 2 }), previous: 'pending' });
    expect([ids(s, 'public'), ids(s, 'pending')]).toEqual([['q2', 'q1', 'q3'], []]);
    apply(s, moderate(T0 + 4, 'q2', 'answered'));
    expect([ids(s, 'public'), ids(s, 'live'), ids(s, 'answered')]).toEqual([['q2', 'q1', 'q3'], ['q1', 'q3'], ['q2']]);
    apply(s, moderate(T0 + 5, 'q2', 'dismissed'));
    expect([ids(s, 'public'), ids(s, 'answered'), ids(s, 'dismissed')]).toEqual([['q1', 'q3'], [], ['q2']]);
    expect(apply(s, vote(T0 + 6, 'q2', 'dev-y', 1))).toMatchObject({ refused: ErrorCode.CONFLICT });
    expect([...s.asked.get('dev-c')!]).toEqual(['q3']);
  });

  it('an import sets whole values: twice is once, and the rules go on from it', () => {
    const imported = {
      questions: [[record('old1', 'dev-a', { votes: 2, rev: 3, table: 't1' }), ['dev-b', 'dev-c']]] as [QuestionRecord, string[]][],
      ratings: [['aix|relevance', [['dev-b', 5]]]] as [string, [string, number][]][],
      participation: [['q:t1', 1], ['v:', 2], ['r:', 1]] as [string, number][],
    };
    const once = fold([entry(T0, { kind: 'questions.import', payload: imported })]).state;
    const twice = fold([entry(T0, { kind: 'questions.import', payload: imported }), entry(T0, { kind: 'questions.import', payload: imported })]).state;
    expect(saved(twice)).toBe(saved(once));
    expect(ids(once, 'public')).toEqual(['old1']);
    expect(apply(once, vote(T0 + 1, 'old1', 'dev-b', 1))).toMatchObject({ changed: false, question: { votes: 2 } });
    expect(apply(once, vote(T0 + 1, 'old1', 'dev-d', 1))).toMatchObject({ changed: true, question: { votes: 3, rev: 4 } });
    expect(apply(once, rate(T0 + 1, 'dev-b', 3))).toEqual({ previous: 5 });
  });

  it('a snapshot (save → JSON → load) folds on exactly as the state it was taken from', () => {
    // An evening in miniature, from a seeded generator: asks, votes, withdrawals, moderation,
    // ratings, some refused (limits, conflicts, unknown ids), with entry times that go back and forth.
    let x = 42;
    // mulberry32: small, seeded, and its low bits are as good as its high ones.
    const rnd = (n: number) => {
      x = (x + 0x6d2b79f5) | 0;
      let t = Math.imul(x ^ (x >>> 15), 1 | x);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const tight = { max: 4, windowMs: 300 };
    const entries: Entry[] = [];
    for (let i = 0; i < 600; i++) {
      const at = T0 + i * 7 - rnd(50);
      const device = `dev-${rnd(12)}`;
      const id = `q${rnd(20)}`;
      const table = rnd(3) ? `t${rnd(3)}` : null;
      const what = rnd(8);
      if (what < 2) entries.push(ask(at, record(id, device, { createdAt: T0 + rnd(20), status: rnd(3) ? 'live' : 'pending', table }), tight));
      else if (what < 5) entries.push(vote(at, id, device, rnd(4) ? 1 : 0, tight, table));
      else if (what < 6) entries.push(moderate(at, id, (['live', 'live', 'pending', 'answered', 'dismissed'] as const)[rnd(5)]!));
      else entries.push(rate(at, device, 1 + rnd(5), tight, table, rnd(2) ? 'aix' : 'event', rnd(2) ? 'relevance' : 'clarity'));
    }
    const whole = fold(entries);
    const refusals = whole.verdicts.filter((v) => (v as { refused?: string }).refused).length;
    expect(refusals).toBeGreaterThan(20);
    expect(refusals).toBeLessThan(400);
    expect(whole.verdicts.filter((v) => (v as { changed?: boolean }).changed).length).toBeGreaterThan(20);
    // Folding the same entries again gives the same state (deterministic).
    expect(saved(fold(entries).state)).toBe(saved(whole.state));

    for (const cut of [0, 1, 57, 300, 599, 600]) {
      const head = fold(entries.slice(0, cut));
      const restored = questionsReducer.load(JSON.parse(saved(head.state)));
      expect(saved(restored)).toBe(saved(head.state));
      const tail = fold(entries.slice(cut), restored);
      expect([...head.verdicts, ...tail.verdicts]).toEqual(whole.verdicts);
      expect(saved(tail.state)).toBe(saved(whole.state));
      for (const list of ['public', 'pending', 'live', 'answered', 'dismissed'] as const) expect(ids(tail.state, list)).toEqual(ids(whole.state, list));
      expect([...tail.state.counts].filter(([, n]) => n).sort()).toEqual([...whole.state.counts].filter(([, n]) => n).sort());
    }
  });

  it('a snapshot does not share objects with the state that goes on (the backend keeps it)', () => {
    const s = fold([ask(T0, record('q1', 'dev-a')), vote(T0, 'q1', 'dev-b', 1, { max: 5, windowMs: 1_000 })]).state;
    const json = JSON.parse(saved(s));
    const copy = JSON.stringify(json);
    const loaded = questionsReducer.load(json);
    fold([vote(T0 + 1, 'q1', 'dev-c', 1), vote(T0 + 2, 'q1', 'dev-b', 1, { max: 5, windowMs: 1_000 }), rate(T0, 'dev-b', 3)], loaded);
    expect(JSON.stringify(json)).toBe(copy);
  });
});
