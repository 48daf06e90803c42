/**
 * The questions store's ranked lists (questions at scale), on both log backends: pages in the
 * ranking (most votes, then oldest, then id), the same on both, questions moving as their votes
 * and statuses change, a device's own questions, `voted` among a page, and the lists surviving a
 * restart. (An event an older version stored without ranked lists: tests/log.import.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionStatus } from '../shared/questions.ts';
import type { Limit, QuestionRecord, QuestionStore, RankedList } from '../server/questions/store.ts';
import { newTestId } from './fixtures/make-state.ts';
import { questionStoreKinds, type QuestionStoreKind } from './helpers/question-stores.ts';

const LOOSE: Limit = { max: 1_000_000, windowMs: 60_000 };
const BASE = 1_764_100_000_000;

/**
 * An evening in miniature: 40 questions, three at a time sharing a `createdAt` and six at a time
 * their votes (such ties go by id), ids against creation order, some pending, answered, dismissed.
 */
function scenario() {
  const authors = ['dev-aaaaaaaa', 'dev-bbbbbbbb', 'dev-cccccccc'];
  const questions = Array.from({ length: 40 }, (_, i) => ({
    id: `q${99 - i}${i % 2 ? '-x' : ''}`,
    createdAt: BASE + Math.floor(i / 3),
    device: authors[i % 3]!,
    votes: Math.floor(i / 6) % 3,
    status: (i % 10 === 0 ? 'pending' : i % 10 === 1 ? 'answered' : i % 10 === 2 ? 'dismissed' : 'live') as QuestionStatus,
  }));
  return { authors, questions };
}

function record(q: { id: string; createdAt: number; device: string }, status: QuestionStatus): QuestionRecord {
  return { id: q.id, text: `Question ${q.id}`, lang: 'fr', itemId: null, table: null, author: null, votes: 0, status, createdAt: q.createdAt, rev: 1, device: q.device };
}

/** Asks every question (live or pending), votes, then moderates to the scenario's statuses. */
async function play(store: QuestionStore, eventId: string) {
  const { questions } = scenario();
  for (const q of questions) await store.ask({ eventId, record: record(q, q.status === 'pending' ? 'pending' : 'live'), limit: LOOSE });
  for (const q of questions) {
    if (q.status === 'pending') continue;
    for (let v = 0; v < q.votes; v++) await store.vote({ eventId, id: q.id, device: `voter-${v}`, value: 1, table: null, limit: LOOSE });
  }
  for (const q of questions) if (q.status === 'answered' || q.status === 'dismissed') await store.moderate(eventId, q.id, q.status);
  return questions;
}

/** The ids a list should hold, in order, computed from the scenario alone (not read from a store). */
function expected(questions: ReturnType<typeof scenario>['questions'], list: RankedList): string[] {
  const inList = (s: QuestionStatus) => (list === 'public' ? s === 'live' || s === 'answered' : s === list);
  return questions
    .filter((q) => inList(q.status))
    .map((q) => ({ ...q, votes: q.status === 'pending' ? 0 : q.votes }))
    .sort((a, b) => (a.votes !== b.votes ? b.votes - a.votes : a.createdAt !== b.createdAt ? a.createdAt - b.createdAt : a.id < b.id ? -1 : 1))
    .map((q) => q.id);
}

async function allOf(store: QuestionStore, eventId: string, list: RankedList, size: number) {
  const ids: string[] = [];
  let total = -1;
  for (let offset = 0; ; offset += size) {
    const page = await store.page(eventId, list, offset, size);
    total = page.total;
    ids.push(...page.items.map((q) => q.id));
    if (page.items.length < size) break;
  }
  return { ids, total };
}

