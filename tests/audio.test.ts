/**
 * Interpretation audio's HTTP contract (PROTOCOL "Interpretation audio (WHIP / WHEP)") on a real
 * server, with offers made by node-datachannel: the status codes in the contract's order, the
 * answer's headers, DELETE, capacity, and `state.audio` over both stores. What a browser hears is
 * audio.browser.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { io as ioClient } from 'socket.io-client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../server/backend.ts';
import { startMain } from './helpers/process.ts';
import type { MediaEngine } from '../server/audio/media.ts';
import { connect, createTestEvent, newDeviceId, startBackendServer, type TestServer } from './helpers/server.ts';
import { nativeOffer } from './helpers/audio.ts';
import { eventually } from './helpers/eventually.ts';
import { storeKinds } from './helpers/stores.ts';
import type { Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';

const sdpPost = (url: string, sdp: string, key?: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: sdp });

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`interpretation audio on the ${kind.name} store`, () => {
    const location = kind.newLocation();
    let backend: Backend;
    let server: TestServer;
    let created: CreatedEvent;
    const offers: { close(): void }[] = [];
    const offer = async (role: 'publish' | 'listen') => {
      const o = await nativeOffer(role);
      offers.push(o);
      return o.sdp;
    };
    const audioUrl = (channel: string, kind: 'whip' | 'whep', eventId = created.event.id) =>
      `${server.url}/api/events/${eventId}/audio/${channel}/${kind}`;

    beforeAll(async () => {
      backend = await kind.openBackend(location, { audio: { maxListeners: 3, intervalMs: 100 } });
      server = await startBackendServer(backend);
      created = await createTestEvent(server.url);
    });
    afterAll(async () => {
      for (const o of offers) o.close();
      await server?.close();
      await backend?.close();
      await kind.cleanup(location);
    });

    it('answers a publisher 201 with an SDP answer, an absolute Location, and puts the channel on air', async () => {
      const watcher = await connect(server.url, { code: created.event.code });
      expect(watcher.latest().audio).toEqual({
        fr: { onAir: false, listeners: 0 },
        es: { onAir: false, listeners: 0 },
        he: { onAir: false, listeners: 0 },
        floor: { onAir: false, listeners: 0 },
      });
      const res = await sdpPost(audioUrl('fr', 'whip'), await offer('publish'), created.secrets.interpreters.fr);
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('application/sdp');
      const loc = res.headers.get('location')!;
      expect(loc).toMatch(new RegExp(`^/api/events/${created.event.id}/audio/fr/whip/[A-Za-z0-9_-]{16,}$`));
      const answer = await res.text();
      expect(answer).toMatch(/^v=0\r\n/);
      expect(answer).toMatch(/a=candidate:\S+ 1 UDP \d+ \S+ \d+ typ host/i);
      expect(answer).toContain('a=recvonly');
      await eventually(() => expect(watcher.latest().audio.fr).toEqual({ onAir: true, listeners: 0 }));

      // No trickle ICE: PATCH on the session (as on any session URL) is 405, DELETE the only method.
      const patch = await fetch(`${server.url}${loc}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/trickle-ice-sdpfrag', 'if-match': '*', authorization: `Bearer ${created.secrets.interpreters.fr}` },
        body: 'a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n',
      });
      expect(patch.status).toBe(405);
      expect(patch.headers.get('allow')).toBe('DELETE');
      expect((await patch.json()).error.code).toBe('INVALID_PAYLOAD');
      expect((await fetch(`${server.url}${loc}`, { method: 'GET' })).status).toBe(405);
      await eventually(() => expect(watcher.latest().audio.fr).toEqual({ onAir: true, listeners: 0 }));

      // Its DELETE needs a key allowed on the channel; then the channel is off air and the session gone.
      expect((await fetch(`${server.url}${loc}`, { method: 'DELETE' })).status).toBe(401);
      expect((await fetch(`${server.url}${loc}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.interpreters.es}` } })).status).toBe(403);
      expect((await fetch(`${server.url}${loc}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.moderator}` } })).status).toBe(200);
      await eventually(() => expect(watcher.latest().audio.fr).toEqual({ onAir: false, listeners: 0 }));
      const again = await fetch(`${server.url}${loc}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.moderator}` } });
      expect(again.status).toBe(404);
      expect((await again.json()).error.code).toBe('NOT_FOUND');
      watcher.close();
    });

    it('counts listeners in state.audio, coalesced, until they leave', async () => {
      const watcher = await connect(server.url, { code: created.event.code });
      const before = watcher.latest().rev;
      const locations: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await sdpPost(audioUrl('he', 'whep'), await offer('listen'));
        expect(res.status).toBe(201);
        expect(res.headers.get('content-type')).toBe('application/sdp');
        const answer = await res.text();
        // The channel's SSRC is signalled: Chromium drops audio of an SSRC it was not told of.
        expect(answer).toMatch(/a=ssrc:\d+ cname:/);
        expect(answer).toContain('a=sendonly');
        locations.push(res.headers.get('location')!);
      }
      await eventually(() => expect(watcher.latest().audio.he).toEqual({ onAir: false, listeners: 3 }));
      // Three listeners opened within one interval: fewer state changes than listeners.
      expect(watcher.latest().rev - before).toBeLessThan(3);

      // Past the process's capacity (3 here): 503 with Retry-After and the usual error JSON.
      const full = await sdpPost(audioUrl('fr', 'whep'), await offer('listen'));
      expect(full.status).toBe(503);
      expect(Number(full.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await full.json()).error.code).toBe('UNAVAILABLE');

      // A listener's DELETE needs no key; a second one answers 404.
      for (const loc of locations) expect((await fetch(`${server.url}${loc}`, { method: 'DELETE' })).status).toBe(200);
      expect((await fetch(`${server.url}${locations[0]}`, { method: 'DELETE' })).status).toBe(404);
      await eventually(() => expect(watcher.latest().audio.he).toEqual({ onAir: false, listeners: 0 }));
      // Capacity is free again.
      const res = await sdpPost(audioUrl('fr', 'whep'), await offer('listen'));
      expect(res.status).toBe(201);
      expect((await fetch(`${server.url}${res.headers.get('location')}`, { method: 'DELETE' })).status).toBe(200);
      watcher.close();
    });

    it('refuses in the contract order: 404, 401, 403, 400', async () => {
      const pub = await offer('publish');
      const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
      const fr = created.secrets.interpreters.fr!;
      // Unknown event or channel: 404 whatever the key and body.
      expect(await code(await sdpPost(audioUrl('fr', 'whip', 'nope'), 'garbage', fr))).toEqual([404, 'NOT_FOUND']);
      expect(await code(await sdpPost(audioUrl('de', 'whip'), 'garbage'))).toEqual([404, 'NOT_FOUND']);
      expect(await code(await sdpPost(audioUrl('de', 'whep'), pub))).toEqual([404, 'NOT_FOUND']);
      // No key, a key of nothing, another event's key: 401 (before the body is looked at).
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), 'garbage'))).toEqual([401, 'AUTH_FAILED']);
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), pub, 'not-a-key'))).toEqual([401, 'AUTH_FAILED']);
      const other = await createTestEvent(server.url);
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), pub, other.secrets.interpreters.fr))).toEqual([401, 'AUTH_FAILED']);
      // The event's keys not allowed on this channel: 403.
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), 'garbage', created.secrets.interpreters.es))).toEqual([403, 'FORBIDDEN']);
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), pub, created.secrets.projector))).toEqual([403, 'FORBIDDEN']);
      expect(await code(await sdpPost(audioUrl('floor', 'whip'), pub, fr))).toEqual([403, 'FORBIDDEN']);
      // Not an SDP offer: 400.
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), 'garbage', fr))).toEqual([400, 'INVALID_PAYLOAD']);
      expect(await code(await sdpPost(audioUrl('fr', 'whep'), 'v=0\r\n'))).toEqual([400, 'INVALID_PAYLOAD']);
      const json = await fetch(audioUrl('fr', 'whep'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(await code(json)).toEqual([400, 'INVALID_PAYLOAD']);
      // A publisher's offer on WHEP (it would send, not receive), a listener's on WHIP: 400.
      expect(await code(await sdpPost(audioUrl('fr', 'whep'), pub))).toEqual([400, 'INVALID_PAYLOAD']);
      expect(await code(await sdpPost(audioUrl('fr', 'whip'), await offer('listen'), fr))).toEqual([400, 'INVALID_PAYLOAD']);
      // A DELETE of a session that does not exist: 404.
      expect((await fetch(`${audioUrl('fr', 'whep')}/nosuchsession`, { method: 'DELETE' })).status).toBe(404);
    });

    it('lets the moderator publish floor, and a second publisher keeps the channel on air', async () => {
      const watcher = await connect(server.url, { code: created.event.code });
      const a = await sdpPost(audioUrl('floor', 'whip'), await offer('publish'), created.secrets.moderator);
      expect(a.status).toBe(201);
      const b = await sdpPost(audioUrl('floor', 'whip'), await offer('publish'), created.secrets.moderator);
      expect(b.status).toBe(201);
      await eventually(() => expect(watcher.latest().audio.floor).toEqual({ onAir: true, listeners: 0 }));
      const del = (loc: string) => fetch(`${server.url}${loc}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.moderator}` } });
      expect((await del(a.headers.get('location')!)).status).toBe(200);
      // One publisher session is still open: a listener's arrival, counted after the DELETE, shows it on air.
      const listener = await sdpPost(audioUrl('floor', 'whep'), await offer('listen'));
      expect(listener.status).toBe(201);
      await eventually(() => expect(watcher.latest().audio.floor).toEqual({ onAir: true, listeners: 1 }));
      expect((await fetch(`${server.url}${listener.headers.get('location')}`, { method: 'DELETE' })).status).toBe(200);
      expect((await del(b.headers.get('location')!)).status).toBe(200);
      await eventually(() => expect(watcher.latest().audio.floor).toEqual({ onAir: false, listeners: 0 }));
      watcher.close();
    });
  });
}

describe('interpretation audio: faults and the environment', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it('takes a publisher whose process dies (no DTLS close, no DELETE) off air within seconds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-fault-'));
    const backend = await openBackend({ kind: 'memory', dataDir: dir, audio: { intervalMs: 100 } });
    const server = await startBackendServer(backend);
    try {
      const created = await createTestEvent(server.url);
      const watcher = await connect(server.url, { code: created.event.code });
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/native-publisher.ts', `${server.url}/api/events/${created.event.id}/audio/es/whip`, created.secrets.interpreters.es!], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      await eventually(() => expect(out).toContain('sending'), { timeout: 45_000 });
      await eventually(() => expect(watcher.latest().audio.es!.onAir).toBe(true));
      child.kill('SIGKILL');
      // The watchdog hears 5 s of silence; the state follows within the coalescing interval.
      await eventually(() => expect(watcher.latest().audio.es!.onAir).toBe(false), { timeout: 15_000 });
      watcher.close();
    } finally {
      await server.close();
      await backend.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('serves the consoles over HTTPS on HTTPS_PORT with a self-signed certificate for its addresses (npm start)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-https-'));
    try {
      const main = await startMain({ DATA_DIR: dir, HTTPS_PORT: '0' }, children);
      const consoles = /Consoles over HTTPS[^:]*: (https:\/\/127\.0\.0\.1:\d+)/.exec(main.output())?.[1];
      expect(consoles, main.output()).toBeTruthy();
      // The interpreter links printed for the demo point there.
      expect(main.output()).toMatch(new RegExp(`Interpreter \\(\\w+\\):\\s+${consoles!.replace(/\./g, '\\.')}/i/`));
      const { status, san } = await new Promise<{ status: number; san: string }>((resolve, reject) => {
        https
          .get(`${consoles}/healthz`, { rejectUnauthorized: false }, (res) => {
            const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
            res.resume();
            resolve({ status: res.statusCode!, san: cert.subjectaltname ?? '' });
          })
          .on('error', reject);
      });
      expect(status).toBe(200);
      expect(san).toContain('IP Address:127.0.0.1');
      // Socket.IO answers there too (the consoles' live state).
      const code = /join code ([A-Z0-9]+)/.exec(main.output())![1]!;
      const socket = ioClient(consoles!, { transports: ['websocket'], rejectUnauthorized: false, auth: { code, deviceId: newDeviceId() }, reconnection: false, forceNew: true });
      try {
        const state = await new Promise<{ rev: number }>((resolve, reject) => {
          socket.once('state', resolve);
          socket.once('connect_error', reject);
        });
        expect(state.rev).toBeGreaterThan(0);
      } finally {
        socket.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('answers with candidates on HOST and within MEDIA_PORTS (npm start)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-main-'));
    try {
      const main = await startMain({ DATA_DIR: dir, MEDIA_PORTS: '47100-47120', AUDIO_MAX_LISTENERS: '1' }, children);
      const code = /join code ([A-Z0-9]+)/.exec(main.output())![1]!;
      const event = (await (await fetch(`${main.url}/api/join/${code}`)).json()) as { id: string; languages: string[] };
      const offer = await nativeOffer('listen');
      const res = await sdpPost(`${main.url}/api/events/${event.id}/audio/${event.languages[0]}/whep`, offer.sdp);
      expect(res.status).toBe(201);
      const candidates = (await res.text()).split('\r\n').filter((l) => l.startsWith('a=candidate:'));
      expect(candidates.length).toBeGreaterThan(0);
      for (const c of candidates) {
        const [, , , , address, port] = c.split(' ');
        expect(address).toBe('127.0.0.1');
        expect(Number(port)).toBeGreaterThanOrEqual(47100);
        expect(Number(port)).toBeLessThanOrEqual(47120);
      }
      // AUDIO_MAX_LISTENERS=1: the second listener is refused.
      const second = await nativeOffer('listen');
      const full = await sdpPost(`${main.url}/api/events/${event.id}/audio/floor/whep`, second.sdp);
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('5');
      offer.close();
      second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
