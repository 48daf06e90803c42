/**
 * Two Tribune servers on one Redis (two "processes": separate stores, adapters and ports):
 * a command on one reaches phones on the other, and rev is one sequence.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { createRedisStore } from '../server/store/redis.ts';
import { REDIS_URL, requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { ADMIN_TOKEN, connect, createTestEvent, refusal, type Client, type TestServer } from './helpers/server.ts';
import { storeOnly } from './helpers/suite.ts';

const up = await requireRedis();

describe.skipIf(!up)('two server processes on one Redis', () => {
  const { servers, clients } = useRedisPair<Client>('multi', async (prefix) =>
    storeOnly(await createRedisStore({ url: REDIS_URL, prefix })),
  );

  it('a command on A reaches a phone on B; both processes share one rev sequence', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const moderatorA = await connect(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const moderatorB = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const phoneB = await connect(b.url, { code: ev.event.code, table: 't1' });
    const phoneA = await connect(a.url, { code: ev.event.code, table: 't2' });
    clients.push(moderatorA, moderatorB, phoneA, phoneB);

    expect(await moderatorA.send('agenda:next')).toEqual({ ok: true });
    await eventually(() => expect(phoneB.latest().stage.itemId).toBe('aix'));

    // Interleaved commands from both processes: every one lands, each with its own rev.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? moderatorA : moderatorB).send('slide:next')),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    await eventually(() => {
      expect(phoneA.latest().stage.slide?.page).toBe(11);
      expect(phoneB.latest().stage.slide?.page).toBe(11);
    });
    const revs = phoneB.states.map((s) => s.rev);
    expect(new Set(revs).size).toBe(revs.length); // no rev was issued twice

    // Presence from both processes adds up.
    await eventually(() => expect(moderatorA.latest().audience).toEqual({ connected: 2, byTable: { t1: 1, t2: 1 } }));
  });

  it("new links given on A close the old keys' screens on B, and B refuses the old keys at once", async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const moderatorB = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    clients.push(moderatorB);
    const res = await fetch(`${a.url}/api/events/${ev.event.id}/secrets`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    const fresh = (await res.json()) as typeof ev;
    await eventually(() => expect(moderatorB.socket.connected).toBe(false));
    expect(await refusal(b.url, { eventId: ev.event.id, token: ev.secrets.moderator, deviceId: 'device-0001' })).toBe('AUTH_FAILED');
    const again = await connect(b.url, { eventId: ev.event.id, token: fresh.secrets.moderator });
    clients.push(again);
    expect(await again.send('agenda:next')).toEqual({ ok: true });
  });
});
