/**
 * The questions' ranked lists (questions at scale), read from the folded state (read.ts): pages in
 * the ranking (most votes, then oldest, then id), questions moving as their votes and statuses
 * change, a device's own questions, `voted` among a page — with no backend; then the lists
 * surviving a restart, on both log backends. (An event an older version stored without ranked
 * lists: tests/log.import.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { QuestionStatus } from '../shared/questions.ts';
import * as read from '../server/questions/read.ts';
import type { Limit, QuestionRecord, QuestionsEntry, QuestionsState, RankedList } from '../server/questions/rules.ts';
import { newTestId } from './fixtures/make-state.ts';
import { questionLogKinds, questionsFold, type QuestionLogKind } from './helpers/question-logs.ts';

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

type Append = (entry: QuestionsEntry) => unknown;
const vote = (id: string, device: string, value: 0 | 1): QuestionsEntry => ({ kind: 'questions.vote', payload: { id, value, limit: LOOSE }, device, table: null });
const moderate = (id: string, status: QuestionStatus): QuestionsEntry => ({ kind: 'questions.moderate', payload: { id, status } });

/** Asks every question (live or pending), votes, then moderates to the scenario's statuses (here or on a log). */
async function play(append: Append) {
  const { questions } = scenario();
  for (const q of questions) await append({ kind: 'questions.ask', payload: { record: record(q, q.status === 'pending' ? 'pending' : 'live'), limit: LOOSE } });
  for (const q of questions) {
    if (q.status === 'pending') continue;
    for (let v = 0; v < q.votes; v++) await append(vote(q.id, `voter-${v}`, 1));
  }
  for (const q of questions) if (q.status === 'answered' || q.status === 'dismissed') await append(moderate(q.id, q.status));
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

function allOf(s: QuestionsState, list: RankedList, size: number) {
  const ids: string[] = [];
  let total = -1;
  for (let offset = 0; ; offset += size) {
    const page = read.page(s, list, offset, size);
    total = page.total;
    ids.push(...page.items.map((q) => q.id));
    if (page.items.length < size) break;
  }
  return { ids, total };
}

describe('ranked lists of questions, no backend', () => {
  it('pages follow the ranking: most votes, then oldest, then id; paging reaches each question once', async () => {
    const e = questionsFold();
    const questions = await play(e.append);
    for (const list of ['public', 'live', 'answered', 'pending', 'dismissed'] as const) {
      const want = expected(questions, list);
      expect(want.length).toBeGreaterThan(0);
      for (const size of [1, 7, 100]) expect(allOf(e.state, list, size), `${list} by ${size}`).toEqual({ ids: want, total: want.length });
    }
    // The items are whole questions, with their counts.
    const [top] = read.page(e.state, 'public', 0, 1).items;
    expect(top).toMatchObject({ id: expected(questions, 'public')[0], votes: 2, text: expect.stringMatching(/^Question /) });
    expect(read.page(e.state, 'public', 1000, 10)).toEqual({ items: [], total: expected(questions, 'public').length });
    expect(read.page(questionsFold().state, 'public', 0, 10)).toEqual({ items: [], total: 0 });
  });

  it('a question moves as its votes change, and between lists as its status does', async () => {
    const e = questionsFold();
    const questions = await play(e.append);
    const publicIds = expected(questions, 'public');
    const lastLive = expected(questions, 'live').at(-1)!;
    const ids = (list: RankedList) => allOf(e.state, list, 100).ids;

    // Five up-votes take the last live question to the top of `live` and `public`.
    for (let v = 0; v < 5; v++) e.append(vote(lastLive, `fan-${v}`, 1));
    expect(ids('live')[0]).toBe(lastLive);
    expect(ids('public')[0]).toBe(lastLive);
    // Withdrawn again: back where it was.
    for (let v = 0; v < 5; v++) e.append(vote(lastLive, `fan-${v}`, 0));
    expect(ids('public')).toEqual(publicIds);

    // Answered: leaves `live`, joins `answered`, keeps its place in `public`.
    e.append(moderate(lastLive, 'answered'));
    expect(ids('live')).not.toContain(lastLive);
    expect(ids('answered')).toContain(lastLive);
    expect(ids('public')).toEqual(publicIds);
    // Dismissed: leaves `public`; restored: comes back to its place.
    e.append(moderate(lastLive, 'dismissed'));
    expect(ids('public')).toEqual(publicIds.filter((id) => id !== lastLive));
    expect(ids('dismissed')).toContain(lastLive);
    e.append(moderate(lastLive, 'live'));
    expect(ids('public')).toEqual(publicIds);
    expect(ids('dismissed')).not.toContain(lastLive);

    // A pending question approved joins `live` and `public` at its rank (no votes: after the voted ones).
    const pending = expected(questions, 'pending')[0]!;
    e.append(moderate(pending, 'live'));
    expect(ids('pending')).not.toContain(pending);
    const withIt = questions.map((q) => (q.id === pending ? { ...q, status: 'live' as const, votes: 0 } : q));
    expect(ids('public')).toEqual(expected(withIt, 'public'));
  });

  it("a device's own questions (newest first, bounded) and its `voted` among given ids", async () => {
    const e = questionsFold();
    const { authors } = scenario();
    const questions = await play(e.append);
    const own = questions.filter((q) => q.device === authors[1]);
    const newestFirst = [...own].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map((q) => q.id);
    expect(read.deviceQuestions(e.state, authors[1]!).map((q) => q.id)).toEqual(newestFirst);
    expect(read.deviceQuestions(e.state, authors[1]!, 3).map((q) => q.id)).toEqual(newestFirst.slice(0, 3));
    expect(read.deviceQuestions(e.state, authors[1]!)[0]).toMatchObject({ device: authors[1], text: expect.any(String) });
    expect(read.deviceQuestions(e.state, 'dev-nobody')).toEqual([]);

    // voter-0 voted every question with at least one vote (and not a pending one).
    const some = questions.slice(0, 12).map((q) => q.id);
    const voted = questions.slice(0, 12).filter((q) => q.status !== 'pending' && q.votes > 0).map((q) => q.id);
    expect([...read.votedAmong(e.state, 'voter-0', some)].sort()).toEqual(voted.sort());
    expect(read.votedAmong(e.state, 'voter-0', [])).toEqual(new Set());
    expect(read.votedAmong(e.state, 'dev-nobody', some)).toEqual(new Set());
  });
});

function restartKeepsLists(kind: QuestionLogKind) {
  describe.skipIf(!kind.available)(`ranked lists of questions: ${kind.name} backend`, () => {
    const locations: string[] = [];
    afterAll(async () => {
      for (const l of locations) await kind.cleanup(l);
    });

    it('a restart (a new instance on the same location) keeps every list in order', async () => {
      const where = kind.newLocation();
      locations.push(where);
      const first = await kind.open(where);
      const e = newTestId();
      const questions = await play((entry) => first.log.append(e, entry));
      await first.close();
      for (let round = 0; round < 2; round++) {
        const again = await kind.open(where);
        const s = await again.log.state(e);
        for (const list of ['public', 'pending', 'dismissed'] as const) expect(allOf(s, list, 9).ids).toEqual(expected(questions, list));
        // Still moving: a vote after the restart reorders.
        const lastLive = expected(questions, 'live').at(-1)!;
        await again.log.append(e, vote(lastLive, `late-${round}`, 1));
        expect(allOf(await again.log.state(e), 'live', 50).ids.at(-1)).not.toBe(lastLive);
        await again.log.append(e, vote(lastLive, `late-${round}`, 0));
        expect(allOf(await again.log.state(e), 'live', 50).ids).toEqual(expected(questions, 'live'));
        await again.close();
      }
    });
  });
}

for (const kind of questionLogKinds) restartKeepsLists(kind);
