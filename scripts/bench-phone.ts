/**
 * `npm run bench:phone [-- --runs 3]`: a phone on slow venue Wi-Fi. A real Tribune server (child
 * process, embedded store, the built client as `npm start` serves it, the demo event with its
 * first speaker on stage) and the attendee page in real Chromium with DevTools throttling:
 * 400 ms latency, 50 KB/s down and up (Network.emulateNetworkConditions), CPU 4× slower
 * (Emulation.setCPUThrottlingRate). Each run, in a fresh browser context:
 *   1. a new guest opens /e/<code>: bytes on the wire of that first load (encodedDataLength of
 *      every Network.loadingFinished, headers included) and the time to the join form;
 *   2. the guest joins (table, language), so the phone holds a device id, its proof and its
 *      choice in localStorage, and the HTTP cache is warm;
 *   3. a returning guest: the same link again in a new tab: the time to the first state on screen
 *      (the speaker's name);
 *   4. the same with the HTTP cache emptied (the phone kept its choice in localStorage, the browser
 *      dropped its cache): the whole client comes over the wire again.
 * Times are the page's own clock from its navigation start to the frame after the element appears.
 * Prints each run and the median. Needs a built client (`npm run build`). Asserts nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { ROOT, runBench, startChild, stopAfter } from './bench/child.ts';
import { connectSocket, newDeviceId } from './bench/phones.ts';
import { kb, progress, sec } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '900' },
  },
  strict: true,
});
const RUNS = Number(args.runs);
const SLOW_WIFI = { offline: false, latency: 400, downloadThroughput: 50 * 1024, uploadThroughput: 50 * 1024 };
const CPU_SLOWDOWN = 4;
const STEP_TIMEOUT_MS = 120_000;

stopAfter(Number(args.timeout), 'bench-phone');

interface Marks {
  join?: number;
  speaker?: number;
}
declare global {
  interface Window {
    __phoneBench: Marks;
  }
}

/**
 * Runs in every page before its scripts: notes when the join form and the speaker's name appear,
 * in the frame after they are in the DOM (the one that paints them). A string, as tsx's transform
 * of a function would bring helpers the page does not have.
 */
const WATCH_FOR_MARKS = `
  const marks = (window.__phoneBench = {});
  const seen = new Set();
  const mark = (name) => {
    seen.add(name);
    requestAnimationFrame(() => (marks[name] ??= performance.now()));
  };
  new MutationObserver(() => {
    if (!seen.has('join') && document.querySelector('[data-testid="join-go"]')) mark('join');
    const speaker = document.querySelector('[data-testid="now-speaker"]');
    if (!seen.has('speaker') && speaker && speaker.textContent.trim()) mark('speaker');
  }).observe(document, { childList: true, subtree: true, characterData: true });
`;

/** What went over the wire for one page, from DevTools' network events. */
class Wire {
  bytes = 0;
  requests = 0;
  /** Of `requests`, those answered by the HTTP cache (no bytes on the wire). */
  fromCache = 0;
  private inflight = new Set<string>();
  private cached = new Set<string>();
  private lastChange = performance.now();

  constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!/^https?:/.test(e.request.url)) return; // the inline data: icon
      // A redirect reuses the id: one request on the wire each time.
      this.inflight.add(e.requestId);
      this.lastChange = performance.now();
    });
    cdp.on('Network.requestServedFromCache', (e) => this.cached.add(e.requestId));
    cdp.on('Network.responseReceived', (e) => e.response.fromDiskCache && this.cached.add(e.requestId));
    cdp.on('Network.loadingFinished', (e) => this.done(e.requestId, e.encodedDataLength));
    cdp.on('Network.loadingFailed', (e) => this.done(e.requestId, 0));
  }

  private done(id: string, bytes: number) {
    if (!this.inflight.delete(id)) return;
    this.bytes += bytes;
    this.requests++;
    if (this.cached.delete(id)) this.fromCache++;
    this.lastChange = performance.now();
  }

  /** Resolves once nothing has been in flight for `quietMs`. */
  async settled(quietMs = 1500): Promise<void> {
    const deadline = performance.now() + STEP_TIMEOUT_MS;
    while (this.inflight.size > 0 || performance.now() - this.lastChange < quietMs) {
      if (performance.now() > deadline) throw new Error(`requests still in flight after ${STEP_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * A new tab on the slow Wi-Fi profile with a slowed CPU, its network watched. DevTools' throttling
 * delays each HTTP request and the WebSocket handshake, not each WebSocket frame.
 */
async function slowPage(context: BrowserContext): Promise<{ page: Page; wire: Wire; cdp: CDPSession }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const wire = new Wire(cdp);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_WIFI);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { page, wire, cdp };
}

const mark = (page: Page, name: keyof Marks) =>
  page.waitForFunction((n) => window.__phoneBench?.[n], name, { timeout: STEP_TIMEOUT_MS, polling: 100 }).then((h) => h.jsonValue() as Promise<number>);

interface Run {
  firstBytes: number;
  firstRequests: number;
  joinMs: number;
  speakerMs: number;
  againBytes: number;
  againRequests: number;
  againFromCache: number;
  coldSpeakerMs: number;
  coldBytes: number;
}

const WIDTHS = [12, 36, 11, 40];
const columns = (...cells: string[]) => cells.map((c, i) => c.padEnd(WIDTHS[i] ?? 0)).join('');

function row(label: string, r: Run) {
  console.log(
    columns(
      label,
      `${kb(r.firstBytes)} in ${r.firstRequests} requests`,
      sec(r.joinMs),
      `${sec(r.speakerMs)} (${kb(r.againBytes)}; ${r.againFromCache}/${r.againRequests} from cache)`,
      `${sec(r.coldSpeakerMs)}, ${kb(r.coldBytes)}`,
    ),
  );
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  const clientDir = path.join(ROOT, 'dist', 'client');
  if (!fs.existsSync(path.join(clientDir, 'index.html'))) throw new Error('build the client first: npm run build');
  const child = await startChild('phone', 'scripts/bench/phone-server.ts', {}, { root: ROOT });
  const { eventId, code, moderatorToken, firstItemId, tables = [] } = child.info;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    // The first speaker on stage: a returning guest's first state shows a name.
    const moderator = await connectSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
    await new Promise<void>((resolve) => moderator.emit('agenda:go', { itemId: firstItemId }, () => resolve()));
    moderator.close();

    console.log(
      `Tribune phone bench — Chromium ${browser.version()}, a 360×740 phone; ${SLOW_WIFI.latency} ms latency, ` +
        `${SLOW_WIFI.downloadThroughput / 1024} KB/s down and up, CPU ${CPU_SLOWDOWN}× slower; ${RUNS} runs`,
    );
    console.log(columns('', 'new guest: first load on the wire', 'join form', "returning: speaker's name", "cache emptied: speaker's name, wire"));
    const url = `${child.url}/e/${code}`;
    const runs: Run[] = [];
    for (let n = 1; n <= RUNS; n++) {
      progress(`run ${n}: new guest`);
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      await context.addInitScript({ content: WATCH_FOR_MARKS });
      const first = await slowPage(context);
      await first.page.goto(url, { waitUntil: 'commit' });
      const joinMs = await mark(first.page, 'join');
      await first.wire.settled();
      const firstBytes = first.wire.bytes;
      const firstRequests = first.wire.requests;

      progress(`run ${n}: joining`);
      if (tables[0]) await first.page.getByTestId('join-table').selectOption(tables[0]);
      await first.page.getByTestId('join-language').selectOption('es');
      await first.page.getByTestId('join-go').click();
      await mark(first.page, 'speaker');
      // Joined for good: the server's device proof is kept, as a phone that followed the evening has it.
      await first.page.waitForFunction(() => localStorage.getItem('tribune.deviceProof'), null, { timeout: STEP_TIMEOUT_MS });
      await first.page.close();

      progress(`run ${n}: returning guest`);
      const again = await slowPage(context);
      await again.page.goto(url, { waitUntil: 'commit' });
      const speakerMs = await mark(again.page, 'speaker');
      await again.wire.settled();
      await again.cdp.send('Network.clearBrowserCache');
      await again.page.close();

      progress(`run ${n}: returning guest, cache emptied`);
      const cold = await slowPage(context);
      await cold.page.goto(url, { waitUntil: 'commit' });
      const coldSpeakerMs = await mark(cold.page, 'speaker');
      await cold.wire.settled();
      await context.close();

      const run: Run = {
        firstBytes,
        firstRequests,
        joinMs,
        speakerMs,
        againBytes: again.wire.bytes,
        againRequests: again.wire.requests,
        againFromCache: again.wire.fromCache,
        coldSpeakerMs,
        coldBytes: cold.wire.bytes,
      };
      runs.push(run);
      row(`run ${n}`, run);
    }
    const keys = Object.keys(runs[0]!) as (keyof Run)[];
    row(`median of ${RUNS}`, Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])) as Record<keyof Run, number>);
  } finally {
    await browser.close();
    await child.close();
  }
}

runBench('bench-phone', main);
