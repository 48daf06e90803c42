/**
 * A screen's copy of the questions (client/src/lib/questions.ts, client/src/store/questions.ts):
 * newest rev wins, per-device fields kept; the head of each list from a snapshot, and the pages
 * loaded after it merged with the live updates that keep arriving, so that paging through a list
 * that moves under the guest's thumb reaches every question, once.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Question, QuestionPage } from '../shared/questions.ts';
import { byVotes, mergeQuestion, newestFirst, pagersFrom } from '../client/src/lib/questions.ts';
import { applyPage, applyQuestion, applyQuestions, nextPage, resetQuestions, useQuestions } from '../client/src/store/questions.ts';

const q = (over: Partial<Question> = {}): Question => ({
  id: 'q1',
  text: 'text',
  lang: 'fr',
  itemId: null,
  table: null,
  author: null,
  votes: 0,
  status: 'live',
  createdAt: 1,
  rev: 1,
  ...over,
});

describe('questions on a screen', () => {
  it('keeps the highest rev; an older copy arriving late is ignored', () => {
    const cur = q({ votes: 5, rev: 6 });
    expect(mergeQuestion(cur, q({ votes: 3, rev: 4 }))).toBeNull();
    expect(mergeQuestion(cur, q({ votes: 6, rev: 7 }))).toMatchObject({ votes: 6, rev: 7 });
    expect(mergeQuestion(undefined, q())).toEqual(q());
  });

  it('a room broadcast (no mine/voted) keeps what the device knows; a device copy sets them', () => {
    const mine = q({ mine: true, voted: true, rev: 2 });
    expect(mergeQuestion(mine, q({ votes: 9, rev: 3 }))).toMatchObject({ votes: 9, mine: true, voted: true });
    // The same rev from the room adds nothing; from the device it brings its fields.
    expect(mergeQuestion(mine, q({ rev: 2 }))).toBeNull();
    expect(mergeQuestion(q({ rev: 2 }), q({ rev: 2, mine: true, voted: false }))).toMatchObject({ mine: true, voted: false });
  });

  it('an older page copy lends its mine/voted to a newer room copy that lacks them, nothing else', () => {
    const room = q({ votes: 7, rev: 8 }); // a broadcast, before the page that read it at rev 5
    expect(mergeQuestion(room, q({ votes: 4, rev: 5, mine: false, voted: true }))).toEqual({ ...room, mine: false, voted: true });
    expect(mergeQuestion({ ...room, voted: false }, q({ rev: 5, voted: true, mine: false }))).toEqual({ ...room, voted: false, mine: false });
  });

  it('sorts by votes (ties: oldest first, then id) and by newest', () => {
    const list = [q({ id: 'a', votes: 2, createdAt: 3 }), q({ id: 'b', votes: 5, createdAt: 1 }), q({ id: 'c', votes: 2, createdAt: 2 }), q({ id: 'B', votes: 2, createdAt: 2 })];
    expect(byVotes(list).map((x) => x.id)).toEqual(['b', 'B', 'c', 'a']);
    expect(newestFirst(list).map((x) => x.id)[0]).toBe('a');
  });
});

describe('the head of each list, from a snapshot', () => {
  const many = (n: number, over: Partial<Question> = {}) =>
    Array.from({ length: n }, (_, i) => q({ id: `${over.status ?? 'live'}-${i}`, votes: n - i, createdAt: i, ...over }));

  it("a phone's: the first 50 live/answered, more on the server when it holds 50", () => {
    const head = many(50);
    const own = q({ id: 'mine-low', votes: 0, createdAt: 999, mine: true });
    const full = pagersFrom([...head, own]);
    expect(full.public).toMatchObject({ done: false, until: { id: 'live-49' } });
    // Its own low-ranked question does not count as loaded past the head.
    expect(pagersFrom(many(30)).public).toMatchObject({ done: true });
    expect(pagersFrom([]).public).toMatchObject({ done: true, until: null });
  });

  it("the tablet's: pending up to 500, then 100 others (dismissed ones fill what public ones leave)", () => {
    const tablet = pagersFrom([...many(500, { status: 'pending', votes: 0 }), ...many(80), ...many(20, { status: 'answered' })]);
    expect(tablet.pending).toMatchObject({ done: false });
    expect(tablet.live).toMatchObject({ done: false, until: { id: 'live-79' } });
    expect(tablet.answered).toMatchObject({ done: false, until: { id: 'answered-19' } });
    expect(tablet.dismissed).toMatchObject({ done: false, until: null });
    const small = pagersFrom([...many(3, { status: 'pending', votes: 0 }), ...many(40), ...many(5, { status: 'dismissed' })]);
    expect([small.pending.done, small.live.done, small.answered.done, small.dismissed.done]).toEqual([true, true, true, true]);
  });
});

describe('paging through a list that moves', () => {
  /** A small PRNG: the same evening every run. */
  function random(seed: number) {
    return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }
  const rank = (a: Question, b: Question) => b.votes - a.votes || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
  const isPublic = (x: Question) => x.status === 'live' || x.status === 'answered';

  /** What the server holds, and what it answers (its own ranking, written out here). */
  class Evening {
    readonly questions = new Map<string, Question>();
    private created = 0;
    constructor(private readonly rnd: () => number) {}
    ask(): Question {
      const id = `q${this.created}`;
      const x = q({ id, createdAt: 1000 + Math.floor(this.created++ / 2), votes: 0, rev: 1 });
      this.questions.set(id, x);
      return x;
    }
    /**
     * One change, as its room broadcast: a vote up or down, a new question, or a dismissal (of
     * `among` when given: the questions the screen already loaded).
     */
    change(among?: string[]): Question {
      const r = this.rnd();
      if (r < 0.15 && !among) return this.ask();
      const live = among ? among.map((id) => this.questions.get(id)!).filter((x) => x.status === 'live') : [...this.questions.values()].filter((x) => x.status === 'live');
      const x = live[Math.floor(this.rnd() * live.length)]!;
      const next =
        r < 0.2 ? { ...x, status: 'dismissed' as const, rev: x.rev + 1 } : { ...x, votes: Math.max(0, x.votes + (r < 0.75 ? 1 : -1)), rev: x.rev + 1 };
      this.questions.set(x.id, next);
      return next;
    }
    page(offset: number, limit: number): QuestionPage {
      const list = [...this.questions.values()].filter(isPublic).sort(rank);
      return { items: list.slice(offset, offset + limit).map((x) => ({ ...x, mine: false, voted: false })), total: list.length };
    }
  }

  beforeEach(() => resetQuestions());

  for (const seed of [1, 7, 42, 2024]) {
    it(`reaches every question once, live updates merged (evening ${seed})`, () => {
      const rnd = random(seed);
      const evening = new Evening(rnd);
      for (let i = 0; i < 400; i++) evening.ask();
      for (let i = 0; i < 1500; i++) evening.change();
      applyQuestions(evening.page(0, 50).items);

      let pages = 0;
      for (let next = nextPage('public'); next; next = nextPage('public')) {
        // Changes whose broadcasts arrived before this page was asked…
        for (let i = 0; i < Math.floor(rnd() * 20); i++) applyQuestion(evening.change());
        const { offset } = nextPage('public')!;
        // …and up to eight more the server stored before reading the page, broadcast after its
        // answer (a storm delays broadcasts): the worst ones, on questions just loaded (a
        // dismissal or a lost vote there moves the rest of the list up under the page).
        const loaded = byVotes(Object.values(useQuestions.getState().byId).filter(isPublic)).slice(Math.max(0, offset - 10), offset).map((x) => x.id);
        const late = Array.from({ length: Math.floor(rnd() * 9) }, () => evening.change(loaded));
        applyPage('public', offset, evening.page(offset, 50));
        late.forEach(applyQuestion);
        pages++;
      }

      const held = Object.values(useQuestions.getState().byId).filter(isPublic);
      const truth = [...evening.questions.values()].filter(isPublic);
      expect(held.map((x) => x.id).sort()).toEqual(truth.map((x) => x.id).sort());
      // Every copy held is the server's latest, and the screen's order is the server's.
      expect(byVotes(held).map((x) => `${x.id}:${x.votes}`)).toEqual(truth.sort(rank).map((x) => `${x.id}:${x.votes}`));
      expect(pages).toBeGreaterThan(5);
      expect(pages).toBeLessThan(40);
      expect(useQuestions.getState().pagers.public?.done).toBe(true);
    });
  }

  it('a live update newer than the page keeps its count; the page lends `voted`', () => {
    const head = Array.from({ length: 50 }, (_, i) => q({ id: `h${i}`, votes: 100 - i, createdAt: i }));
    applyQuestions(head);
    applyQuestion(q({ id: 'p1', votes: 9, createdAt: 500, rev: 12 })); // a broadcast: no voted
    const { offset } = nextPage('public')!;
    expect(offset).toBe(47); // the head, less the overlap
    applyPage('public', offset, { items: [q({ id: 'h49', votes: 51, createdAt: 49 }), q({ id: 'p1', votes: 8, createdAt: 500, rev: 11, voted: true, mine: false })], total: 52 });
    expect(useQuestions.getState().byId.p1).toMatchObject({ votes: 9, rev: 12, voted: true, mine: false });
    expect(useQuestions.getState().pagers.public).toMatchObject({ done: false, until: { id: 'p1' } });
    expect(nextPage('public')).toEqual({ offset: 48 });
  });
});
