/**
 * The questions store contract, run on both log backends: the embedded journal (a temp DATA_DIR)
 * and a Redis Stream per event (a unique key prefix, deleted afterwards). Same calls, same answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import type { Limit, QuestionRecord, QuestionStore } from '../server/questions/store.ts';
import { newTestId } from './fixtures/make-state.ts';
import { questionStoreKinds, type QuestionStoreKind } from './helpers/question-stores.ts';

type Kind = QuestionStoreKind;
const kinds = questionStoreKinds;

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

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TribuneError);
    return (err as TribuneError).code;
  }
  throw new Error('expected a refusal');
}

function contract(kind: Kind) {
  describe.skipIf(!kind.available)(`questions store contract: ${kind.name}`, () => {
    const locations: string[] = [];
    const closers: (() => Promise<void>)[] = [];
    let store: QuestionStore;
    let location: string;
    const open = async (where: string) => {
      const o = await kind.open(where);
      closers.push(o.close);
      return o.store;
    };
    const newEvent = () => newTestId();

    beforeAll(async () => {
      location = kind.newLocation();
      locations.push(location);
      store = await open(location);
    });
    afterAll(async () => {
      for (const c of closers) await c();
      for (const l of locations) await kind.cleanup(l);
    });

    it(`is the ${kind.name} store`, () => {
      expect(store.kind).toBe(kind.name);
    });

    it('stores a question; a retry of its id by the same device returns the stored one; another device gets CONFLICT', async () => {
      const e = newEvent();
      const q = record({ author: 'Ana', itemId: null, table: null });
      const first = await store.ask({ eventId: e, record: q, limit: LOOSE });
      expect(first).toEqual({ question: q, created: true });
      expect(await store.get(e, q.id)).toEqual(q);

      const retry = await store.ask({ eventId: e, record: { ...q, text: 'different', createdAt: q.createdAt + 5 }, limit: LOOSE });
      expect(retry).toEqual({ question: q, created: false });
      expect(await codeOf(store.ask({ eventId: e, record: { ...q, device: device() }, limit: LOOSE }))).toBe(ErrorCode.CONFLICT);
      expect(await store.list(e)).toEqual([q]);
      expect(await store.get(e, 'nope')).toBeNull();
      expect(await store.get(newEvent(), q.id)).toBeNull();
    });

    it('lists questions oldest first', async () => {
      const e = newEvent();
      const t = Date.now();
      const qs = [record({ createdAt: t + 2 }), record({ createdAt: t }), record({ createdAt: t + 1 })];
      for (const q of qs) await store.ask({ eventId: e, record: q, limit: LOOSE });
      expect((await store.list(e)).map((q) => q.createdAt)).toEqual([t, t + 1, t + 2]);
      expect(await store.list(newEvent())).toEqual([]);
    });

    it('limits questions per device; a retry does not count; the limit ends with its window', async () => {
      const e = newEvent();
      const d = device();
      const limit = { max: 3, windowMs: 400 };
      const asked: QuestionRecord[] = [];
      for (let i = 0; i < 3; i++) {
        const q = record({ device: d });
        asked.push(q);
        expect((await store.ask({ eventId: e, record: q, limit })).created).toBe(true);
      }
      // Retries of stored ids are answered, not counted.
      for (const q of asked) expect((await store.ask({ eventId: e, record: q, limit })).created).toBe(false);
      const fourth = record({ device: d });
      expect(await codeOf(store.ask({ eventId: e, record: fourth, limit }))).toBe(ErrorCode.RATE_LIMITED);
      expect(await store.get(e, fourth.id)).toBeNull();
      // Another device has its own count.
      expect((await store.ask({ eventId: e, record: record(), limit })).created).toBe(true);
      await eventually(async () => expect((await store.ask({ eventId: e, record: fourth, limit })).created).toBe(true), {
        timeout: 3000,
        interval: 100,
      });
    });

    it('votes: one per device, idempotent, withdrawn with 0; NOT_FOUND and CONFLICT otherwise', async () => {
      const e = newEvent();
      const live = record();
      const pending = record({ status: 'pending' });
      await store.ask({ eventId: e, record: live, limit: LOOSE });
      await store.ask({ eventId: e, record: pending, limit: LOOSE });
      const d = device();
      const vote = (id: string, value: 0 | 1, who = d) =>
        store.vote({ eventId: e, id, device: who, value, table: 't2', limit: LOOSE });

      expect(await codeOf(vote('missing', 1))).toBe(ErrorCode.NOT_FOUND);
      expect(await codeOf(vote(pending.id, 1))).toBe(ErrorCode.CONFLICT);

      const up = await vote(live.id, 1);
      expect(up).toMatchObject({ changed: true, voted: true, question: { id: live.id, votes: 1, rev: 2 } });
      const again = await vote(live.id, 1);
      expect(again).toMatchObject({ changed: false, voted: true, question: { votes: 1, rev: 2 } });
      expect(await store.deviceVotes(e, d)).toEqual([live.id]);
      expect((await vote(live.id, 1, device())).question.votes).toBe(2);

      const down = await vote(live.id, 0);
      expect(down).toMatchObject({ changed: true, voted: false, question: { votes: 1, rev: 4 } });
      expect((await vote(live.id, 0)).changed).toBe(false);
      expect(await store.deviceVotes(e, d)).toEqual([]);
      expect((await store.get(e, live.id))?.votes).toBe(1);

      // Not live any more: no vote either way.
      await store.moderate(e, live.id, 'answered');
      expect(await codeOf(vote(live.id, 1))).toBe(ErrorCode.CONFLICT);
    });

    it('300 devices voting at once are counted exactly, and so are 150 withdrawals', async () => {
      const e = newEvent();
      const q = record();
      await store.ask({ eventId: e, record: q, limit: LOOSE });
      const devices = Array.from({ length: 300 }, device);
      const results = await Promise.all(
        devices.map((d) => store.vote({ eventId: e, id: q.id, device: d, value: 1, table: null, limit: LOOSE })),
      );
      expect(results.every((r) => r.changed)).toBe(true);
      expect(new Set(results.map((r) => r.question.votes)).size).toBe(300); // each saw its own count
      expect(await store.get(e, q.id)).toMatchObject({ votes: 300, rev: 301 });
      // Repeats and withdrawals interleaved: half withdraw, everyone repeats their up-vote once first.
      await Promise.all(devices.map((d) => store.vote({ eventId: e, id: q.id, device: d, value: 1, table: null, limit: LOOSE })));
      await Promise.all(
        devices.slice(0, 150).map((d) => store.vote({ eventId: e, id: q.id, device: d, value: 0, table: null, limit: LOOSE })),
      );
      expect(await store.get(e, q.id)).toMatchObject({ votes: 150, rev: 451 });
      expect((await store.participation(e)).noTable.votes).toBe(150);
    });

    if (kind.sharedByProcesses) {
      it('two store instances on one location (two processes) count votes and limits as one', async () => {
        const a = await open(location);
        const b = await open(location);
        const e = newEvent();
        const q = record();
        await a.ask({ eventId: e, record: q, limit: LOOSE });
        const devices = Array.from({ length: 200 }, device);
        await Promise.all(
          devices.map((d, i) => (i % 2 ? a : b).vote({ eventId: e, id: q.id, device: d, value: 1, table: 't1', limit: LOOSE })),
        );
        // The same devices again from the other process: no double votes.
        await Promise.all(
          devices.map((d, i) => (i % 2 ? b : a).vote({ eventId: e, id: q.id, device: d, value: 1, table: 't1', limit: LOOSE })),
        );
        expect((await a.get(e, q.id))?.votes).toBe(200);
        expect((await b.get(e, q.id))?.votes).toBe(200);
        const d = device();
        const limit = { max: 2, windowMs: 60_000 };
        await a.ask({ eventId: e, record: record({ device: d }), limit });
        await b.ask({ eventId: e, record: record({ device: d }), limit });
        expect(await codeOf(a.ask({ eventId: e, record: record({ device: d }), limit }))).toBe(ErrorCode.RATE_LIMITED);
        expect(await codeOf(b.ask({ eventId: e, record: record({ device: d }), limit }))).toBe(ErrorCode.RATE_LIMITED);
        // One broadcast slot for both.
        expect(await a.claim(e, 'questions', 5_000)).toBe(0);
        expect(await b.claim(e, 'questions', 5_000)).toBeGreaterThan(0);
      });
    }

    it('limits votes per device', async () => {
      const e = newEvent();
      const q = record();
      await store.ask({ eventId: e, record: q, limit: LOOSE });
      const d = device();
      const limit = { max: 4, windowMs: 60_000 };
      for (let i = 0; i < 4; i++) await store.vote({ eventId: e, id: q.id, device: d, value: i % 2 ? 0 : 1, table: null, limit });
      expect(await codeOf(store.vote({ eventId: e, id: q.id, device: d, value: 1, table: null, limit }))).toBe(ErrorCode.RATE_LIMITED);
      expect((await store.get(e, q.id))?.votes).toBe(0);
    });

    it('moderates: status and rev change once; the same status changes nothing; unknown is NOT_FOUND', async () => {
      const e = newEvent();
      const q = record({ status: 'pending' });
      await store.ask({ eventId: e, record: q, limit: LOOSE });
      const approved = await store.moderate(e, q.id, 'live');
      expect(approved).toEqual({ previous: 'pending', question: { ...q, status: 'live', rev: 2 } });
      expect((await store.moderate(e, q.id, 'live')).question.rev).toBe(2);
      const dismissed = await store.moderate(e, q.id, 'dismissed');
      expect(dismissed).toMatchObject({ previous: 'live', question: { status: 'dismissed', rev: 3 } });
      expect(await store.get(e, q.id)).toMatchObject({ status: 'dismissed', rev: 3 });
      expect(await codeOf(store.moderate(e, 'missing', 'live'))).toBe(ErrorCode.NOT_FOUND);
    });

    it('ratings: a later score replaces the earlier one; aggregates (count, mean, histogram) are exact', async () => {
      const e = newEvent();
      const rate = (d: string, target: string, indicator: string, score: number, table: string | null = 't1') =>
        store.rate({ eventId: e, device: d, table, target, indicator, score, limit: LOOSE });
      const [a, b, c] = [device(), device(), device()];
      expect(await rate(a, 'aix', 'relevance', 5)).toEqual({ previous: null });
      expect(await rate(b, 'aix', 'relevance', 2, 't2')).toEqual({ previous: null });
      expect(await rate(c, 'aix', 'relevance', 4, null)).toEqual({ previous: null });
      expect(await rate(a, 'aix', 'relevance', 3)).toEqual({ previous: 5 }); // replaced
      expect(await rate(a, 'event', 'atmosphere', 4)).toEqual({ previous: null });
      expect(await rate(a, 'event', 'atmosphere', 4)).toEqual({ previous: 4 }); // same again
      expect(await rate(b, 'event', 'smoothRunning', 1, 't2')).toEqual({ previous: null });

      expect(await store.ratingSummary(e)).toEqual({
        aix: { relevance: { count: 3, mean: (3 + 2 + 4) / 3, histogram: [0, 1, 1, 1, 0] } },
        event: {
          atmosphere: { count: 1, mean: 4, histogram: [0, 0, 0, 1, 0] },
          smoothRunning: { count: 1, mean: 1, histogram: [1, 0, 0, 0, 0] },
        },
      });
      expect(await store.deviceRatings(e, a)).toEqual({ aix: { relevance: 3 }, event: { atmosphere: 4 } });
      expect(await store.deviceRatings(e, device())).toEqual({});
      // Participation: (target, indicator) pairs rated, by the rater's table.
      const p = await store.participation(e);
      expect(p.byTable).toEqual({
        t1: { questions: 0, votes: 0, ratings: 2 },
        t2: { questions: 0, votes: 0, ratings: 2 },
      });
      expect(p.noTable).toEqual({ questions: 0, votes: 0, ratings: 1 });
      expect(await store.ratingSummary(newEvent())).toEqual({});
    });

    it('200 concurrent ratings by 100 devices (each replacing its own) aggregate exactly', async () => {
      const e = newEvent();
      const devices = Array.from({ length: 100 }, device);
      await Promise.all(devices.map((d, i) => store.rate({ eventId: e, device: d, table: null, target: 'aix', indicator: 'relevance', score: (i % 5) + 1, limit: LOOSE })));
      await Promise.all(devices.map((d) => store.rate({ eventId: e, device: d, table: null, target: 'aix', indicator: 'relevance', score: 5, limit: LOOSE })));
      expect(await store.ratingSummary(e)).toEqual({ aix: { relevance: { count: 100, mean: 5, histogram: [0, 0, 0, 0, 100] } } });
    });

    it('limits ratings per device', async () => {
      const e = newEvent();
      const d = device();
      const limit = { max: 2, windowMs: 60_000 };
      await store.rate({ eventId: e, device: d, table: null, target: 'aix', indicator: 'relevance', score: 1, limit });
      await store.rate({ eventId: e, device: d, table: null, target: 'aix', indicator: 'relevance', score: 2, limit });
      expect(
        await codeOf(store.rate({ eventId: e, device: d, table: null, target: 'aix', indicator: 'relevance', score: 3, limit })),
      ).toBe(ErrorCode.RATE_LIMITED);
      expect(await store.deviceRatings(e, d)).toEqual({ aix: { relevance: 2 } });
    });

    it('participation counts questions, standing votes and ratings by table', async () => {
      const e = newEvent();
      const q1 = record({ table: 't1' });
      const q2 = record({ table: null });
      await store.ask({ eventId: e, record: q1, limit: LOOSE });
      await store.ask({ eventId: e, record: q2, limit: LOOSE });
      const d = device();
      await store.vote({ eventId: e, id: q1.id, device: d, value: 1, table: 't2', limit: LOOSE });
      await store.vote({ eventId: e, id: q2.id, device: d, value: 1, table: 't2', limit: LOOSE });
      await store.vote({ eventId: e, id: q2.id, device: d, value: 0, table: 't2', limit: LOOSE });
      await store.vote({ eventId: e, id: q2.id, device: device(), value: 1, table: 't1', limit: LOOSE });
      expect(await store.participation(e)).toEqual({
        byTable: { t1: { questions: 1, votes: 1, ratings: 0 }, t2: { questions: 0, votes: 1, ratings: 0 } },
        noTable: { questions: 1, votes: 0, ratings: 0 },
      });
    });

    it('a broadcast slot is held for its window', async () => {
      const e = newEvent();
      expect(await store.claim(e, 'ratings', 300)).toBe(0);
      const wait = await store.claim(e, 'ratings', 300);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(300);
      expect(await store.claim(e, 'questions', 300)).toBe(0); // another name, another slot
      await eventually(async () => expect(await store.claim(e, 'ratings', 300)).toBe(0), { timeout: 3000, interval: 50 });
    });

    it('a restart (a new instance on the same location) finds every question, vote and rating', async () => {
      const where = kind.newLocation();
      locations.push(where);
      const first = await kind.open(where);
      const e = newEvent();
      const s = first.store;
      const q1 = record({ status: 'pending', author: 'Léa', table: 't2' });
      const q2 = record({ createdAt: q1.createdAt + 1 });
      await s.ask({ eventId: e, record: q1, limit: LOOSE });
      await s.ask({ eventId: e, record: q2, limit: LOOSE });
      await s.moderate(e, q1.id, 'live');
      const voters = Array.from({ length: 5 }, device);
      for (const d of voters) await s.vote({ eventId: e, id: q1.id, device: d, value: 1, table: 't1', limit: LOOSE });
      await s.vote({ eventId: e, id: q1.id, device: voters[0]!, value: 0, table: 't1', limit: LOOSE });
      await s.vote({ eventId: e, id: q2.id, device: voters[1]!, value: 1, table: 't1', limit: LOOSE });
      await s.rate({ eventId: e, device: voters[0]!, table: 't1', target: 'aix', indicator: 'relevance', score: 2, limit: LOOSE });
      await s.rate({ eventId: e, device: voters[0]!, table: 't1', target: 'aix', indicator: 'relevance', score: 4, limit: LOOSE });
      await s.rate({ eventId: e, device: voters[1]!, table: null, target: 'event', indicator: 'atmosphere', score: 5, limit: LOOSE });
      const before = {
        list: await s.list(e),
        summary: await s.ratingSummary(e),
        participation: await s.participation(e),
        votes: await s.deviceVotes(e, voters[1]!),
        mine: await s.deviceRatings(e, voters[0]!),
      };
      expect(before.list.map((q) => q.votes)).toEqual([4, 1]);
      await first.close();

      // Twice: the second open reads the journal the first reopen compacted.
      for (let round = 0; round < 2; round++) {
        const again = await kind.open(where);
        const r = again.store;
        expect(await r.list(e)).toEqual(before.list);
        expect(await r.ratingSummary(e)).toEqual(before.summary);
        expect(await r.participation(e)).toEqual(before.participation);
        expect((await r.deviceVotes(e, voters[1]!)).sort()).toEqual(before.votes.sort());
        expect(await r.deviceRatings(e, voters[0]!)).toEqual(before.mine);
        await again.close();
      }
      const last = await open(where);
      // Voters are remembered: a repeated vote is not a second one; a retry of an id is not a new question.
      expect((await last.vote({ eventId: e, id: q1.id, device: voters[2]!, value: 1, table: null, limit: LOOSE })).changed).toBe(false);
      expect((await last.ask({ eventId: e, record: q2, limit: LOOSE })).created).toBe(false);
      expect(await codeOf(last.ask({ eventId: e, record: { ...q2, device: device() }, limit: LOOSE }))).toBe(ErrorCode.CONFLICT);
    });
  });
}

for (const kind of kinds) contract(kind);
