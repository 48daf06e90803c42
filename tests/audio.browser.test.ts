/**
 * Interpretation audio in real Chromium: a page publishes its (fake) microphone over WHIP — a tone
 * the test writes — and three pages listen over WHEP and receive it (inbound packets and an audio
 * level). A second publisher takes over: the listeners keep receiving on their connections, the
 * first publisher's session is gone. Off air: `state.audio` says so. Runs on the embedded store;
 * audio.test.ts checks the HTTP contract and `state.audio` on both stores.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { fakeMicrophoneArgs, inboundAudio, listenFromPage, publishFromPage, writeToneWav, connectionState } from './helpers/audio.ts';
import { chromiumAvailable, launchChromium } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { connect, createTestEvent, startBackendServer, type Client, type TestServer } from './helpers/server.ts';

describe.skipIf(!chromiumAvailable)('interpretation audio in Chromium (embedded store)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-'));
  const wav = path.join(dir, 'tone.wav');
  let backend: Backend;
  let server: TestServer;
  let browser: Browser;
  /** The phones' browser: no microphone flags, so its pages hide their addresses as a phone's do. */
  let phonesBrowser: Browser;
  let created: CreatedEvent;
  let watcher: Client;

  beforeAll(async () => {
    writeToneWav(wav, 440, 30);
    backend = await openBackend({ kind: 'memory', dataDir: dir, audio: { intervalMs: 100 } });
    server = await startBackendServer(backend);
    browser = await launchChromium(fakeMicrophoneArgs(wav));
    phonesBrowser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    created = await createTestEvent(server.url);
    watcher = await connect(server.url, { code: created.event.code });
  });
  afterAll(async () => {
    watcher?.close();
    await browser?.close();
    await phonesBrowser?.close();
    await server?.close();
    await backend?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A page of its own (a phone, a laptop) on the server's origin. */
  async function newPage(on: Browser = browser): Promise<Page> {
    const page = await (await on.newContext()).newPage();
    await page.goto(`${server.url}/healthz`);
    return page;
  }
  const audioUrl = (channel: string, kind: 'whip' | 'whep') => `${server.url}/api/events/${created.event.id}/audio/${channel}/${kind}`;

  it('three listeners hear the interpreter; a partner takes over without a gap they notice; off air', async () => {
    const interpreter = await newPage();
    const first = await publishFromPage(interpreter, audioUrl('fr', 'whip'), created.secrets.interpreters.fr!);
    expect(first).toMatchObject({ status: 201, contentType: 'application/sdp' });
    expect(first.location).toMatch(/^\/api\/events\/[^/]+\/audio\/fr\/whip\/[^/]+$/);
    await eventually(async () => expect(await connectionState(interpreter)).toBe('connected'));

    const phones = [await newPage(phonesBrowser), await newPage(phonesBrowser), await newPage(phonesBrowser)];
    for (const phone of phones) {
      const listened = await listenFromPage(phone, audioUrl('fr', 'whep'));
      expect(listened).toMatchObject({ status: 201, contentType: 'application/sdp' });
      // As on a phone, the page hides its addresses behind mDNS names the server cannot resolve:
      // the server learns the phone's address from its checks (peer-reflexive).
      const candidates = listened.offer.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:') && / typ host/.test(l));
      expect(candidates.length).toBeGreaterThan(0);
      for (const c of candidates) expect(c.split(' ')[4]).toMatch(/\.local$/);
    }
    // Every phone receives the tone: packets, and a level above silence.
    for (const phone of phones) {
      await eventually(async () => {
        const a = await inboundAudio(phone);
        expect(a.packets).toBeGreaterThan(0);
        expect(a.level).toBeGreaterThan(0);
      }, { timeout: 20_000 });
    }
    await eventually(() => expect(watcher.latest().audio.fr).toEqual({ onAir: true, listeners: 3 }));

    // The booth partner takes over (the moderator's key works on any channel).
    const partner = await newPage();
    const second = await publishFromPage(partner, audioUrl('fr', 'whip'), created.secrets.moderator);
    expect(second.status).toBe(201);
    // Once the partner's packets flow, the first publisher's session has ended: its DELETE is 404.
    await eventually(async () => {
      const res = await fetch(`${server.url}${first.location}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.interpreters.fr}` } });
      expect(res.status).toBe(404);
    }, { timeout: 20_000 });
    // From now on only the partner's packets reach the phones: they keep arriving (a sequence number
    // jumping back or an unsignalled SSRC would stop them), with sound.
    const after = await Promise.all(phones.map((p) => inboundAudio(p)));
    for (const [i, phone] of phones.entries()) {
      await eventually(async () => {
        const a = await inboundAudio(phone);
        expect(a.packets).toBeGreaterThan(after[i]!.packets + 50);
        expect(a.level).toBeGreaterThan(0);
        expect(a.state).toBe('connected');
      }, { timeout: 20_000 });
    }
    expect(watcher.latest().audio.fr!.onAir).toBe(true);

    // Off air: the partner's DELETE; the channel says so, the phones stay connected for what comes next.
    const off = await fetch(`${server.url}${second.location}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.interpreters.fr}` } });
    expect(off.status).toBe(200);
    await eventually(() => expect(watcher.latest().audio.fr).toEqual({ onAir: false, listeners: 3 }));

    // Back on air on the same phone connections.
    const third = await publishFromPage(interpreter, audioUrl('fr', 'whip'), created.secrets.interpreters.fr!);
    expect(third.status).toBe(201);
    const before = await Promise.all(phones.map((p) => inboundAudio(p)));
    for (const [i, phone] of phones.entries()) {
      await eventually(async () => expect((await inboundAudio(phone)).packets).toBeGreaterThan(before[i]!.packets + 50), { timeout: 20_000 });
    }

    // A phone that closes is no longer counted (its connection closes; no DELETE needed).
    await phones[2]!.context().close();
    // Noticed by its connection closing, or by its silence (no RTCP for 20 s while packets go to it).
    await eventually(() => expect(watcher.latest().audio.fr).toEqual({ onAir: true, listeners: 2 }), { timeout: 45_000 });
  }, 180_000);
});
