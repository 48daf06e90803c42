/**
 * A phone on another address of the machine (issue 14, "ICE on a LAN"): the server (HTTP and its
 * UDP media) binds the host's end of a veth pair; the phone's Chromium runs in a network namespace
 * of its own (helpers/netns.ts), so it reaches the server only over the pair, from another
 * address, hiding its own behind mDNS names as a phone does. The server learns the phone's address
 * from its checks (peer-reflexive). An interpreter page on the host publishes a tone; the phone
 * hears it (inbound packets, audio level > 0) over a pair between the two addresses.
 *
 * Needs root and iproute2: skipped on a developer's machine without them, a failure under CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaEngine } from '../server/audio/media.ts';
import { openBackend, type Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { fakeMicrophoneArgs, inboundAudio, listenFromPage, publishFromPage, writeToneWav, connectionState } from './helpers/audio.ts';
import { CHROMIUM, chromiumAvailable, launchChromium } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { createNetns, netnsUnavailable, type Netns } from './helpers/netns.ts';
import { createTestEvent, startBackendServer, type TestServer } from './helpers/server.ts';

const unavailable = netnsUnavailable() ?? (chromiumAvailable ? null : `Chromium not found at ${CHROMIUM}`);
if (unavailable) {
  const message = `a phone on another address (network namespace): ${unavailable}`;
  if (process.env.CI) throw new Error(`${message}; CI must run it`);
  console.warn(`${message}: skipped`);
}

describe.skipIf(unavailable)('interpretation audio: a phone on another address (network namespace)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-netns-'));
  const wav = path.join(dir, 'tone.wav');
  let ns: Netns | null = null;
  let backend: Backend;
  let server: TestServer;
  let laptop: Browser;
  let phoneBrowser: Browser;
  let created: CreatedEvent;

  beforeAll(async () => {
    ns = createNetns();
    writeToneWav(wav, 520, 30);
    // Media bound to the host's end only: every candidate of the answers is that address.
    backend = await openBackend({ kind: 'memory', dataDir: dir, audio: { intervalMs: 100, bindAddress: ns.hostAddress } });
    server = await startBackendServer(backend, {}, ns.hostAddress);
    // The microphone needs a secure context: the interpreter uses HTTPS in a venue (HTTPS_PORT);
    // here its plain http origin is treated as one.
    laptop = await launchChromium([...fakeMicrophoneArgs(wav), `--unsafely-treat-insecure-origin-as-secure=${server.url}`]);
    phoneBrowser = await launchChromium(['--autoplay-policy=no-user-gesture-required'], ns.wrapper(CHROMIUM, dir));
    created = await createTestEvent(server.url);
  });
  afterAll(async () => {
    await phoneBrowser?.close().catch(() => {});
    await laptop?.close().catch(() => {});
    await server?.close();
    await backend?.close();
    ns?.remove();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the phone, in its own namespace, hears the interpreter over the veth pair', async () => {
    const audioUrl = (kind: 'whip' | 'whep') => `${server.url}/api/events/${created.event.id}/audio/fr/${kind}`;
    const interpreter = await (await laptop.newContext()).newPage();
    await interpreter.goto(`${server.url}/healthz`);
    const published = await publishFromPage(interpreter, audioUrl('whip'), created.secrets.interpreters.fr!);
    expect(published.status).toBe(201);
    await eventually(async () => expect(await connectionState(interpreter)).toBe('connected'), { timeout: 20_000 });

    const phone = await (await phoneBrowser.newContext()).newPage();
    await phone.goto(`${server.url}/healthz`);
    const listened = await listenFromPage(phone, audioUrl('whep'));
    expect(listened.status).toBe(201);
    // The phone hides its address (mDNS names the server cannot resolve), as a phone does.
    const hosts = listened.offer.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:') && / typ host/.test(l));
    expect(hosts.length, listened.offer).toBeGreaterThan(0);
    for (const c of hosts) expect(c.split(' ')[4]).toMatch(/\.local$/);

    await eventually(async () => {
      const heard = await inboundAudio(phone);
      expect(heard.state).toBe('connected');
      expect(heard.packets).toBeGreaterThan(0);
      expect(heard.level).toBeGreaterThan(0);
    }, { timeout: 30_000 });
    // The audio came over the pair: the server sees the phone at the namespace's address, learned
    // from its checks (peer-reflexive), and itself at the host's end.
    const session = listened.location!.split('/').pop()!;
    const audio = backend.domains.find((d) => d.name === 'audio') as unknown as { engine(): MediaEngine };
    expect(audio.engine().path(session)).toEqual({ local: ns!.hostAddress, remote: ns!.nsAddress, remoteType: 'prflx' });
  }, 120_000);
});