function pagesContract(kind: QuestionStoreKind) {
  describe.skipIf(!kind.available)(`ranked lists of questions: ${kind.name} store`, () => {
    const locations: string[] = [];
    const closers: (() => Promise<void>)[] = [];
    let store: QuestionStore;
    const open = async (where: string) => {
      const o = await kind.open(where);
      closers.push(o.close);
      return o;
    };

    beforeAll(async () => {
      const where = kind.newLocation();
      locations.push(where);
      store = (await open(where)).store;
    });
    afterAll(async () => {
      for (const c of closers) await c();
      for (const l of locations) await kind.cleanup(l);
    });

    it('pages follow the ranking: most votes, then oldest, then id; paging reaches each question once', async () => {
      const e = newTestId();
      const questions = await play(store, e);
      for (const list of ['public', 'live', 'answered', 'pending', 'dismissed'] as const) {
        const want = expected(questions, list);
        expect(want.length).toBeGreaterThan(0);
        for (const size of [1, 7, 100]) expect(await allOf(store, e, list, size), `${list} by ${size}`).toEqual({ ids: want, total: want.length });
      }
      // The items are whole questions, with their counts.
      const [top] = (await store.page(e, 'public', 0, 1)).items;
      expect(top).toMatchObject({ id: expected(questions, 'public')[0], votes: 2, text: expect.stringMatching(/^Question /) });
      expect(await store.page(e, 'public', 1000, 10)).toEqual({ items: [], total: expected(questions, 'public').length });
      expect(await store.page(newTestId(), 'public', 0, 10)).toEqual({ items: [], total: 0 });
    });

    it('a question moves as its votes change, and between lists as its status does', async () => {
      const e = newTestId();
      const questions = await play(store, e);
      const publicIds = expected(questions, 'public');
      const last = publicIds.at(-1)!;
      const lastLive = expected(questions, 'live').at(-1)!;
      const ids = async (list: RankedList) => (await allOf(store, e, list, 100)).ids;

      // Five up-votes take the last live question to the top of `live` and `public`.
      for (let v = 0; v < 5; v++) await store.vote({ eventId: e, id: lastLive, device: `fan-${v}`, value: 1, table: null, limit: LOOSE });
      expect((await ids('live'))[0]).toBe(lastLive);
      expect((await ids('public'))[0]).toBe(lastLive);
      // Withdrawn again: back where it was.
      for (let v = 0; v < 5; v++) await store.vote({ eventId: e, id: lastLive, device: `fan-${v}`, value: 0, table: null, limit: LOOSE });
      expect(await ids('public')).toEqual(publicIds);
      expect(last).toBeTruthy();

      // Answered: leaves `live`, joins `answered`, keeps its place in `public`.
      await store.moderate(e, lastLive, 'answered');
      expect(await ids('live')).not.toContain(lastLive);
      expect(await ids('answered')).toContain(lastLive);
      expect(await ids('public')).toEqual(publicIds);
      // Dismissed: leaves `public`; restored: comes back to its place.
      await store.moderate(e, lastLive, 'dismissed');
      expect(await ids('public')).toEqual(publicIds.filter((id) => id !== lastLive));
      expect(await ids('dismissed')).toContain(lastLive);
      await store.moderate(e, lastLive, 'live');
      expect(await ids('public')).toEqual(publicIds);
      expect(await ids('dismissed')).not.toContain(lastLive);

      // A pending question approved joins `live` and `public` at its rank (no votes: after the voted ones).
      const pending = expected(questions, 'pending')[0]!;
      await store.moderate(e, pending, 'live');
      expect(await ids('pending')).not.toContain(pending);
      const withIt = questions.map((q) => (q.id === pending ? { ...q, status: 'live' as const, votes: 0 } : q));
      expect(await ids('public')).toEqual(expected(withIt, 'public'));
    });

    it("a device's own questions (newest first, bounded) and its `voted` among given ids", async () => {
      const e = newTestId();
      const { authors } = scenario();
      const questions = await play(store, e);
      const own = questions.filter((q) => q.device === authors[1]);
      const newestFirst = [...own].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((q) => q.id);
      expect((await store.deviceQuestions(e, authors[1]!)).map((q) => q.id)).toEqual(newestFirst);
      expect((await store.deviceQuestions(e, authors[1]!, 3)).map((q) => q.id)).toEqual(newestFirst.slice(0, 3));
      expect((await store.deviceQuestions(e, authors[1]!))[0]).toMatchObject({ device: authors[1], text: expect.any(String) });
      expect(await store.deviceQuestions(e, 'dev-nobody')).toEqual([]);

      // voter-0 voted every question with at least one vote (and not a pending one).
      const some = questions.slice(0, 12).map((q) => q.id);
      const voted = questions.slice(0, 12).filter((q) => q.status !== 'pending' && q.votes > 0).map((q) => q.id);
      expect([...(await store.votedAmong(e, 'voter-0', some))].sort()).toEqual(voted.sort());
      expect(await store.votedAmong(e, 'voter-0', [])).toEqual(new Set());
      expect(await store.votedAmong(e, 'dev-nobody', some)).toEqual(new Set());
    });

    it('a restart (a new instance on the same location) keeps every list in order', async () => {
      const where = kind.newLocation();
      locations.push(where);
      const first = await kind.open(where);
      const e = newTestId();
      const questions = await play(first.store, e);
      await first.close();
      for (let round = 0; round < 2; round++) {
        const again = await kind.open(where);
        for (const list of ['public', 'pending', 'dismissed'] as const) {
          expect((await allOf(again.store, e, list, 9)).ids).toEqual(expected(questions, list));
        }
        // Still moving: a vote after the restart reorders.
        const lastLive = expected(questions, 'live').at(-1)!;
        await again.store.vote({ eventId: e, id: lastLive, device: `late-${round}`, value: 1, table: null, limit: LOOSE });
        await again.store.vote({ eventId: e, id: lastLive, device: `late-${round}`, value: 0, table: null, limit: LOOSE });
        expect((await allOf(again.store, e, 'live', 50)).ids).toEqual(expected(questions, 'live'));
        await again.close();
      }
    });
  });
}

for (const kind of questionStoreKinds) pagesContract(kind);
