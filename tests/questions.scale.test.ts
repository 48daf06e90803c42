/**
 * Questions at scale, end to end (PROTOCOL v2): a real server with every domain, real sockets, both
 * stores, and an event holding more questions than any snapshot carries (seeded through the
 * server's own questions log, as hundreds of sockets asking would only slow the suite down).
 * The `questions` snapshot is bounded per role and keeps a device's own questions; `questions:more`
 * pages through each list in the snapshot's order, exactly once, with `mine`/`voted`; votes and
 * moderation move questions in the order; bad input is INVALID_PAYLOAD.
 */
import { describe, expect, it } from 'vitest';
import type { Question, QuestionPage, QuestionStatus } from '../shared/questions.ts';
import * as read from '../server/questions/read.ts';
import type { QuestionRecord, QuestionsLog } from '../server/questions/rules.ts';
import { eventually } from './helpers/eventually.ts';
import { connectQ, type QClient } from './helpers/questions.ts';
import { newDeviceId } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const LOOSE = { max: 1e9, windowMs: 60_000 };
const BASE = Date.now() - 3_600_000;

/** The ranking, written out here rather than imported: most votes, then oldest, then id. */
const rank = (a: Question | QuestionRecord, b: Question | QuestionRecord) =>
  a.votes !== b.votes ? b.votes - a.votes : a.createdAt !== b.createdAt ? a.createdAt - b.createdAt : a.id < b.id ? -1 : 1;
const isPublic = (q: { status: QuestionStatus }) => q.status === 'live' || q.status === 'answered';

interface Seed {
  live?: number;
  answered?: number;
  pending?: number;
  dismissed?: number;
  /** Questions of this device: one live (unvoted, so ranked last), one pending, one dismissed. */
  own?: string;
  /** A device that up-votes every third live question. */
  voter?: string;
}

/** Stores an evening's questions through the server's own log; votes make ties and an order. */
async function seed(log: QuestionsLog, eventId: string, s: Seed) {
  const vote = (id: string, device: string) => log.append(eventId, { kind: 'questions.vote', payload: { id, value: 1, limit: LOOSE }, device, table: null });
  const plan: { status: QuestionStatus; device: string }[] = [];
  const add = (n: number, status: QuestionStatus, device = newDeviceId()) => {
    for (let i = 0; i < n; i++) plan.push({ status, device });
  };
  add(s.live ?? 0, 'live');
  add(s.answered ?? 0, 'answered');
  add(s.pending ?? 0, 'pending');
  add(s.dismissed ?? 0, 'dismissed');
  if (s.own) (['live', 'pending', 'dismissed'] as const).forEach((status) => add(1, status, s.own));
  const ids: string[] = [];
  // In batches: fast, and every createdAt distinct but a few shared (ties go by id).
  for (let from = 0; from < plan.length; from += 50) {
    await Promise.all(
      plan.slice(from, from + 50).map(async ({ status, device }, j) => {
        const i = from + j;
        const id = `s${String(i).padStart(4, '0')}x${device.slice(0, 4)}`;
        ids[i] = id;
        const record: QuestionRecord = {
          id, text: `Seeded question ${i}`, lang: 'fr', itemId: null, table: null, author: null, votes: 0,
          status: status === 'pending' ? 'pending' : 'live', createdAt: BASE + Math.floor(i / 2), rev: 1, device,
        };
        await log.append(eventId, { kind: 'questions.ask', payload: { record, limit: LOOSE } });
        // Votes 0..3 on the public ones but the device's own (which stays last of the ranking).
        const votes = status === 'pending' || device === s.own ? 0 : i % 4;
        for (let v = 0; v < votes; v++) await vote(id, `seed-voter-${v}`);
        if (s.voter && status === 'live' && device !== s.own && i % 3 === 0) await vote(id, s.voter);
        if (status === 'answered' || status === 'dismissed') await log.append(eventId, { kind: 'questions.moderate', payload: { id, status } });
      }),
    );
  }
  return ids;
}

async function more(c: QClient, payload: Record<string, unknown>): Promise<QuestionPage> {
  const ack = await c.send('questions:more', payload);
  if (!ack.ok) throw new Error(`questions:more refused: ${JSON.stringify(ack)}`);
  return ack.data as QuestionPage;
}

