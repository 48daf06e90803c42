/**
 * `DELETE <Location>` on a process that does not hold the session (a load balancer in front of two
 * processes, a client that kept a Location): two real `server/main.ts` processes on one Redis. The
 * request goes to the holder through Redis (relay.ts); the holder checks and ends, the receiving
 * process answers with what the holder said — or 503 when the holder does not answer (stopped).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedEvent } from '../server/events/service.ts';
import { nativeOffer } from './helpers/audio.ts';
import { eventually } from './helpers/eventually.ts';
import { startMain, type MainProcess } from './helpers/process.ts';
import { REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './helpers/redis.ts';
import { connect, createTestEvent } from './helpers/server.ts';

const redisUp = await requireRedis();

describe.skipIf(!redisUp)('interpretation audio: DELETE reaches the process holding the session', () => {
  const prefix = uniquePrefix('audio-delete');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-delete-'));
  const children: ChildProcess[] = [];
  const offers: { close(): void }[] = [];
  afterAll(async () => {
    for (const c of children) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
    for (const o of offers) o.close();
    await deleteKeys(prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sdpPost = async (url: string, role: 'publish' | 'listen', key?: string) => {
    const offer = await nativeOffer(role);
    offers.push(offer);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: offer.sdp,
    });
    expect(res.status).toBe(201);
    await res.text();
    return res.headers.get('location')!;
  };
  const del = (server: MainProcess, location: string, key?: string) =>
    fetch(`${server.url}${location}`, { method: 'DELETE', headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('ends on A a listener and a publisher whose DELETE reached B; 404 for sessions nobody holds; 503 when A does not answer', async () => {
    const env = { REDIS_URL, REDIS_PREFIX: prefix };
    const a = await startMain({ ...env, DATA_DIR: path.join(dir, 'a') }, children);
    const b = await startMain({ ...env, DATA_DIR: path.join(dir, 'b') }, children);
    const created: CreatedEvent = await createTestEvent(a.url);
    const url = (kind: 'whip' | 'whep') => `${a.url}/api/events/${created.event.id}/audio/fr/${kind}`;
    const fr = created.secrets.interpreters.fr!;

    // A listener held by A, ended through B: B answers 200; A no longer has it.
    const listener = await sdpPost(url('whep'), 'listen');
    expect((await del(b, listener)).status).toBe(200);
    expect((await del(a, listener)).status).toBe(404);

    // A publisher held by A: B refuses a DELETE without its key (401) or with another channel's
    // (403), and A keeps it on air; with its key, B's DELETE takes the channel off air.
    const watcher = await connect(a.url, { code: created.event.code });
    try {
      const publisher = await sdpPost(url('whip'), 'publish', fr);
      await eventually(() => expect(watcher.latest().audio.fr!.onAir).toBe(true));
      expect((await del(b, publisher)).status).toBe(401);
      expect((await del(b, publisher, created.secrets.interpreters.es)).status).toBe(403);
      const ended = await del(b, publisher, fr);
      expect(ended.status).toBe(200);
      await eventually(() => expect(watcher.latest().audio.fr!.onAir).toBe(false));
      const again = await del(b, publisher, fr);
      expect(again.status).toBe(404);
      expect((await again.json()).error.code).toBe('NOT_FOUND');
    } finally {
      watcher.close();
    }

    // Ids of no live process (none subscribed to hear it), and of no process at all: 404.
    expect((await del(b, `/api/events/${created.event.id}/audio/fr/whep/000000000000${'x'.repeat(22)}`)).status).toBe(404);
    expect((await del(b, `/api/events/${created.event.id}/audio/fr/whep/nosuchsession`)).status).toBe(404);

    // A stopped (SIGSTOP): B's request goes unanswered, B says 503 with Retry-After.
    const held = await sdpPost(url('whep'), 'listen');
    a.child.kill('SIGSTOP');
    let unanswered: Response;
    try {
      unanswered = await del(b, held);
    } finally {
      a.child.kill('SIGCONT');
    }
    expect(unanswered.status).toBe(503);
    expect(Number(unanswered.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await unanswered.json()).error.code).toBe('UNAVAILABLE');
    // Once A runs again, the session is gone: ended by the request it read late, or by the retry.
    await eventually(async () => expect([200, 404]).toContain((await del(b, held)).status));
    expect((await del(a, held)).status).toBe(404);
  }, 90_000);
});
