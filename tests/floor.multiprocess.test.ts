/**
 * The debate floor across processes: two servers on one Redis (a request on one, the floor given
 * on the other, a device gone from both), and the real server process killed with -9 (embedded
 * store and Redis): every acknowledged request is still queued afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '../shared/errors.ts';
import { openBackend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { eventually } from './helpers/eventually.ts';
import { kill9, useMainProcesses } from './helpers/process.ts';
import { REDIS_URL, requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { connect, createTestEvent, newDeviceId, type Client, type TestServer } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';

const up = await requireRedis();
const LEAVE_MS = 800;

const idOf = (ack: Ack) => {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return (ack.data as { id: string }).id;
};
const queueOf = (c: Client) => c.latest().floor?.queue.map((r) => r.id) ?? [];

describe.skipIf(!up)('the debate floor on two server processes (one Redis)', () => {
  const { servers, tracked } = useRedisPair<Client>('floor-multi', (prefix) =>
    openBackend({ kind: 'redis', url: REDIS_URL, prefix, floor: { leaveMs: LEAVE_MS } }),
  );
  const open = tracked(connect);

  it('requests on both processes make one queue; a give on A reaches phones on B; one rev sequence', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const modA = await open(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const projB = await open(b.url, { eventId: ev.event.id, token: ev.secrets.projector });
    expect(await modA.send('floor:open', { open: true })).toEqual({ ok: true });
    const phones = await Promise.all(
      Array.from({ length: 6 }, (_, i) => open(i % 2 ? b.url : a.url, { code: ev.event.code, table: i % 2 ? 't2' : 't1' })),
    );
    // Sent at once from both processes: each lands once, in its kind's place.
    const kinds = ['speak', 'speak', 'reply', 'order', 'speak', 'reply'] as const;
    const ids = (await Promise.all(phones.map((p, i) => p.send('floor:request', { kind: kinds[i] })))).map(idOf);
    await eventually(() => expect(new Set(queueOf(projB))).toEqual(new Set(ids)));
    const queue = projB.latest().floor!.queue;
    expect(queue.map((r) => r.kind)).toEqual(['order', 'reply', 'reply', 'speak', 'speak', 'speak']);
    for (const kind of ['reply', 'speak'] as const) {
      const ats = queue.filter((r) => r.kind === kind).map((r) => r.at);
      expect(ats).toEqual([...ats].sort((x, y) => x - y));
    }
    // Asking again on the other process answers the same request.
    const again = await open(a.url, { code: ev.event.code, deviceId: (phones[1]!.socket.auth as { deviceId: string }).deviceId });
    expect(idOf(await again.send('floor:request', { kind: 'order' }))).toBe(ids[1]);

    const first = queue[0]!.id;
    expect(await modA.send('floor:give', { id: first })).toEqual({ ok: true });
    await eventually(() => {
      expect(projB.latest().floor?.current?.id).toBe(first);
      expect(phones[1]!.latest().floor?.current?.id).toBe(first);
    });
    const revs = projB.states.map((s) => s.rev);
    expect(new Set(revs).size).toBe(revs.length);
  });

  it('a device with a socket on either process keeps its request; gone from both, it leaves', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const modA = await open(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    await modA.send('floor:open', { open: true });
    const deviceId = newDeviceId();
    const onA = await open(a.url, { code: ev.event.code, deviceId, table: 't1' });
    const onB = await open(b.url, { code: ev.event.code, deviceId, table: 't1' });
    const other = await open(b.url, { code: ev.event.code, table: 't2' });
    const kept = idOf(await onB.send('floor:request', { kind: 'speak' }));
    const leaving = idOf(await other.send('floor:request', { kind: 'speak' }));
    expect(queueOf(await open(b.url, { eventId: ev.event.id, token: ev.secrets.moderator }))).toEqual([kept, leaving]);
    // The device leaves B, where it asked, but stays on A; the other device is gone altogether.
    onB.close();
    other.close();
    await eventually(() => expect(queueOf(modA)).toEqual([kept]), { timeout: 15_000 });
    expect(queueOf(modA)).toEqual([kept]);
    onA.close();
    await eventually(() => expect(queueOf(modA)).toEqual([]), { timeout: 15_000 });
  });
});

describe('kill -9 of a server process keeps every acknowledged request', () => {
  const main = useMainProcesses();

  async function askMany(url: string, ev: CreatedEvent, n: number) {
    const mod = await connect(url, { eventId: ev.event.id, token: ev.secrets.moderator });
    expect(await mod.send('floor:open', { open: true })).toEqual({ ok: true });
    const phones = await Promise.all(Array.from({ length: n }, (_, i) => connect(url, { code: ev.event.code, table: i % 2 ? 't1' : 't2' })));
    const acks = await Promise.all(phones.map((p, i) => p.send('floor:request', { kind: i % 5 === 0 ? 'order' : 'speak', name: `P${i}` })));
    const ids = acks.map(idOf);
    expect(await mod.send('floor:give', { id: ids[0]! })).toEqual({ ok: true });
    return { ids, close: () => [mod, ...phones].forEach((c) => c.close()) };
  }

  async function checkAfter(url: string, ev: CreatedEvent, ids: string[]) {
    const mod = await connect(url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const floor = mod.latest().floor!;
    expect(floor.open).toBe(true);
    expect(floor.current?.id).toBe(ids[0]);
    expect(new Set(floor.queue.map((r) => r.id))).toEqual(new Set(ids.slice(1)));
    mod.close();
  }

  for (const kind of storeKinds) {
    it.skipIf(!kind.available)(kind.name === 'memory' ? 'on the embedded store' : 'on Redis', async () => {
      const env = main.envOn(kind, { FLOOR_LEAVE_MS: '600000' });
      const first = await main.start(env);
      const ev = await createTestEvent(first.url);
      const { ids, close } = await askMany(first.url, ev, 30);
      await kill9(first.child);
      close();
      const second = await main.start(env);
      await checkAfter(second.url, ev, ids);
      await kill9(second.child);
    });
  }
});
