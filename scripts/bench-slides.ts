/**
 * `npm run bench` (after the live-core bench), or alone:
 * `npx tsx scripts/bench-slides.ts [--phones 1000] [--pages 40] [--k 10]`
 *
 * Slides: a Tribune server (every domain, embedded store with DATA_DIR) in a child process; from
 * this process, one upload of a realistic N-page deck, then N simulated phones (one websocket
 * each, one keep-alive HTTP connection each) that fetch the page image as phones do when the
 * moderator changes slides. Prints:
 *   - the time to make a 40-page deck ready (upload → 201: conversion-free PDF, render, store);
 *   - bytes per page image (phone and screen);
 *   - slide-change delivery with images: moderator emit → phone has the whole new image, p50/p99
 *     (the time until 99% of the phones have it), cold (each phone fetches the page when the state
 *     arrives) and as the client does it (the next page was fetched ahead while the current one
 *     was shown, so the image is there when the state arrives).
 * Phones and server share this machine's cores. Asserts nothing (ARCHITECTURE.md "Tests").
 */
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DeckUploaded } from '../shared/deck.ts';
import type { PublicState } from '../shared/schemas.ts';
import { ROOT as root, runBench, startChild, stopAfter } from './bench/child.ts';
import { makeBenchDeck } from './bench/deck.ts';
import { Fleet, newDeviceId, openSocket } from './bench/phones.ts';
import { kb, mb, ms, progress, sec, sleep, summarize } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    phones: { type: 'string', default: '1000' },
    pages: { type: 'string', default: '40' },
    /** Slide changes per mode (cold, prefetched). */
    k: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '200' },
    timeout: { type: 'string', default: '600' },
  },
  strict: true,
});
const PHONES = Number(args.phones);
const PAGES = Number(args.pages);
const K = Number(args.k);
const ROUND_TIMEOUT_MS = 20_000;

stopAfter(Number(args.timeout), 'bench-slides');

type Ack = { ok: boolean; error?: { code: string; message: string } };

