/**
 * Polls on two server processes sharing one Redis (separate backends, adapters and ports): ballots
 * from phones on both are counted exactly, one per device across both, and every change reaches
 * the other process's moderators, projector and phones with the right visibility.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { connectP, type PClient } from './helpers/polls.ts';
import { requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { createTestEvent, type TestServer } from './helpers/server.ts';

const up = await requireRedis();

describe.skipIf(!up)('polls on two server processes sharing one Redis', () => {
  const { servers, tracked } = useRedisPair<PClient>('polls-multi');
  const open = tracked(connectP);

  it('ballots from both processes count exactly, one per device; results stay hidden from phones until revealed', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const modA = await open(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const projB = await open(b.url, { eventId: ev.event.id, token: ev.secrets.projector });
    const watcherB = await open(b.url, { code: ev.event.code });

    const id = await modA.create('Un parking relais ?', ['Oui', 'Non', 'Sans avis']);
    await eventually(() => expect(projB.view.get(id)?.status).toBe('draft'));
    expect(watcherB.view.has(id)).toBe(false);
    expect(await modA.send('poll:open', { id })).toMatchObject({ ok: true });
    await eventually(() => expect(watcherB.view.get(id)).toMatchObject({ status: 'open', results: null }));

    // 60 phones, half on each process, vote at once; then each votes again from the other process.
    const phones = await Promise.all(Array.from({ length: 60 }, (_, i) => open(i % 2 ? a.url : b.url, { code: ev.event.code })));
    const acks = await Promise.all(phones.map((p, i) => p.send('poll:vote', { id, choices: [i % 3] })));
    expect(acks.every((x) => x.ok)).toBe(true);
    const twins = await Promise.all(phones.map((p, i) => open(i % 2 ? b.url : a.url, { code: ev.event.code, deviceId: p.deviceId })));
    // The first 30 devices all move to option 0; the others repeat their ballot.
    await Promise.all(twins.map((tw, i) => tw.send('poll:vote', { id, choices: [i < 30 ? 0 : i % 3] })));
    // Devices 0..29: all 0 (30); devices 30..59: i%3 → 10 each → 0:10, 1:10, 2:10.
    const expected = [40, 10, 10];
    await eventually(() => {
      expect(modA.view.get(id)).toMatchObject({ total: 60, results: expected });
      expect(projB.view.get(id)).toMatchObject({ total: 60, results: expected });
      expect(watcherB.view.get(id)).toMatchObject({ total: 60, results: null });
    });
    const fresh = await open(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    expect(fresh.view.get(id)).toMatchObject({ total: 60, results: expected });

    expect(await modA.send('poll:reveal', { id })).toMatchObject({ ok: true });
    expect(await modA.send('poll:close', { id })).toMatchObject({ ok: true });
    await eventually(() => expect(watcherB.view.get(id)).toMatchObject({ revealed: true, status: 'closed', results: expected }));
    expect(await twins[0]!.send('poll:vote', { id, choices: [1] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const again = await open(b.url, { code: ev.event.code, deviceId: phones[31]!.deviceId });
    expect(again.view.get(id)).toMatchObject({ mine: [1], results: expected });
    expect(watcherB.received.every((p) => p.mine === undefined)).toBe(true);

    // The projector on B shows a poll created on A.
    expect(await modA.send('projector:show', { mode: 'poll', pollId: id })).toEqual({ ok: true });
    await eventually(() => expect(projB.latest().projector).toMatchObject({ mode: 'poll', pollId: id }));
  });
});
