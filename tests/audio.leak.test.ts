/**
 * No leak after 1 000 listener connect/disconnect cycles (issue 14, "Bad input and faults"): real
 * listeners (node-datachannel clients, DTLS done) on a real server, ending each of the three ways a
 * phone's session ends — DELETE, vanishing (its client closed; the server notices when ICE
 * consent fails, ~30 s), never connecting after the answer (dropped after connectTimeoutMs). Afterwards the engine holds no session, and the
 * process's file descriptors (UDP sockets: every session takes a port) and timers are back where
 * they were after a warm-up. Counts, never durations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaEngine } from '../server/audio/media.ts';
import { openBackend, type Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { nativeListener, nativeOffer } from './helpers/audio.ts';
import { eventually } from './helpers/eventually.ts';
import { createTestEvent, startBackendServer, type TestServer } from './helpers/server.ts';

const CYCLES = 1_000;
/** Cycles run at once (a room filling up at the break). */
const AT_ONCE = 50;

/** Open file descriptors of this process (sockets among them), or null off Linux. */
const openFds = () => (fs.existsSync('/proc/self/fd') ? fs.readdirSync('/proc/self/fd').length : null);
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('interpretation audio: 1 000 listener cycles', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-leak-'));
  let backend: Backend;
  let server: TestServer;
  let engine: MediaEngine;
  let created: CreatedEvent;
  let url: string;

  beforeAll(async () => {
    backend = await openBackend({ kind: 'memory', dataDir: dir, audio: { intervalMs: 100, maxListeners: CYCLES + AT_ONCE, connectTimeoutMs: 5_000 } });
    server = await startBackendServer(backend);
    engine = (backend.domains.find((d) => d.name === 'audio') as unknown as { engine(): MediaEngine }).engine();
    created = await createTestEvent(server.url);
    url = `${server.url}/api/events/${created.event.id}/audio/fr/whep`;
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  type Ending = 'vanish' | 'never' | 'delete';
  /**
   * The run's first third vanish (the slowest to notice, so they are noticed while the rest run),
   * the second never connects, the last ends with DELETE.
   */
  const endingOf = (n: number, count: number): Ending => (['vanish', 'never', 'delete'] as const)[Math.min(2, Math.floor((3 * n) / count))]!;

  /** One cycle; resolves whether the listener connected (`never`: false). */
  async function cycle(ending: Ending): Promise<{ ending: Ending; connected: boolean; location: string }> {
    if (ending === 'never') {
      // Offered, answered, never connected: the watchdog drops it.
      const offer = await nativeOffer('listen');
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer.sdp });
      expect(res.status).toBe(201);
      await res.text();
      offer.close();
      return { ending, connected: false, location: res.headers.get('location')! };
    }
    const listener = await nativeListener(url);
    expect(listener.status).toBe(201);
    const connected = await listener.opened;
    if (ending === 'delete') {
      // A listener that did not connect may have been dropped already (its connection failed).
      const status = (await fetch(`${server.url}${listener.location}`, { method: 'DELETE' })).status;
      expect(connected ? [200] : [200, 404]).toContain(status);
    }
    listener.close();
    return { ending, connected, location: listener.location! };
  }

  async function run(count: number, ending?: Ending) {
    const results: Awaited<ReturnType<typeof cycle>>[] = [];
    for (let start = 0; start < count; start += AT_ONCE) {
      const batch = Array.from({ length: Math.min(AT_ONCE, count - start) }, (_, i) => cycle(ending ?? endingOf(start + i, count)));
      results.push(...(await Promise.all(batch)));
    }
    // A listener whose client closed is heard only when its ICE consent fails (~30 s: libdatachannel
    // sends no DTLS close the server hears, and an off-air channel sends it no packets to miss).
    await eventually(() => expect(engine.listenerCount()).toBe(0), { timeout: 90_000, interval: 250 });
    return results;
  }

  it(`leaves no session, socket or timer behind after ${CYCLES} cycles`, async () => {
    // Warm-up: the native library's threads and the HTTP keep-alive sockets exist from here on.
    await run(AT_ONCE, 'delete');
    const baseline = { fds: openFds(), timers: timers() };

    const results = await run(CYCLES);
    const connecting = results.filter((r) => r.ending !== 'never');
    // The cycles that should connect did (a few may fail on a loaded machine; they still end).
    const connected = connecting.filter((r) => r.connected).length;
    console.log(`${CYCLES} cycles: ${connected} of ${connecting.length} meant to connect did`);
    expect(connected).toBeGreaterThan(connecting.length * 0.9);

    expect(engine.counts(created.event.id)).toEqual({});
    for (const r of results) expect(engine.session(r.location.split('/').pop()!)).toBeUndefined();
    await eventually(() => {
      // A leak of one per cycle would be hundreds; a few descriptors come and go (keep-alive sockets).
      if (baseline.fds !== null) expect(openFds()!).toBeLessThanOrEqual(baseline.fds + 8);
      expect(timers()).toBeLessThanOrEqual(baseline.timers + 4);
    }, { timeout: 20_000 });
    expect(created.event.id).toBeTruthy();
  }, 300_000);
});
