/**
 * The coalescing of question broadcasts (server/questions/broadcast.ts), against a recording
 * stand-in for the delivery module: at most one copy of a question per window, the newest one; a bounded
 * number of room writes per flush, creations and status changes first; nothing left behind.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { Batch, QuestionBroadcaster } from '../server/questions/broadcast.ts';
import { Throttled } from '../server/socket/throttled.ts';
import { createMemoryEphemeral } from '../server/log/ephemeral.ts';
import type { QuestionRecord } from '../server/questions/rules.ts';
import { createLogger } from '../server/log.ts';
import { roomsOf, type Delivery, type Recipients } from '../server/socket/deliver.ts';
import type { Question } from '../shared/questions.ts';

interface Sent {
  to: string;
  except: string | null;
  q: Question;
  at: number;
}

/** A recording stand-in for the delivery module: each send's rooms (socket/deliver.ts roomsOf). */
function fakeDelivery(roomSize: number) {
  const sent: Sent[] = [];
  const deliver = {
    send: (eventId: string, to: Recipients, _ev: string, q: Question) =>
      void sent.push({ to: roomsOf(eventId, to).join(','), except: roomsOf(eventId, { roles: to.except }).join(',') || null, q, at: performance.now() }),
    here: () => roomSize,
  } as unknown as Delivery;
  return { deliver, sent };
}

let n = 0;
const record = (over: Partial<QuestionRecord> = {}): QuestionRecord => ({
  id: `q${++n}`,
  text: 'text',
  lang: 'fr',
  itemId: null,
  table: null,
  author: null,
  votes: 0,
  status: 'live',
  createdAt: n,
  rev: 1,
  device: 'device-1',
  ...over,
});

function broadcaster(roomSize: number, roomFrames: number, windowMs = 60) {
  const { deliver, sent } = fakeDelivery(roomSize);
  const slots = createMemoryEphemeral();
  const b = new QuestionBroadcaster({
    deliver,
    claim: (e, name, ms) => slots.claim(e, name, ms),
    windowMs,
    roomFrames,
    roomMaxQuestions: 50,
    moderatorBudget: 50,
    logger: createLogger('silent'),
  });
  const room = () => sent.filter((s) => s.to === 'e:ev');
  const moderators = () => sent.filter((s) => s.to === 'e:ev:role:moderator');
  return { b, sent, room, moderators };
}

describe('question broadcasts', () => {
  it('sends the first change at once, then one copy per window: the newest', async () => {
    const { b, room, moderators } = broadcaster(10, 1000);
    const q = record();
    b.changed('ev', q, null);
    await eventually(() => expect(room()).toHaveLength(1));
    expect(room()[0]).toMatchObject({ except: 'e:ev:role:moderator', q: { id: q.id, rev: 1 } });
    expect(room()[0]!.q).not.toHaveProperty('device');
    // 30 votes within the window: one more broadcast, with the last count.
    for (let i = 1; i <= 30; i++) b.changed('ev', { ...q, votes: i, rev: 1 + i }, 'live');
    b.changed('ev', { ...q, votes: 7, rev: 8 }, 'live'); // a late, older copy loses
    await eventually(() => expect(room()).toHaveLength(2));
    expect(room()[1]!.q).toMatchObject({ votes: 30, rev: 31 });
    expect(room()[1]!.at - room()[0]!.at).toBeGreaterThanOrEqual(50);
    await eventually(() => expect(moderators().at(-1)?.q.votes).toBe(30));
    b.stop();
  });

  it('pending questions reach moderators only; a dismissed public one reaches the room', async () => {
    const { b, room, moderators } = broadcaster(10, 1000);
    const pending = record({ status: 'pending' });
    b.changed('ev', pending, null);
    await eventually(() => expect(moderators()).toHaveLength(1));
    b.changed('ev', { ...pending, status: 'dismissed', rev: 2 }, 'pending');
    await eventually(() => expect(moderators()).toHaveLength(2));
    expect(room()).toHaveLength(0);
    const live = record();
    b.changed('ev', live, null);
    b.changed('ev', { ...live, status: 'dismissed', rev: 2 }, 'live');
    await eventually(() => expect(room().map((s) => s.q.status)).toEqual(['dismissed']));
    b.stop();
  });

  it('a big room gets few questions per flush, status changes first, and everything in the end', async () => {
    // 1000 sockets, 2000 writes per flush: two questions per flush.
    const { b, room } = broadcaster(1000, 2000, 40);
    const votes = Array.from({ length: 6 }, (_, i) => record({ votes: i + 1 }));
    const created = record({ status: 'live' });
    for (const q of votes) b.changed('ev', q, 'live'); // vote counts
    b.changed('ev', created, null); // a creation: urgent
    await eventually(() => expect(room().length).toBeGreaterThanOrEqual(2));
    // The first flush took the creation first, then the most voted.
    expect(room()[0]!.q.id).toBe(created.id);
    await eventually(() => expect(room()).toHaveLength(7));
    // Two per flush: the third waited for the next window (a lower bound: slowness cannot break it).
    expect(room()[2]!.at - room()[1]!.at).toBeGreaterThanOrEqual(30);
    expect(room()[4]!.at - room()[3]!.at).toBeGreaterThanOrEqual(30);
    expect(new Set(room().map((s) => s.q.id)).size).toBe(7);
    expect(room().slice(1).map((s) => s.q.votes)).toEqual([6, 5, 4, 3, 2, 1]);
    b.stop();
  });
});

describe('throttled flushes and batched reads', () => {
  it('a throttle shared through the store lets one flush per window, whoever asks', async () => {
    const slots = createMemoryEphemeral();
    const flushes: number[] = [];
    const make = () =>
      new Throttled(() => slots.claim('ev', 'x', 80), () => void flushes.push(performance.now()), 80, () => {});
    const [a, b] = [make(), make()];
    for (let i = 0; i < 10; i++) (i % 2 ? a : b).mark();
    await eventually(() => expect(flushes.length).toBeGreaterThanOrEqual(2));
    expect(flushes[1]! - flushes[0]!).toBeGreaterThanOrEqual(70);
    a.stop();
    b.stop();
  });

  it('a batch serves waiting requests with one read that started after them', async () => {
    let reads = 0;
    let value = 0;
    const batch = new Batch(async () => {
      reads++;
      const v = ++value;
      await new Promise((r) => setTimeout(r, 20));
      return v;
    });
    const first = batch.get();
    const later = Array.from({ length: 50 }, () => batch.get());
    expect(await first).toBe(1);
    expect(new Set(await Promise.all(later))).toEqual(new Set([2]));
    expect(reads).toBe(2);
  });
});
