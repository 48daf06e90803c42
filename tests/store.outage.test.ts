/**
 * Holding the room through a store outage, on a Redis of the test's own (stopped, killed, frozen:
 * never the shared one): `/healthz` says 503 while the store is away and 200 once it is back; a
 * phone that joined meanwhile (the handshake needs no store once this process has seen the event)
 * gets its snapshots — state, questions, caption history — once the store answers again, without
 * reconnecting. The embedded store has no outage: its healthz stays 200.
 */
import type { ChildProcess } from 'node:child_process';
import { io as ioClient } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import { eventually } from './helpers/eventually.ts';
import { exited, freePort, requireRedisServer, startPrivateRedis, useScratch } from './helpers/redis-server.ts';
import { uniquePrefix } from './helpers/redis.ts';
import { connect, createTestEvent, newDeviceId, sampleSetup, startBackendServer, type ClientSocket, type TestServer } from './helpers/server.ts';

const { children, tmp } = useScratch();

async function health(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: await res.json() };
}

/** A phone that records every event it receives, by name, from the first one. */
async function phone(url: string, auth: Record<string, unknown>) {
  const socket: ClientSocket = ioClient(url, { transports: ['websocket'], auth: { deviceId: newDeviceId(), ...auth }, reconnection: false, forceNew: true });
  const got = new Map<string, unknown[]>();
  socket.onAny((name: string, payload: unknown) => got.set(name, [...(got.get(name) ?? []), payload]));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, got, last: <T>(name: string) => got.get(name)?.at(-1) as T | undefined };
}

describe('the embedded store', () => {
  it('has no outage: healthz answers 200 with its kind', async () => {
    const dataDir = tmp('outage-memory');
    const backend = await openBackend({ kind: 'memory', dataDir });
    const server = await startBackendServer(backend);
    try {
      expect(await health(server.url)).toEqual({ status: 200, body: { ok: true, store: 'memory' } });
    } finally {
      await server.close();
      await backend.close();
    }
  });
});

describe.skipIf(!requireRedisServer('the store outage tests'))('a Redis outage under a running server', () => {
  let redis: ChildProcess;
  let backend: Backend;
  let server: TestServer;
  const sockets: { close(): void }[] = [];

  async function start() {
    const dir = tmp('outage-redis');
    const port = await freePort();
    redis = await startPrivateRedis(dir, port, children);
    backend = await openBackend({ kind: 'redis', url: `redis://127.0.0.1:${port}`, prefix: uniquePrefix('outage') });
    server = await startBackendServer(backend);
    return { dir, port };
  }
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await server?.close();
    await backend?.close();
  });

  it('healthz is 503 while Redis is away and 200 once back; a phone that joined meanwhile then gets its snapshots', { timeout: 60_000 }, async () => {
    const { dir, port } = await start();
    expect(await health(server.url)).toEqual({ status: 200, body: { ok: true, store: 'redis' } });
    const ev = await createTestEvent(server.url, { ...sampleSetup, moderation: 'post' });
    const moderator = await connect(server.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const interpreter = await connect(server.url, { eventId: ev.event.id, token: ev.secrets.interpreters.fr });
    // This phone's handshake is what makes the process know the event's code.
    const before = await phone(server.url, { code: ev.event.code, lang: 'fr' });
    sockets.push(moderator, interpreter, before.socket);
    expect(await moderator.send('agenda:next')).toEqual({ ok: true });
    expect(await interpreter.send('caption:push', { id: 'c1', text: 'Bonsoir à tous', final: true })).toMatchObject({ ok: true });
    expect(await before.socket.emitWithAck('question:ask', { id: 'q-before-outage', text: 'Et le stationnement ?' })).toMatchObject({ ok: true });

    redis.kill('SIGKILL');
    await exited(redis);
    await eventually(async () => expect(await health(server.url)).toEqual({ status: 503, body: { ok: false, store: 'unavailable' } }));
    const during = await phone(server.url, { code: ev.event.code, lang: 'fr' });
    sockets.push(during.socket);

    redis = await startPrivateRedis(dir, port, children);
    await eventually(
      () => {
        expect(during.last<{ stage: { itemId: string } }>('state')?.stage.itemId).toBe('aix');
        expect(during.last<{ id: string }[]>('questions')?.map((q) => q.id)).toEqual(['q-before-outage']);
        expect(during.last<{ items: { text: string }[] }>('captions:history')?.items.map((c) => c.text)).toEqual(['Bonsoir à tous']);
        expect(during.last('ratings:mine')).toEqual({});
        expect(during.got.has('captions:status')).toBe(true);
      },
      { timeout: 15_000 },
    );
    await eventually(async () => expect(await health(server.url)).toEqual({ status: 200, body: { ok: true, store: 'redis' } }), { timeout: 15_000 });
    // Sent once the store answered, each snapshot went out once: no retry kept running.
    expect(during.got.get('questions')).toHaveLength(1);
    expect(during.got.get('captions:history')).toHaveLength(1);
  });

  it('a Redis that goes silent without closing anything (SIGSTOP) turns healthz to 503; awake again, to 200', { timeout: 60_000 }, async () => {
    await server?.close();
    await backend?.close();
    await start();
    expect((await health(server.url)).status).toBe(200);
    redis.kill('SIGSTOP');
    await eventually(async () => expect(await health(server.url)).toEqual({ status: 503, body: { ok: false, store: 'unavailable' } }));
    redis.kill('SIGCONT');
    await eventually(async () => expect(await health(server.url)).toEqual({ status: 200, body: { ok: true, store: 'redis' } }), { timeout: 15_000 });
  });
});
