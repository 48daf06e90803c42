/**
 * The questions domain as its handlers use it: entries appended (rules.ts decides each), reads
 * selected from the folded state (read.ts). First with no backend (entries folded here, time from
 * the entries); then what only a backend can show, on both: the embedded journal (a temp
 * DATA_DIR) and a Redis Stream per event — concurrent writers counted exactly, two processes
 * sharing one log, a restart finding everything, broadcast slots shared through the Ephemeral.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import type { QuestionStatus } from '../shared/questions.ts';
import * as read from '../server/questions/read.ts';
import type { AskResult, Limit, ModerateResult, QuestionRecord, QuestionsEntry, QuestionsLog, RateResult, VoteResult } from '../server/questions/rules.ts';
import { newTestId } from './fixtures/make-state.ts';
import { questionLogKinds, questionsFold, type QuestionLogKind } from './helpers/question-logs.ts';

const LOOSE: Limit = { max: 1_000_000, windowMs: 60_000 };
const device = () => `dev-${newTestId(8)}`;

function record(over: Partial<QuestionRecord> = {}): QuestionRecord {
  return {
    id: newTestId(12),
    text: 'Comment financer la rénovation ?',
    lang: 'fr',
    itemId: 'aix',
    table: 't1',
    author: null,
    votes: 0,
    status: 'live',
    createdAt: Date.now(),
    rev: 1,
    device: device(),
    ...over,
  };
}

/** The entries the handlers append (domain.ts). */
const ask = (r: QuestionRecord, limit = LOOSE): QuestionsEntry => ({ kind: 'questions.ask', payload: { record: r, limit } });
const vote = (id: string, who: string, value: 0 | 1, table: string | null = null, limit = LOOSE): QuestionsEntry => ({
  kind: 'questions.vote',
  payload: { id, value, limit },
  device: who,
  table,
});
const moderate = (id: string, status: QuestionStatus): QuestionsEntry => ({ kind: 'questions.moderate', payload: { id, status } });
const rate = (who: string, target: string, indicator: string, score: number, table: string | null = 't1', limit = LOOSE): QuestionsEntry => ({
  kind: 'questions.rate',
  payload: { target, indicator, score, limit },
  device: who,
  table,
});

/** The code a refusal carries (thrown at once by the rules, or a rejected append). */
async function codeOf(act: (() => unknown) | Promise<unknown>): Promise<string> {
  try {
    await (typeof act === 'function' ? act() : act);
  } catch (err) {
    expect(err).toBeInstanceOf(TribuneError);
    return (err as TribuneError).code;
  }
  throw new Error('expected a refusal');
}