/** GET on a keep-alive agent: resolves with the body's size once the whole body has arrived. */
function getBytes(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let n = 0;
        res.on('data', (d: Buffer) => (n += d.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`HTTP ${res.statusCode} for ${url}`))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main() {
  console.log(`Tribune slides bench — ${os.cpus().length} CPUs, Node ${process.version}; ${PAGES}-page deck, ${PHONES} phones, ${K} slide changes per mode`);
  progress(`making a ${PAGES}-page deck`);
  const deck = await makeBenchDeck(PAGES);
  const child = await startChild('slides', 'scripts/bench/slides-server.ts', {}, { root });
  const { eventId, code, moderatorToken, firstItemId, tables = [] } = child.info;
  try {
    // 1. Upload → ready.
    const t0 = performance.now();
    const res = await fetch(`${child.url}/api/events/${eventId}/items/${firstItemId}/deck`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${moderatorToken}`, 'content-type': 'application/pdf' },
      body: new Uint8Array(deck.pdf),
    });
    const readyMs = performance.now() - t0;
    if (res.status !== 201) throw new Error(`upload refused: ${res.status} ${await res.text()}`);
    const { base, pageCount } = (await res.json()) as DeckUploaded;
    console.log(`deck: ${pageCount} pages, ${mb(deck.pdf.length)} PDF, ${deck.kind}`);
    console.log(`  ready in ${sec(readyMs)} (upload → 201: receive, pdfinfo, pdftoppm phone + screen, store)  (target < 20 s)`);

    // 2. Bytes per page.
    const agent = new http.Agent({ keepAlive: true });
    const sizes = { phone: [] as number[], screen: [] as number[] };
    for (let p = 1; p <= pageCount; p++) {
      for (const size of ['phone', 'screen'] as const) sizes[size].push(await getBytes(agent, `${child.url}${base}/${p}?size=${size}`));
    }
    agent.destroy();
    for (const size of ['phone', 'screen'] as const) {
      const s = summarize(sizes[size]);
      console.log(`  ${size} page: mean ${kb(s.mean)}, max ${kb(s.max)}${size === 'phone' ? '  (target ≤ 150 KB)' : ''}`);
    }

    // 3. Phones.
    const moderator = openSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
    await new Promise<void>((resolve, reject) => {
      moderator.once('connect', () => resolve());
      moderator.once('connect_error', reject);
    });
    const emit = (event: string, payload: unknown) => new Promise<Ack>((resolve) => moderator.emit(event, payload, resolve));
    const go = await emit('agenda:go', { itemId: firstItemId });
    if (!go.ok) throw new Error(`agenda:go refused: ${go.error?.code}`);
    const fleet = new Fleet();
    progress(`joining ${PHONES} phones`);
    const join = await fleet.join(child.url, PHONES, (i) => ({ code, deviceId: newDeviceId(), table: tables[i % tables.length] }), Number(args.concurrency));
    progress(`${fleet.size} joined in ${sec(join.elapsedMs)}${join.failed ? `, ${join.failed} failed (${join.firstError})` : ''}`);
    await sleep(2500); // presence settles (coalesced every 2 s)

    // Each phone: its own HTTP connection (as separate devices have), its own "cache" of pages.
    const phones = fleet.sockets.map((socket) => ({ socket, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), cached: new Set<number>() }));
    let target = 0;
    let started = 0;
    let gotImage = new Float64Array(phones.length);
    let gotState = new Float64Array(phones.length);
    let remaining = 0;
    let errors = 0;
    let done: (() => void) | null = null;
    const finish = (i: number) => {
      if (gotImage[i] !== 0) return;
      gotImage[i] = performance.now() - started;
      if (--remaining === 0) done?.();
    };
    phones.forEach((phone, i) => {
      phone.socket.on('state', (s: PublicState) => {
        const page = s.stage.slide?.page;
        if (target === 0 || page !== target || gotState[i] !== 0) return;
        gotState[i] = performance.now() - started;
        if (phone.cached.has(page)) return finish(i);
        getBytes(phone.agent, `${child.url}${base}/${page}?size=phone`).then(
          () => {
            phone.cached.add(page);
            finish(i);
          },
          () => errors++,
        );
      });
    });

    async function round(page: number) {
      gotImage = new Float64Array(phones.length);
      gotState = new Float64Array(phones.length);
      remaining = phones.length;
      const complete = new Promise<void>((resolve) => (done = resolve));
      target = page;
      started = performance.now();
      const ack = emit('slide:goto', { page });
      await Promise.race([complete, sleep(ROUND_TIMEOUT_MS)]);
      target = 0;
      if (!(await ack).ok) throw new Error(`slide:goto ${page} refused`);
      const missing = gotImage.filter((t) => t === 0).length;
      return { image: gotImage.filter((t) => t > 0), state: gotState.filter((t) => t > 0), missing };
    }

    const report = (label: string, rounds: Awaited<ReturnType<typeof round>>[]) => {
      const image = summarize(rounds.flatMap((r) => [...r.image]));
      const state = summarize(rounds.flatMap((r) => [...r.state]));
      const missing = rounds.reduce((n, r) => n + r.missing, 0);
      console.log(
        `  ${label}: image p50 ${ms(image.p50)}  p99 ${ms(image.p99)}  max ${ms(image.max)} | state alone p50 ${ms(state.p50)} p99 ${ms(state.p99)}` +
          `${missing ? ` | ${missing} phone-rounds without the image` : ''}`,
      );
    };

    console.log(`slide change with images, ${fleet.size} phones (moderator emit → phone has the whole new phone-size image; target p99 ≤ 1 s):`);
    let page = 1;
    await round(++page); // warm-up (first reads from disk into the server's page cache)
    const cold = [];
    for (let i = 0; i < K; i++) {
      cold.push(await round(++page));
      await sleep(300);
    }
    report('cold, fetch on change       ', cold);
    const ahead = [];
    for (let i = 0; i < K && page < pageCount; i++) {
      // While page p is shown, every phone fetches p + 1 (SlideImage does this once p has loaded).
      await Promise.all(phones.map((p) => getBytes(p.agent, `${child.url}${base}/${page + 1}?size=phone`).then(() => p.cached.add(page + 1))));
      await sleep(300);
      ahead.push(await round(++page));
    }
    report('next page fetched ahead     ', ahead);
    if (errors) console.log(`  ${errors} image fetches failed`);

    await fleet.close();
    moderator.close();
    phones.forEach((p) => p.agent.destroy());
  } finally {
    await child.close();
  }
}

runBench('bench-slides', main);
