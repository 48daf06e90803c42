/**
 * Interpretation audio in the views, in real Chromium with a fake microphone (a tone the test
 * writes): the interpreter goes on air from the channel strip, a phone taps Listen and hears it,
 * the interpreter sees the phone counted, the moderator sees the channel; the booth partner takes
 * over on another laptop and the first is told; off air, the phone says so. axe-core on the strip
 * and on a Hebrew phone at 200% text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { fakeMicrophoneArgs, writeToneWav } from './helpers/audio.ts';
import { chromiumAvailable, launchChromium } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { connect, createTestEvent, startBackendServer, type Client, type TestServer } from './helpers/server.ts';

const CLIENT_DIR = new URL('../dist/client/', import.meta.url).pathname;
// Evaluated through the DevTools protocol: the pages' CSP forbids inline scripts (as browser.readers.test.ts).
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page now. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Result = { id: string; impact: string | null; nodes: { target: unknown[] }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe.skipIf(!chromiumAvailable)('interpretation audio in the views', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-views-'));
  const wav = path.join(dir, 'tone.wav');
  let backend: Backend;
  let server: TestServer;
  let browser: Browser;
  let created: CreatedEvent;
  let watcher: Client;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) throw new Error('build the client first (vite build)');
    writeToneWav(wav, 440, 30);
    backend = await openBackend({ kind: 'memory', dataDir: dir, audio: { intervalMs: 100 } });
    server = await startBackendServer(backend, { clientDir: CLIENT_DIR });
    browser = await launchChromium(fakeMicrophoneArgs(wav));
    created = await createTestEvent(server.url);
    watcher = await connect(server.url, { code: created.event.code });
  });
  afterAll(async () => {
    watcher?.close();
    await browser?.close();
    await server?.close();
    await backend?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const local = (link: string) => link.replace('http://tribune.test', server.url);
  async function page(width: number, height: number, options: BrowserContextOptions = {}): Promise<Page> {
    return (await browser.newContext({ viewport: { width, height }, ...options })).newPage();
  }
  /** A phone that joined at table t1 reading `lang`; its connections are watched (window.tribunePcs), not replaced. */
  async function phone(lang: string, locale: string, bigText = false): Promise<Page> {
    const p = await page(390, 844, { locale, isMobile: true, hasTouch: true });
    await p.addInitScript(
      ([code, l, big]) => {
        localStorage.setItem(`tribune.join.${code}`, JSON.stringify({ table: 't1', lang: l }));
        const Native = window.RTCPeerConnection;
        const pcs: RTCPeerConnection[] = [];
        (window as unknown as { tribunePcs: RTCPeerConnection[] }).tribunePcs = pcs;
        window.RTCPeerConnection = class extends Native {
          constructor(config?: RTCConfiguration) {
            super(config);
            pcs.push(this);
          }
        } as typeof RTCPeerConnection;
        if (big) document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%'));
      },
      [created.event.code, lang, bigText] as const,
    );
    await p.goto(`${server.url}/e/${created.event.code}`);
    return p;
  }
  /** Inbound audio packets and level over the phone's connections. */
  const heard = (p: Page) =>
    p.evaluate(async () => {
      let packets = 0;
      let level = 0;
      for (const pc of (window as unknown as { tribunePcs: RTCPeerConnection[] }).tribunePcs) {
        (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number; audioLevel?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') {
            packets += s.packetsReceived ?? 0;
            level = Math.max(level, s.audioLevel ?? 0);
          }
        });
      }
      return { packets, level };
    });

  it('on air from the interpreter desk, heard on a phone with one tap, counted; a partner takes over; off air', async () => {
    const laptop = await page(1280, 800);
    await laptop.goto(local(created.links.interpreters.fr!));
    const onAir = laptop.getByTestId('onair-button');
    await onAir.waitFor();
    expect(await seriousViolations(laptop)).toEqual([]);

    // Nothing on air: the phone shows no Listen control.
    const p = await phone('fr', 'fr-FR');
    await p.getByTestId('conn').and(p.locator('[data-state="connected"]')).first().waitFor();
    expect(await p.getByTestId('listen-button').count()).toBe(0);

    await onAir.click();
    await eventually(async () => expect(await onAir.getAttribute('aria-pressed')).toBe('true'), { timeout: 20_000 });
    await eventually(() => expect(watcher.latest().audio.fr!.onAir).toBe(true));

    // The phone offers its language's channel; one tap and it plays.
    const listen = p.getByTestId('listen-button');
    await listen.waitFor({ timeout: 20_000 });
    await listen.click();
    await p.locator('[data-testid="listen-status"][data-status="playing"]').waitFor({ timeout: 20_000 });
    await eventually(async () => {
      const a = await heard(p);
      expect(a.packets).toBeGreaterThan(0);
      expect(a.level).toBeGreaterThan(0);
    }, { timeout: 20_000 });
    // The interpreter sees the phone; the moderator sees the channel and its listener.
    await eventually(async () => expect(await laptop.getByTestId('audio-listeners').textContent()).toBe('1'));
    const tablet = await page(1024, 768);
    await tablet.goto(local(created.links.moderator));
    await eventually(async () => expect(await tablet.getByTestId('audio-channel-fr').textContent()).toMatch(/1/), { timeout: 20_000 });
    // The projector's join screen invites the room to listen while a channel is on air.
    const projector = await page(1920, 1080);
    await projector.goto(local(created.links.projector));
    expect(await watcher.send('projector:show', { mode: 'join' })).toMatchObject({ ok: false });
    const moderator = await connect(server.url, { eventId: created.event.id, token: created.secrets.moderator });
    expect(await moderator.send('projector:show', { mode: 'join' })).toMatchObject({ ok: true });
    await projector.getByTestId('join-listen').waitFor({ timeout: 20_000 });
    moderator.close();

    // The Hebrew interpreter takes the French channel as relay source: one more listener.
    const relay = await page(1280, 800);
    await relay.goto(local(created.links.interpreters.he!));
    await relay.getByTestId('relay-select').selectOption('fr');
    await eventually(() => expect(watcher.latest().audio.fr!.listeners).toBe(2), { timeout: 20_000 });
    await relay.getByTestId('relay-select').selectOption('');
    await eventually(() => expect(watcher.latest().audio.fr!.listeners).toBe(1), { timeout: 20_000 });

    // The booth partner opens the same link on another laptop and takes the channel; the first is told.
    const partner = await page(1280, 800);
    await partner.goto(local(created.links.interpreters.fr!));
    await eventually(async () => expect(await partner.getByTestId('audio-note').textContent()).toBeTruthy(), { timeout: 20_000 });
    await partner.getByTestId('onair-button').click();
    await eventually(async () => expect(await laptop.getByTestId('onair-button').getAttribute('aria-pressed')).toBe('false'), { timeout: 20_000 });
    expect(await laptop.getByTestId('audio-note').textContent()).toBeTruthy();
    const before = await heard(p);
    await eventually(async () => expect((await heard(p)).packets).toBeGreaterThan(before.packets + 50), { timeout: 20_000 });

    // Off air: the phone says so and keeps its connection for what comes next.
    await partner.getByTestId('onair-button').click();
    await p.locator('[data-testid="listen-status"][data-status="offAir"]').waitFor({ timeout: 20_000 });
    await eventually(() => expect(watcher.latest().audio.fr!.onAir).toBe(false));
  }, 240_000);

  it('the podium publishes the floor channel from the speaker view', async () => {
    const podium = await page(1366, 768);
    await podium.goto(local(created.links.moderator).replace('/m/', '/s/'));
    const onAir = podium.getByTestId('onair-button');
    await onAir.click();
    await eventually(() => expect(watcher.latest().audio.floor!.onAir).toBe(true), { timeout: 20_000 });
    // The button lost focus: a clicker's Space turns the slide, not the microphone off.
    expect(await podium.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)).toBeNull();
    expect(await seriousViolations(podium)).toEqual([]);
    await onAir.click();
    await eventually(() => expect(watcher.latest().audio.floor!.onAir).toBe(false), { timeout: 20_000 });
  }, 120_000);

  it('a Hebrew phone at 200% text: Listen right to left, no serious axe violation', async () => {
    const laptop = await page(1280, 800);
    await laptop.goto(local(created.links.interpreters.he!));
    await laptop.getByTestId('onair-button').click();
    await eventually(() => expect(watcher.latest().audio.he!.onAir).toBe(true), { timeout: 20_000 });
    const p = await phone('he', 'he-IL', true);
    await p.getByTestId('listen-button').waitFor({ timeout: 20_000 });
    expect(await p.evaluate(() => [document.documentElement.dir, getComputedStyle(document.documentElement).fontSize])).toEqual(['rtl', '32px']);
    await p.getByTestId('listen-button').click();
    await p.locator('[data-testid="listen-status"][data-status="playing"]').waitFor({ timeout: 20_000 });
    expect(await seriousViolations(p)).toEqual([]);
    // Nothing sticks out sideways at 200%.
    expect(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await laptop.getByTestId('onair-button').click();
  }, 120_000);
});