describe('the questions rules and reads, no backend', () => {
  it('stores a question; a retry of its id by the same device returns the stored one; another device gets CONFLICT', async () => {
    const e = questionsFold();
    const q = record({ author: 'Ana', itemId: null, table: null });
    expect(e.append<AskResult>(ask(q))).toEqual({ question: q, created: true });
    expect(read.get(e.state, q.id)).toEqual(q);
    expect(e.append<AskResult>(ask({ ...q, text: 'different', createdAt: q.createdAt + 5 }))).toEqual({ question: q, created: false });
    expect(await codeOf(() => e.append(ask({ ...q, device: device() })))).toBe(ErrorCode.CONFLICT);
    expect(read.list(e.state)).toEqual([q]);
    expect(read.get(e.state, 'nope')).toBeNull();
    expect(read.get(questionsFold().state, q.id)).toBeNull();
  });

  it('lists questions oldest first', () => {
    const e = questionsFold();
    const t = Date.now();
    for (const q of [record({ createdAt: t + 2 }), record({ createdAt: t }), record({ createdAt: t + 1 })]) e.append(ask(q));
    expect(read.list(e.state).map((q) => q.createdAt)).toEqual([t, t + 1, t + 2]);
    expect(read.list(questionsFold().state)).toEqual([]);
  });

  it('limits questions per device; a retry does not count; the limit ends with its window', async () => {
    let now = 1_000_000;
    const e = questionsFold(() => now);
    const d = device();
    const limit = { max: 3, windowMs: 400 };
    const asked: QuestionRecord[] = [];
    for (let i = 0; i < 3; i++) {
      const q = record({ device: d });
      asked.push(q);
      expect(e.append<AskResult>(ask(q, limit)).created).toBe(true);
    }
    // Retries of stored ids are answered, not counted.
    for (const q of asked) expect(e.append<AskResult>(ask(q, limit)).created).toBe(false);
    const fourth = record({ device: d });
    expect(await codeOf(() => e.append(ask(fourth, limit)))).toBe(ErrorCode.RATE_LIMITED);
    expect(read.get(e.state, fourth.id)).toBeNull();
    // Another device has its own count.
    expect(e.append<AskResult>(ask(record(), limit)).created).toBe(true);
    now += 399;
    expect(await codeOf(() => e.append(ask(fourth, limit)))).toBe(ErrorCode.RATE_LIMITED);
    now += 1;
    expect(e.append<AskResult>(ask(fourth, limit)).created).toBe(true);
  });

  it('votes: one per device, idempotent, withdrawn with 0; NOT_FOUND and CONFLICT otherwise', async () => {
    const e = questionsFold();
    const live = record();
    const pending = record({ status: 'pending' });
    e.append(ask(live));
    e.append(ask(pending));
    const d = device();
    const voteAs = (id: string, value: 0 | 1, who = d) => e.append<VoteResult>(vote(id, who, value, 't2'));

    expect(await codeOf(() => voteAs('missing', 1))).toBe(ErrorCode.NOT_FOUND);
    expect(await codeOf(() => voteAs(pending.id, 1))).toBe(ErrorCode.CONFLICT);

    expect(voteAs(live.id, 1)).toMatchObject({ changed: true, voted: true, question: { id: live.id, votes: 1, rev: 2 } });
    expect(voteAs(live.id, 1)).toMatchObject({ changed: false, voted: true, question: { votes: 1, rev: 2 } });
    expect(read.deviceVotes(e.state, d)).toEqual([live.id]);
    expect(voteAs(live.id, 1, device()).question.votes).toBe(2);

    expect(voteAs(live.id, 0)).toMatchObject({ changed: true, voted: false, question: { votes: 1, rev: 4 } });
    expect(voteAs(live.id, 0).changed).toBe(false);
    expect(read.deviceVotes(e.state, d)).toEqual([]);
    expect(read.get(e.state, live.id)?.votes).toBe(1);

    // Not live any more: no vote either way.
    e.append(moderate(live.id, 'answered'));
    expect(await codeOf(() => voteAs(live.id, 1))).toBe(ErrorCode.CONFLICT);
  });

  it('limits votes per device', async () => {
    const e = questionsFold();
    const q = record();
    e.append(ask(q));
    const d = device();
    const limit = { max: 4, windowMs: 60_000 };
    for (let i = 0; i < 4; i++) e.append(vote(q.id, d, i % 2 ? 0 : 1, null, limit));
    expect(await codeOf(() => e.append(vote(q.id, d, 1, null, limit)))).toBe(ErrorCode.RATE_LIMITED);
    expect(read.get(e.state, q.id)?.votes).toBe(0);
  });

  it('moderates: status and rev change once; the same status changes nothing; unknown is NOT_FOUND', async () => {
    const e = questionsFold();
    const q = record({ status: 'pending' });
    e.append(ask(q));
    expect(e.append<ModerateResult>(moderate(q.id, 'live'))).toEqual({ previous: 'pending', question: { ...q, status: 'live', rev: 2 } });
    expect(e.append<ModerateResult>(moderate(q.id, 'live')).question.rev).toBe(2);
    expect(e.append<ModerateResult>(moderate(q.id, 'dismissed'))).toMatchObject({ previous: 'live', question: { status: 'dismissed', rev: 3 } });
    expect(read.get(e.state, q.id)).toMatchObject({ status: 'dismissed', rev: 3 });
    expect(await codeOf(() => e.append(moderate('missing', 'live')))).toBe(ErrorCode.NOT_FOUND);
  });

  it('ratings: a later score replaces the earlier one; aggregates (count, mean, histogram) are exact', () => {
    const e = questionsFold();
    const rateAs = (d: string, target: string, indicator: string, score: number, table: string | null = 't1') =>
      e.append<RateResult>(rate(d, target, indicator, score, table));
    const [a, b, c] = [device(), device(), device()];
    expect(rateAs(a, 'aix', 'relevance', 5)).toEqual({ previous: null });
    expect(rateAs(b, 'aix', 'relevance', 2, 't2')).toEqual({ previous: null });
    expect(rateAs(c, 'aix', 'relevance', 4, null)).toEqual({ previous: null });
    expect(rateAs(a, 'aix', 'relevance', 3)).toEqual({ previous: 5 }); // replaced
    expect(rateAs(a, 'event', 'atmosphere', 4)).toEqual({ previous: null });
    expect(rateAs(a, 'event', 'atmosphere', 4)).toEqual({ previous: 4 }); // same again
    expect(rateAs(b, 'event', 'smoothRunning', 1, 't2')).toEqual({ previous: null });

    expect(read.ratingSummary(e.state)).toEqual({
      aix: { relevance: { count: 3, mean: (3 + 2 + 4) / 3, histogram: [0, 1, 1, 1, 0] } },
      event: {
        atmosphere: { count: 1, mean: 4, histogram: [0, 0, 0, 1, 0] },
        smoothRunning: { count: 1, mean: 1, histogram: [1, 0, 0, 0, 0] },
      },
    });
    expect(read.deviceRatings(e.state, a)).toEqual({ aix: { relevance: 3 }, event: { atmosphere: 4 } });
    expect(read.deviceRatings(e.state, device())).toEqual({});
    // Participation: (target, indicator) pairs rated, by the rater's table.
    const p = read.participation(e.state);
    expect(p.byTable).toEqual({
      t1: { questions: 0, votes: 0, ratings: 2 },
      t2: { questions: 0, votes: 0, ratings: 2 },
    });
    expect(p.noTable).toEqual({ questions: 0, votes: 0, ratings: 1 });
    expect(read.ratingSummary(questionsFold().state)).toEqual({});
  });

  it('limits ratings per device', async () => {
    const e = questionsFold();
    const d = device();
    const limit = { max: 2, windowMs: 60_000 };
    e.append(rate(d, 'aix', 'relevance', 1, null, limit));
    e.append(rate(d, 'aix', 'relevance', 2, null, limit));
    expect(await codeOf(() => e.append(rate(d, 'aix', 'relevance', 3, null, limit)))).toBe(ErrorCode.RATE_LIMITED);
    expect(read.deviceRatings(e.state, d)).toEqual({ aix: { relevance: 2 } });
  });

  it('participation counts questions, standing votes and ratings by table', () => {
    const e = questionsFold();
    const q1 = record({ table: 't1' });
    const q2 = record({ table: null });
    e.append(ask(q1));
    e.append(ask(q2));
    const d = device();
    e.append(vote(q1.id, d, 1, 't2'));
    e.append(vote(q2.id, d, 1, 't2'));
    e.append(vote(q2.id, d, 0, 't2'));
    e.append(vote(q2.id, device(), 1, 't1'));
    expect(read.participation(e.state)).toEqual({
      byTable: { t1: { questions: 1, votes: 1, ratings: 0 }, t2: { questions: 0, votes: 1, ratings: 0 } },
      noTable: { questions: 1, votes: 0, ratings: 0 },
    });
  });
});