/** Pages through a list from offset 0; each page's `total` must agree. */
async function pageAll(c: QClient, status: QuestionStatus | undefined, limit: number) {
  const items: Question[] = [];
  let total = -1;
  for (let offset = 0; ; offset += limit) {
    const page = await more(c, { ...(status ? { status } : {}), offset, limit });
    if (total >= 0) expect(page.total).toBe(total);
    total = page.total;
    items.push(...page.items);
    if (page.items.length < limit) break;
  }
  return { items, total };
}

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`questions at scale on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connectQ);
    const log = () => t.backend.stores!.questions;
    const eventId = () => t.ev.event.id;
    const moderator = () => t.open({ eventId: eventId(), token: t.ev.secrets.moderator });
    const projector = () => t.open({ eventId: eventId(), token: t.ev.secrets.projector });
    const attendee = (extra: Record<string, unknown> = {}) => t.open({ code: t.ev.event.code, ...extra });
    /** The log's truth, in the ranking. */
    const truth = async (keep: (q: QuestionRecord) => boolean) => read.list(await log().state(eventId())).filter(keep).sort(rank);
    const votedAmong = async (device: string, ids: string[]) => read.votedAmong(await log().state(eventId()), device, ids);

    it("phones and the projector join with the first 50 live/answered questions, plus the device's own", async () => {
      const own = newDeviceId();
      const voter = newDeviceId();
      await seed(log(), eventId(), { live: 110, answered: 20, pending: 30, dismissed: 5, own, voter });
      const top = (await truth(isPublic)).slice(0, 50);
      const ownIds = (await truth((q) => q.device === own && q.status !== 'dismissed')).map((q) => q.id);
      expect(ownIds).toHaveLength(2);

      const phone = await attendee({ deviceId: own });
      const snapshot = phone.snapshots[0]!;
      expect(snapshot.slice(0, 50).map((q) => q.id)).toEqual(top.map((q) => q.id));
      // Its own live question (last of the ranking) and its pending one come too; not its dismissed one.
      expect(snapshot.slice(50).map((q) => q.id).sort()).toEqual([...ownIds].sort());
      expect(snapshot.filter((q) => q.mine).map((q) => q.id).sort()).toEqual([...ownIds].sort());
      expect(snapshot.every((q) => isPublic(q) || q.mine)).toBe(true);

      // `voted` is the device's own: the voter sees its votes among the 50.
      const voterPhone = await attendee({ deviceId: voter });
      const votedIds = voterPhone.snapshots[0]!.filter((q) => q.voted).map((q) => q.id);
      expect(votedIds.length).toBeGreaterThan(0);
      expect(new Set(votedIds)).toEqual(new Set((await votedAmong(voter, top.map((q) => q.id)))));
      expect(voterPhone.snapshots[0]!).toHaveLength(50);

      const proj = await projector();
      expect(proj.snapshots[0]!.map((q) => q.id)).toEqual(top.map((q) => q.id));
    });

    it('moderators join with every pending question (at most 500) and at most 100 others', async () => {
      await seed(log(), eventId(), { live: 100, answered: 30, pending: 520, dismissed: 4 });
      const mod = await moderator();
      const snapshot = mod.snapshots[0]!;
      const pending = snapshot.filter((q) => q.status === 'pending');
      const others = snapshot.filter((q) => q.status !== 'pending');
      expect(pending.map((q) => q.id)).toEqual((await truth((q) => q.status === 'pending')).slice(0, 500).map((q) => q.id));
      expect(others.map((q) => q.id)).toEqual((await truth(isPublic)).slice(0, 100).map((q) => q.id));
      expect(snapshot).toHaveLength(600);

      // The rest is a page away: every pending question once, the oldest first.
      const all = await pageAll(mod, 'pending', 100);
      expect(all.total).toBe(520);
      expect(all.items.map((q) => q.id)).toEqual((await truth((q) => q.status === 'pending')).map((q) => q.id));
      // Extension: moderators page through the dismissed ones too (to restore one).
      const dismissed = await pageAll(mod, 'dismissed', 3);
      expect(dismissed.items.map((q) => q.id)).toEqual((await truth((q) => q.status === 'dismissed')).map((q) => q.id));
    });

    it('questions:more pages through live and answered in the snapshot order, each question exactly once', async () => {
      const own = newDeviceId();
      const voter = newDeviceId();
      await seed(log(), eventId(), { live: 140, answered: 35, pending: 10, dismissed: 6, own, voter });
      const phone = await attendee({ deviceId: voter });

      const both = await pageAll(phone, undefined, 37);
      const want = await truth(isPublic);
      expect(both.total).toBe(want.length);
      expect(both.items.map((q) => q.id)).toEqual(want.map((q) => q.id));
      expect(new Set(both.items.map((q) => q.id)).size).toBe(want.length);
      // Offset 0 is the snapshot's first.
      expect(both.items.slice(0, 50).map((q) => q.id)).toEqual(phone.snapshots[0]!.slice(0, 50).map((q) => q.id));

      for (const status of ['live', 'answered'] as const) {
        const one = await pageAll(phone, status, 100);
        expect(one.items.map((q) => q.id)).toEqual(want.filter((q) => q.status === status).map((q) => q.id));
      }
      // Items carry `mine` and `voted` for the asking device, like the snapshot.
      const voted = await votedAmong(voter, want.map((q) => q.id));
      expect(voted.size).toBeGreaterThan(0);
      expect(both.items.every((q) => q.mine === false && q.voted === voted.has(q.id))).toBe(true);
      const author = await attendee({ deviceId: own });
      const authorsView = (await pageAll(author, undefined, 100)).items;
      expect(authorsView.filter((q) => q.mine).map((q) => q.status)).toEqual(['live']);
      expect(authorsView.every((q) => q.voted === false)).toBe(true);
    });

    it('pending: a moderator pages them all; anyone else only their own; dismissed is for moderators', async () => {
      const own = newDeviceId();
      await seed(log(), eventId(), { live: 5, pending: 12, dismissed: 2, own });
      const author = await attendee({ deviceId: own });
      const mine = await more(author, { status: 'pending', offset: 0, limit: 100 });
      expect(mine.total).toBe(1);
      expect(mine.items).toEqual([expect.objectContaining({ status: 'pending', mine: true, voted: false })]);
      expect(mine.items[0]!.id).toBe((await truth((q) => q.device === own && q.status === 'pending'))[0]!.id);
      expect(await more(author, { status: 'pending', offset: 1, limit: 100 })).toEqual({ items: [], total: 1 });
      for (const c of [await attendee(), await projector()]) {
        expect(await more(c, { status: 'pending', offset: 0, limit: 10 })).toEqual({ items: [], total: 0 });
        expect(await c.send('questions:more', { status: 'dismissed', offset: 0, limit: 10 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      }
      const mod = await moderator();
      expect((await more(mod, { status: 'pending', offset: 0, limit: 100 })).total).toBe(13);
      expect((await more(mod, { status: 'dismissed', offset: 0, limit: 100 })).total).toBe(3);
    });

    it('bad input is INVALID_PAYLOAD; a page past the end is empty', async () => {
      await seed(log(), eventId(), { live: 3 });
      const phone = await attendee();
      for (const bad of [
        { offset: -1, limit: 10 },
        { offset: 1.5, limit: 10 },
        { offset: '0', limit: 10 },
        { limit: 10 },
        { offset: 0 },
        { offset: 0, limit: 0 },
        { offset: 0, limit: 101 },
        { offset: 0, limit: 10, status: 'everything' },
        { offset: 0, limit: 10, status: 'Live' },
      ]) {
        expect(await phone.send('questions:more', bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      }
      expect(await more(phone, { offset: 0, limit: 100 })).toMatchObject({ total: 3 });
      expect(await more(phone, { offset: 3, limit: 1 })).toEqual({ items: [], total: 3 });
      expect(await more(phone, { offset: 1e12, limit: 1 })).toEqual({ items: [], total: 3 });
    });

    it('a question whose votes change moves in the order; moderation moves it between lists', async () => {
      const ids = await seed(log(), eventId(), { live: 80 });
      const mod = await moderator();
      const watcher = await attendee();
      const order = async (c: QClient) => (await pageAll(c, undefined, 100)).items.map((q) => q.id);
      const before = await order(watcher);
      const last = before.at(-1)!;
      expect(watcher.snapshots[0]!.some((q) => q.id === last)).toBe(false); // not among the first 50

      // Five phones up-vote the last one: it is first now (3 votes at most elsewhere).
      const voters = await Promise.all(Array.from({ length: 5 }, () => attendee()));
      for (const v of voters) expect(await v.send('question:vote', { id: last, value: 1 })).toMatchObject({ ok: true });
      const after = await order(watcher);
      expect(after[0]).toBe(last);
      expect(after.slice(1)).toEqual(before.filter((id) => id !== last));
      // The watching phone learnt of it live too (merged into what it holds).
      await eventually(() => expect(watcher.view.get(last)?.votes).toBe(5));

      // Answered: still in the phones' list, out of `live`; dismissed: out of both.
      await mod.send('question:moderate', { id: last, status: 'answered' });
      expect((await more(watcher, { status: 'live', offset: 0, limit: 100 })).items.map((q) => q.id)).not.toContain(last);
      expect((await more(watcher, { status: 'answered', offset: 0, limit: 1 })).items[0]?.id).toBe(last);
      await mod.send('question:moderate', { id: last, status: 'dismissed' });
      expect(await order(watcher)).toEqual(before.filter((id) => id !== last));
      expect(ids).toContain(last);
    });

    it('the projector gets the question it is to show, even one outside the 50 it holds', async () => {
      await seed(log(), eventId(), { live: 70 });
      const mod = await moderator();
      const proj = await projector();
      const low = (await truth(isPublic)).at(-1)!;
      expect(proj.view.has(low.id)).toBe(false);
      expect(await mod.send('projector:show', { mode: 'question', questionId: low.id })).toEqual({ ok: true });
      await eventually(() => {
        expect(proj.latest().projector).toMatchObject({ mode: 'question', questionId: low.id });
        expect(proj.view.get(low.id)).toMatchObject({ text: low.text, status: 'live' });
      });
      // A projector that joins now (a reload) has it in its snapshot.
      expect((await projector()).snapshots[0]!.some((q) => q.id === low.id)).toBe(true);
    });

    it('pages have their own budget: a flood of them is refused for rate, votes still pass', async () => {
      const [id] = await seed(log(), eventId(), { live: 2 });
      const phone = await attendee();
      const acks = await Promise.all(Array.from({ length: 60 }, () => phone.send('questions:more', { offset: 0, limit: 1 })));
      const refused = acks.filter((a) => !a.ok);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(await phone.send('question:vote', { id, value: 1 })).toMatchObject({ ok: true });
    });
  });
}
