/**
 * The moderator under abuse (issue 11): `npm run bench:abuse`, or
 * `npx tsx scripts/bench-abuse.ts [--store memory|redis|both] [--sockets 2000] [--flood-rate 1000] [--flood-seconds 15]`
 *
 * A Tribune server with every domain and the deployed per-address allowances in a child process
 * (abuse-server.ts). From this process, a moderator sends a timer command every 60 ms and times
 * each acknowledgement (emit → ack, one clock): first with nothing else going on (idle), then
 * while N sockets with fresh device ids connect from this one address as fast as they can, then
 * while one phone sends commands at R per second. Prints p50/p99 of each phase and its ratio to
 * idle, what happened to the abusers (accepted, refused, cut off), and the server's RSS.
 * Abusers and server share this machine's cores. Asserts nothing (ARCHITECTURE.md "Tests").
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import { ROOT as root, runBench, startChild, stopAfter } from './bench/child.ts';
import { connectSocket, newDeviceId, openSocket } from './bench/phones.ts';
import { deleteKeys } from './bench/redis.ts';
import { mb, ms, progress, ratio, sleep, summarize, type Summary } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'memory' },
    sockets: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '200' },
    'flood-rate': { type: 'string', default: '1000' },
    'flood-seconds': { type: 'string', default: '15' },
    'idle-acks': { type: 'string', default: '150' },
    /** Connections that announce binary attachments (10 each) and send 9 frames of 250 KB. */
    'binary-sockets': { type: 'string', default: '400' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    timeout: { type: 'string', default: '300' },
    /** A folder: the server children write V8 CPU profiles there (open them in Chrome DevTools). */
    'cpu-prof': { type: 'string' },
  },
  strict: true,
});

const SOCKETS = Number(args.sockets);
const FLOOD_RATE = Number(args['flood-rate']);
const FLOOD_MS = Number(args['flood-seconds']) * 1000;
const PROBE_GAP_MS = 60;
const cpuProfDir = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true });
const stores = args.store === 'both' ? (['memory', 'redis'] as const) : args.store === 'redis' ? (['redis'] as const) : (['memory'] as const);

type Ack = { ok: true; data?: unknown } | { ok: false; error: { code: string; message: string } };

let redisPrefix: string | null = null;
stopAfter(Number(args.timeout), 'bench-abuse', () => (redisPrefix ? deleteKeys(args['redis-url'], redisPrefix) : Promise.resolve(0)));

function emitAck(socket: Socket, event: string, payload: unknown): Promise<Ack | null> {
  return new Promise((resolve) => socket.timeout(15_000).emit(event, payload, (err: Error | null, ack: Ack) => resolve(err ? null : ack)));
}

/** The moderator's probe: a timer command every 60 ms, timed, until `done()` says stop (or `count` acks). */
async function probe(moderator: Socket, until: { done(): boolean } | { count: number }): Promise<Summary> {
  const samples: number[] = [];
  let running = true;
  while ('count' in until ? samples.length < until.count : !until.done()) {
    const started = performance.now();
    const ack = await emitAck(moderator, running ? 'timer:pause' : 'timer:start', {});
    if (ack?.ok) samples.push(performance.now() - started);
    running = !running;
    await sleep(PROBE_GAP_MS);
  }
  return summarize(samples);
}

interface Phase {
  name: string;
  acks: Summary;
  note: string;
}