function onBackend(kind: QuestionLogKind) {
  describe.skipIf(!kind.available)(`the questions log on ${kind.name}`, () => {
    const locations: string[] = [];
    const closers: (() => Promise<void>)[] = [];
    let opened: Awaited<ReturnType<QuestionLogKind['open']>>;
    let log: QuestionsLog;
    let location: string;
    const open = async (where: string) => {
      const o = await kind.open(where);
      closers.push(o.close);
      return o;
    };
    const newEvent = () => newTestId();

    beforeAll(async () => {
      location = kind.newLocation();
      locations.push(location);
      opened = await open(location);
      log = opened.log;
    });
    afterAll(async () => {
      for (const c of closers) await c();
      for (const l of locations) await kind.cleanup(l);
    });

    it(`is the ${kind.name} backend`, () => {
      expect(log.kind).toBe(kind.name);
    });

    it('300 devices voting at once are counted exactly, and so are 150 withdrawals', async () => {
      const e = newEvent();
      const q = record();
      await log.append(e, ask(q));
      const devices = Array.from({ length: 300 }, device);
      const results = await Promise.all(devices.map((d) => log.append<VoteResult>(e, vote(q.id, d, 1))));
      expect(results.every((r) => r.changed)).toBe(true);
      expect(new Set(results.map((r) => r.question.votes)).size).toBe(300); // each saw its own count
      expect(read.get(await log.state(e), q.id)).toMatchObject({ votes: 300, rev: 301 });
      // Repeats and withdrawals interleaved: half withdraw, everyone repeats their up-vote once first.
      await Promise.all(devices.map((d) => log.append(e, vote(q.id, d, 1))));
      await Promise.all(devices.slice(0, 150).map((d) => log.append(e, vote(q.id, d, 0))));
      const s = await log.state(e);
      expect(read.get(s, q.id)).toMatchObject({ votes: 150, rev: 451 });
      expect(read.participation(s).noTable.votes).toBe(150);
    });

    it('200 concurrent ratings by 100 devices (each replacing its own) aggregate exactly', async () => {
      const e = newEvent();
      const devices = Array.from({ length: 100 }, device);
      await Promise.all(devices.map((d, i) => log.append(e, rate(d, 'aix', 'relevance', (i % 5) + 1, null))));
      await Promise.all(devices.map((d) => log.append(e, rate(d, 'aix', 'relevance', 5, null))));
      expect(read.ratingSummary(await log.state(e))).toEqual({ aix: { relevance: { count: 100, mean: 5, histogram: [0, 0, 0, 0, 100] } } });
    });

    it('a refusal rejects the append with its code', async () => {
      const e = newEvent();
      expect(await codeOf(log.append(e, vote('missing', device(), 1)))).toBe(ErrorCode.NOT_FOUND);
    });

    if (kind.sharedByProcesses) {
      it('two processes on one location count votes and limits as one', async () => {
        const a = (await open(location)).log;
        const b = await open(location);
        const e = newEvent();
        const q = record();
        await a.append(e, ask(q));
        const devices = Array.from({ length: 200 }, device);
        await Promise.all(devices.map((d, i) => (i % 2 ? a : b.log).append(e, vote(q.id, d, 1, 't1'))));
        // The same devices again from the other process: no double votes.
        await Promise.all(devices.map((d, i) => (i % 2 ? b.log : a).append(e, vote(q.id, d, 1, 't1'))));
        expect(read.get(await a.state(e), q.id)?.votes).toBe(200);
        expect(read.get(await b.log.state(e), q.id)?.votes).toBe(200);
        const d = device();
        const limit = { max: 2, windowMs: 60_000 };
        await a.append(e, ask(record({ device: d }), limit));
        await b.log.append(e, ask(record({ device: d }), limit));
        expect(await codeOf(a.append(e, ask(record({ device: d }), limit)))).toBe(ErrorCode.RATE_LIMITED);
        expect(await codeOf(b.log.append(e, ask(record({ device: d }), limit)))).toBe(ErrorCode.RATE_LIMITED);
        // One broadcast slot for both.
        expect(await opened.ephemeral.claim(e, 'questions:questions', 5_000)).toBe(0);
        expect(await b.ephemeral.claim(e, 'questions:questions', 5_000)).toBeGreaterThan(0);
      });
    }

    it('a broadcast slot is held for its window', async () => {
      const e = newEvent();
      const { ephemeral } = opened;
      expect(await ephemeral.claim(e, 'questions:ratings', 300)).toBe(0);
      const wait = await ephemeral.claim(e, 'questions:ratings', 300);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(300);
      expect(await ephemeral.claim(e, 'questions:questions', 300)).toBe(0); // another name, another slot
      await eventually(async () => expect(await ephemeral.claim(e, 'questions:ratings', 300)).toBe(0), { timeout: 3000, interval: 50 });
    });

    it('a restart (a new instance on the same location) finds every question, vote and rating', async () => {
      const where = kind.newLocation();
      locations.push(where);
      const first = await kind.open(where);
      const e = newEvent();
      const s = first.log;
      const q1 = record({ status: 'pending', author: 'Léa', table: 't2' });
      const q2 = record({ createdAt: q1.createdAt + 1 });
      await s.append(e, ask(q1));
      await s.append(e, ask(q2));
      await s.append(e, moderate(q1.id, 'live'));
      const voters = Array.from({ length: 5 }, device);
      for (const d of voters) await s.append(e, vote(q1.id, d, 1, 't1'));
      await s.append(e, vote(q1.id, voters[0]!, 0, 't1'));
      await s.append(e, vote(q2.id, voters[1]!, 1, 't1'));
      await s.append(e, rate(voters[0]!, 'aix', 'relevance', 2));
      await s.append(e, rate(voters[0]!, 'aix', 'relevance', 4));
      await s.append(e, rate(voters[1]!, 'event', 'atmosphere', 5, null));
      const readAll = async (log: QuestionsLog) => {
        const state = await log.state(e);
        return {
          list: read.list(state),
          summary: read.ratingSummary(state),
          participation: read.participation(state),
          votes: read.deviceVotes(state, voters[1]!),
          mine: read.deviceRatings(state, voters[0]!),
        };
      };
      const before = await readAll(s);
      expect(before.list.map((q) => q.votes)).toEqual([4, 1]);
      expect(before.votes).toHaveLength(2);
      await first.close();

      // Twice: the second open reads the journal the first reopen compacted.
      for (let round = 0; round < 2; round++) {
        const again = await kind.open(where);
        expect(await readAll(again.log)).toEqual(before);
        await again.close();
      }
      const last = (await open(where)).log;
      // Voters are remembered: a repeated vote is not a second one; a retry of an id is not a new question.
      expect((await last.append<VoteResult>(e, vote(q1.id, voters[2]!, 1))).changed).toBe(false);
      expect((await last.append<AskResult>(e, ask(q2))).created).toBe(false);
      expect(await codeOf(last.append(e, ask({ ...q2, device: device() })))).toBe(ErrorCode.CONFLICT);
    });
  });
}

for (const kind of questionLogKinds) onBackend(kind);
