/**
 * Two Tribune servers on one Redis (two "processes": separate backends, adapters and ports):
 * votes from phones on both are counted exactly, limits hold across them, and a question asked
 * on one reaches the other's moderators and phones.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Question } from '../shared/questions.ts';
import { connectQ, type QClient } from './helpers/questions.ts';
import { requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { createTestEvent, type TestServer } from './helpers/server.ts';

const up = await requireRedis();

describe.skipIf(!up)('questions on two server processes sharing one Redis', () => {
  const { servers, tracked } = useRedisPair<QClient>('questions-multi');
  const open = tracked(connectQ);

  it('a question asked on A reaches moderators on B; votes from both count exactly; limits are shared', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const modB = await open(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const author = await open(a.url, { code: ev.event.code, table: 't1' });
    const watcherB = await open(b.url, { code: ev.event.code });

    const ack = await author.ask('Asked on A');
    const id = ack.ok ? (ack.data as Question).id : '';
    await eventually(() => expect(modB.view.get(id)?.status).toBe('pending'));
    expect(await modB.send('question:moderate', { id, status: 'live' })).toMatchObject({ ok: true });
    await eventually(() => expect(author.view.get(id)?.status).toBe('live'));
    await eventually(() => expect(watcherB.view.get(id)?.status).toBe('live'));

    // 60 phones, half on each process, all vote at once; then each votes again on the other process.
    const phones = await Promise.all(Array.from({ length: 60 }, (_, i) => open(i % 2 ? a.url : b.url, { code: ev.event.code })));
    const acks = await Promise.all(phones.map((p) => p.send('question:vote', { id, value: 1 })));
    expect(acks.every((x) => x.ok)).toBe(true);
    const twins = await Promise.all(phones.map((p, i) => open(i % 2 ? b.url : a.url, { code: ev.event.code, deviceId: p.deviceId })));
    await Promise.all(twins.map((t) => t.send('question:vote', { id, value: 1 })));
    await Promise.all(twins.slice(0, 20).map((t) => t.send('question:vote', { id, value: 0 })));
    await eventually(() => {
      expect(modB.view.get(id)?.votes).toBe(40);
      expect(watcherB.view.get(id)?.votes).toBe(40);
      expect(author.view.get(id)?.votes).toBe(40);
    });
    const fresh = await open(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    expect(fresh.view.get(id)?.votes).toBe(40);

    // One device's questions are limited across both processes.
    const device = { code: ev.event.code };
    const onA = await open(a.url, device);
    const onB = await open(b.url, { ...device, deviceId: onA.deviceId });
    for (let i = 0; i < 5; i++) expect((await (i % 2 ? onA : onB).ask(`q${i}`)).ok).toBe(true);
    expect(await onA.ask('sixth')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await onB.ask('sixth')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('ratings from both processes add up in one summary, on both', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const modA = await open(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const projB = await open(b.url, { eventId: ev.event.id, token: ev.secrets.projector });
    const phones = await Promise.all(Array.from({ length: 20 }, (_, i) => open(i % 2 ? a.url : b.url, { code: ev.event.code })));
    await Promise.all(phones.map((p, i) => p.send('rating:set', { target: 'granada', indicator: 'relevance', score: (i % 5) + 1 })));
    const expected = { granada: { relevance: { count: 20, mean: 3, histogram: [4, 4, 4, 4, 4] } } };
    await eventually(() => {
      expect(modA.ratings.at(-1)).toEqual(expected);
      expect(projB.ratings.at(-1)).toEqual(expected);
    });
  });
});