async function run(store: 'memory' | 'redis') {
  const prefix = store === 'redis' ? `tribune-bench-abuse-${randomBytes(6).toString('hex')}` : null;
  redisPrefix = prefix;
  const child = await startChild(`abuse-${store}`, 'scripts/bench/abuse-server.ts', { store, redisUrl: args['redis-url'], redisPrefix: prefix }, { root, ...(cpuProfDir ? { cpuProfDir } : {}) });
  const { eventId, code, moderatorToken, firstItemId } = child.info as unknown as Record<string, string>;
  const moderator = await connectSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
  await emitAck(moderator, 'agenda:go', { itemId: firstItemId });
  const phases: Phase[] = [];

  progress(`${store}: idle`);
  phases.push({ name: 'idle', acks: await probe(moderator, { count: Number(args['idle-acks']) }), note: '' });
  const beforeStorm = await child.sample(true);
  const rssIdle = beforeStorm.rss;
  const stormStart = performance.now();

  progress(`${store}: ${SOCKETS} sockets from one address`);
  const outcomes = new Map<string, number>();
  const opened: Socket[] = [];
  let settled = 0;
  const storm = (async () => {
    let next = 0;
    const worker = async () => {
      while (next < SOCKETS) {
        next += 1;
        const s = openSocket(child.url, { code, deviceId: newDeviceId() });
        opened.push(s);
        const outcome = await new Promise<string>((resolve) => {
          s.once('connect', () => resolve('accepted'));
          s.once('connect_error', (err) => resolve(err.message));
        });
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        settled += 1;
      }
    };
    await Promise.all(Array.from({ length: Number(args.concurrency) }, worker));
  })();
  const stormAcks = await probe(moderator, { done: () => settled >= SOCKETS });
  await storm;
  const stormMs = performance.now() - stormStart;
  const afterStorm = await child.sample();
  const rssStorm = afterStorm.rss;
  const serverCpuMs = (afterStorm.cpuMicros - beforeStorm.cpuMicros) / 1000;
  phases.push({
    name: `${SOCKETS} sockets connect`,
    acks: stormAcks,
    note:
      [...outcomes].map(([k, v]) => `${k} ${v}`).join(', ') +
      `; ${(stormMs / 1000).toFixed(2)} s, server CPU ${serverCpuMs.toFixed(0)} ms (${((serverCpuMs * 1000) / SOCKETS).toFixed(0)} µs a socket)`,
  });
  opened.forEach((s) => s.close());

  progress(`${store}: one phone floods at ${FLOOD_RATE}/s for up to ${FLOOD_MS / 1000} s`);
  const flooder = await connectSocket(child.url, { code, deviceId: newDeviceId() });
  let sent = 0;
  const codes = new Map<string, number>();
  let cutAfter: number | null = null;
  flooder.on('disconnect', () => (cutAfter ??= sent));
  const floodStart = performance.now();
  const timer = setInterval(() => {
    for (let n = 0; n < FLOOD_RATE / 100 && flooder.connected; n++) {
      sent += 1;
      flooder.emit('rating:set', { target: 'event', indicator: 'atmosphere', score: 1 + (sent % 5) }, (a: Ack) => {
        const k = a.ok ? 'ok' : a.error.code;
        codes.set(k, (codes.get(k) ?? 0) + 1);
      });
    }
  }, 10);
  const floodAcks = await probe(moderator, { done: () => performance.now() - floodStart > FLOOD_MS || (cutAfter !== null && performance.now() - floodStart > 3000) });
  clearInterval(timer);
  flooder.close();
  phases.push({
    name: `one socket floods (${FLOOD_RATE}/s)`,
    acks: floodAcks,
    note: `${sent} sent, answers: ${[...codes].map(([k, v]) => `${k} ${v}`).join(', ')}; ${cutAfter === null ? 'never cut off' : `cut off after ${cutAfter}`}`,
  });

  moderator.close();
  await child.close();

  // Binary attachments: a server of its own with the allowances off, so every announcer gets in and
  // what is measured is what the parser holds (deployed, the new-device budget would also stop most).
  progress(`${store}: ${args['binary-sockets']} sockets announce binary attachments`);
  const open = await startChild(`abuse-binary-${store}`, 'scripts/bench/abuse-server.ts', { store, redisUrl: args['redis-url'], redisPrefix: prefix, allowances: 'off' }, { root });
  // And on it, every command's state broadcast to N phones: is it on the moderator's path?
  progress(`${store}: moderator with ${SOCKETS} phones connected (allowances off)`);
  const room = await roomAcks(open, SOCKETS, Number(args['idle-acks']));
  const binary = await heldByBinaryAnnouncers(open.url, (open.info as unknown as Record<string, string>).code!, Number(args['binary-sockets']), () => open.sample(true));
  await open.close();
  if (prefix) await deleteKeys(args['redis-url'], prefix);
  redisPrefix = null;

  const idle = phases[0]!.acks;
  console.log(`\nModerator ack under abuse — ${store} store (emit → ack; probe every ${PROBE_GAP_MS} ms)`);
  for (const p of phases) {
    console.log(
      `  ${p.name.padEnd(28)} N=${String(p.acks.count).padStart(4)}  p50 ${ms(p.acks.p50).padStart(9)}  p99 ${ms(p.acks.p99).padStart(9)}` +
        `  (×${ratio(p.acks.p50, idle.p50).replace('×', '')} / ×${ratio(p.acks.p99, idle.p99).replace('×', '')} of idle)` +
        (p.note ? `\n    ${p.note}` : ''),
    );
  }
  console.log(`  server RSS: idle ${mb(rssIdle)}, after the socket storm ${mb(rssStorm)}`);
  console.log(
    `  moderator with ${SOCKETS} phones connected (every state broadcast to them): N=${room.acks.count} p50 ${ms(room.acks.p50)} p99 ${ms(room.acks.p99)}` +
      ` (×${ratio(room.acks.p50, idle.p50).replace('×', '')} / ×${ratio(room.acks.p99, idle.p99).replace('×', '')} of idle; ${room.joined} joined)`,
  );
  console.log(
    `  ${args['binary-sockets']} sockets announcing binary attachments (9 of 10 frames of 250 KB sent): server RSS ${mb(binary.base)} before, ` +
      `${mb(binary.held)} while they are open (${binary.open} still open), ${mb(binary.after)} after they closed`,
  );
}

/**
 * Sockets that join with the event code and announce a packet of 10 binary attachments, then send
 * 9 frames of 250 KB: a server that buffers attachments holds them all. RSS before, while they are
 * open, and after they closed (with a GC).
 */
async function heldByBinaryAnnouncers(url: string, code: string, n: number, sample: () => Promise<{ rss: number }>) {
  const base = (await sample()).rss;
  const frame = Buffer.alloc(250 * 1024, 7);
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, () => connectSocket(url, { code, deviceId: newDeviceId() }).catch(() => null)),
    );
    for (const s of batch) {
      if (!s) continue;
      sockets.push(s);
      const engine = (s.io as unknown as { engine: { send(d: string | Buffer): void } }).engine;
      engine.send('510-["question:ask",{"_placeholder":true,"num":0}]');
      for (let f = 0; f < 9; f++) engine.send(frame);
    }
    await sleep(200);
  }
  await sleep(2000);
  const held = (await sample()).rss;
  const open = sockets.filter((s) => s.connected).length;
  sockets.forEach((s) => s.close());
  await sleep(2000);
  const after = (await sample()).rss;
  return { base, held, after, open };
}

/** Connects `n` phones to a server with no per-address allowances, probes the moderator, closes them. */
async function roomAcks(child: { url: string; info: unknown }, n: number, count: number) {
  const { eventId, code, moderatorToken, firstItemId } = child.info as Record<string, string>;
  const moderator = await connectSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
  await emitAck(moderator, 'agenda:go', { itemId: firstItemId });
  const phones: Socket[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      const s = await connectSocket(child.url, { code, deviceId: newDeviceId() }).catch(() => null);
      if (s) phones.push(s);
    }
  };
  await Promise.all(Array.from({ length: 200 }, worker));
  await sleep(3000); // presence settles
  const acks = await probe(moderator, { count });
  phones.forEach((s) => s.close());
  moderator.close();
  await sleep(1000);
  return { acks, joined: phones.length };
}

runBench('bench-abuse', async () => {
  for (const store of stores) await run(store);
});
