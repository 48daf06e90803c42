/**
 * `npm run bench [-- --n 1000,5000 --k 20 --store memory|redis]`
 *
 * Starts a Tribune server in a child process (its own event loop, `--expose-gc`), connects N
 * simulated phones from this process (websocket transport, one connection each), has the
 * moderator change slides K times and prints the delivery latency (moderator emit → phone
 * receipt of the `state` carrying that page, one clock) next to a bare Socket.IO broadcast of a
 * payload of the same size, measured in the same run, the same way, in another child. Also the
 * server's heap per 1000 connected phones and the time for N phones to join (first `state`).
 * Prints figures, asserts nothing (ARCHITECTURE.md "Tests").
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Socket } from 'socket.io-client';
import type { PublicState } from '../shared/schemas.ts';
import { ROOT as root, liveChildren, SkipError, startChild, type ServerChild } from './bench/child.ts';
import type { ProcessSample } from './bench/ipc.ts';
import { Fleet, connectSocket, newDeviceId, type JoinResult } from './bench/phones.ts';
import { deleteKeys } from './bench/redis.ts';
import { kb, mb, ms, progress, ratio, sec, sleep, summarize, type Summary } from './bench/stats.ts';
import type { TribuneChildConfig } from './bench/tribune-server.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000,5000' },
    k: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    /** Minimum time between two slide changes; a round also waits for every phone. */
    spacing: { type: 'string', default: '250' },
    concurrency: { type: 'string', default: '200' },
    store: { type: 'string', default: 'memory' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    /** Redis mode: without the streams adapter (by default it is used, as in server/main.ts). */
    'no-adapter': { type: 'boolean', default: false },
    /** Overall bound of the whole run, seconds: past it the children are killed. */
    timeout: { type: 'string', default: '600' },
    /** Write V8 CPU profiles of the server children into this folder. */
    'cpu-prof': { type: 'string' },
    /** Print every round (p50/p99/max, server CPU). */
    verbose: { type: 'boolean', default: false },
    /** Do not force a full GC of this (load) process between rounds. */
    'no-client-gc': { type: 'boolean', default: false },
  },
  strict: true,
});

const Ns = args.n.split(',').map((s) => Number.parseInt(s.trim(), 10)).filter((n) => n > 0);
const K = Number.parseInt(args.k, 10);
const WARMUP = Number.parseInt(args.warmup, 10);
const SPACING_MS = Number.parseInt(args.spacing, 10);
const CONCURRENCY = Number.parseInt(args.concurrency, 10);
const STORE = args.store === 'redis' ? 'redis' : 'memory';
const ROUND_TIMEOUT_MS = 15_000;
const PRESENCE_SETTLE_MS = 2_500; // > the 2 s presence coalescing interval
const redisPrefix = `tribune-bench-${randomBytes(6).toString('hex')}`;
const cpuProfDir = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true });

if (args.store !== 'memory' && args.store !== 'redis') fail(`--store must be memory or redis, not ${args.store}`);
if (Ns.length === 0 || !(K > 0)) fail('--n needs phone counts (e.g. 1000,5000) and --k a positive count');

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The load process's own GC. 10 000 client sockets make a big heap here: a major GC landing inside
// a round delays every phone of that round by 100-300 ms and says nothing about the server (real
// phones do not share a heap). So a full GC runs between rounds, outside the timed windows, and the
// GC time that still falls inside them is reported.

v8.setFlagsFromString('--expose-gc');
const clientGc = vm.runInNewContext('gc') as () => void;
const gcLog: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcLog.push({ start: e.startTime, end: e.startTime + e.duration });
}).observe({ entryTypes: ['gc'] });
/** GC time of this process within [from, to] (ms); forgets older entries. */
function gcWithin(from: number, to: number): number {
  let total = 0;
  for (const g of gcLog) total += Math.max(0, Math.min(g.end, to) - Math.max(g.start, from));
  gcLog.length = 0;
  return total;
}

// ---------------------------------------------------------------------------------------------
// Bounded run: one overall deadline, and ^C, kill the children and clean up.

let redisDirty = false;
async function emergencyExit(reason: string, code: number) {
  console.error(`\nbench: ${reason}; stopping the server children`);
  for (const c of liveChildren) c.kill('SIGKILL');
  if (redisDirty) await deleteRedisKeys().catch(() => undefined);
  process.exit(code);
}
setTimeout(() => void emergencyExit(`overall timeout (${args.timeout} s)`, 1), Number(args.timeout) * 1000).unref();
process.once('SIGINT', () => void emergencyExit('interrupted', 130));

/** Deletes this run's keys only (never FLUSHALL). */
const deleteRedisKeys = () => deleteKeys(args['redis-url'], redisPrefix);

// ---------------------------------------------------------------------------------------------

/**
 * One system under test: a server child, its N phones, and how to fire a slide change.
 * Tribune and bare are set up one after the other, then their rounds are interleaved
 * (T B, B T, T B, …) so both see the same load process in the same state (heap, GC, sockets).
 */
interface System {
  label: string;
  child: ServerChild;
  fleet: Fleet;
  page: number;
  fire(page: number): Promise<Ack>;
  join: JoinResult;
  before: ProcessSample;
  joined: ProcessSample;
  samples: Float64Array[];
  missing: number;
  /** Server CPU time within the timed rounds (µs): from before the command to the last receipt. */
  cpuMicros: number;
  /** GC time of the load process inside the timed rounds (ms). */
  clientGcMs: number;
  refused: string[];
  payloadBytes(): number;
  closeExtra(): void;
}

type Ack = { ok: boolean; error?: { code: string; message?: string } };

interface RunResult {
  latency: Summary;
  /** Median over the K rounds of each round's p99: robust to one round hit by outside load. */
  roundP99Median: number;
  missing: number;
  join: JoinResult;
  connected: number;
  heapPerPhone: number;
  rssPerPhone: number;
  heapRetainedAfterLeave: number;
  cpuPerBroadcastMs: number;
  clientGcPerRoundMs: number;
  payloadBytes: number;
}

function emitAck(socket: Socket, event: string, payload: unknown): Promise<Ack> {
  return new Promise((resolve) => socket.emit(event, payload, resolve));
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string) {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function joinFleet(label: string, child: ServerChild, N: number, authFor: (i: number) => Record<string, unknown>) {
  const fleet = new Fleet();
  progress(`${label}: joining ${N} phones (≤ ${CONCURRENCY} in flight)`);
  const join = await fleet.join(child.url, N, authFor, CONCURRENCY);
  progress(`${label}: ${fleet.size} joined in ${sec(join.elapsedMs)}${join.failed ? `, ${join.failed} failed (${join.firstError})` : ''}`);
  return { fleet, join };
}

/** Tribune: the demo event, its moderator puts the first item on stage, then N phones join. */
async function setupTribune(N: number): Promise<{ sys: System; lastState(): PublicState }> {
  const config: TribuneChildConfig = {
    store: STORE,
    ...(STORE === 'redis' ? { redisUrl: args['redis-url'], redisPrefix, adapter: !args['no-adapter'] } : {}),
  };
  if (STORE === 'redis') redisDirty = true;
  const label = `tribune N=${N}`;
  const child = await startChild(`tribune-n${N}`, 'scripts/bench/tribune-server.ts', config, { root, ...(cpuProfDir ? { cpuProfDir } : {}) });
  if (child.info.adapter) progress(`${label}: Socket.IO adapter ${child.info.adapter}`);
  const { eventId, code, moderatorToken, firstItemId, tables = [], languages = ['fr'] } = child.info;
  const moderator = await connectSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
  let last: PublicState | null = null;
  moderator.on('state', (s: PublicState) => {
    if (!last || s.rev > last.rev) last = s;
  });
  const latest = () => last as PublicState | null;
  const go = await emitAck(moderator, 'agenda:go', { itemId: firstItemId });
  if (!go.ok) throw new Error(`agenda:go refused: ${go.error?.code}`);
  await waitFor(() => latest()?.stage.slide?.page === 1, 5000, 'the first item on stage');

  const before = await child.sample(true);
  const { fleet, join } = await joinFleet(label, child, N, (i) => ({
    code,
    deviceId: newDeviceId(),
    table: tables[i % tables.length],
    lang: languages[i % languages.length],
  }));
  // Presence is coalesced every 2 s: wait for its broadcast of the final count, then more than
  // one interval, so that no presence `state` lands among the timed rounds.
  await waitFor(() => latest()?.audience.connected === fleet.size, 15_000, `presence to reach ${fleet.size}`);
  await sleep(PRESENCE_SETTLE_MS);
  const joined = await child.sample(true);
  const sys: System = {
    label,
    child,
    fleet,
    page: 1,
    fire: (page) => emitAck(moderator, 'slide:goto', { page }),
    join,
    before,
    joined,
    samples: [],
    missing: 0,
    cpuMicros: 0,
    clientGcMs: 0,
    refused: [],
    payloadBytes: () => Buffer.byteLength(JSON.stringify(latest())),
    closeExtra: () => moderator.close(),
  };
  return {
    sys,
    lastState: () => {
      const s = latest();
      if (!s) throw new Error('the moderator saw no state');
      return s;
    },
  };
}

/** Bare Socket.IO: one room, the captured Tribune state as payload, a trigger socket. */
async function setupBare(N: number, payload: PublicState): Promise<System> {
  const label = `bare    N=${N}`;
  const child = await startChild(`bare-n${N}`, 'scripts/bench/bare-server.ts', payload, { root, ...(cpuProfDir ? { cpuProfDir } : {}) });
  const trigger = await connectSocket(child.url, { deviceId: newDeviceId() });
  let bytes = 0;
  trigger.on('state', (s: unknown) => {
    bytes = Buffer.byteLength(JSON.stringify(s));
  });
  const before = await child.sample(true);
  const { fleet, join } = await joinFleet(label, child, N, () => ({ deviceId: newDeviceId() }));
  await sleep(PRESENCE_SETTLE_MS); // the same pause as Tribune's; nothing to wait for
  const joined = await child.sample(true);
  return {
    label,
    child,
    fleet,
    page: payload.stage.slide?.page ?? 1,
    fire: (page) => emitAck(trigger, 'goto', { page }),
    join,
    before,
    joined,
    samples: [],
    missing: 0,
    cpuMicros: 0,
    clientGcMs: 0,
    refused: [],
    payloadBytes: () => bytes,
    closeExtra: () => trigger.close(),
  };
}

/** One timed slide change on one system; spaced so that each broadcast has completed. */
async function round(sys: System, record: boolean) {
  const page = ++sys.page;
  if (!args['no-client-gc']) clientGc();
  const cpu0 = await sys.child.sample(false);
  const started = performance.now();
  let ack: Promise<Ack> | undefined;
  const r = await sys.fleet.round(page, () => (ack = sys.fire(page)), ROUND_TIMEOUT_MS);
  const ended = performance.now();
  const a = await ack!;
  const cpu1 = await sys.child.sample(false);
  const gcMs = gcWithin(started, ended);
  if (!a.ok) sys.refused.push(a.error?.code ?? 'unknown');
  if (record) {
    sys.samples.push(r.latencies);
    sys.missing += r.missing;
    sys.cpuMicros += cpu1.cpuMicros - cpu0.cpuMicros;
    sys.clientGcMs += gcMs;
    if (args.verbose) {
      const s = summarize(r.latencies);
      progress(
        `${sys.label} page ${page}: p50 ${ms(s.p50)} p99 ${ms(s.p99)} max ${ms(s.max)}, server CPU ${ms((cpu1.cpuMicros - cpu0.cpuMicros) / 1000)}, load-process GC ${ms(gcMs)}`,
      );
    }
  }
  await sleep(Math.max(50, SPACING_MS - (performance.now() - started)));
}

async function teardown(sys: System, payloadBytes: number): Promise<RunResult> {
  const all = new Float64Array(sys.samples.reduce((n, s) => n + s.length, 0));
  let off = 0;
  for (const s of sys.samples) {
    all.set(s, off);
    off += s.length;
  }
  if (sys.refused.length) progress(`${sys.label}: ${sys.refused.length} commands refused: ${[...new Set(sys.refused)].join(', ')}`);
  const connected = sys.fleet.size;
  await sys.fleet.close();
  sys.closeExtra();
  await sleep(PRESENCE_SETTLE_MS); // disconnects processed, presence flushed
  const left = await sys.child.sample(true);
  await sys.child.close();
  const perPhone = (key: 'heapUsed' | 'rss') => (connected ? (sys.joined[key] - sys.before[key]) / connected : NaN);
  return {
    latency: summarize(all),
    roundP99Median: summarize(sys.samples.map((r) => summarize(r).p99)).p50,
    missing: sys.missing,
    join: sys.join,
    connected,
    heapPerPhone: perPhone('heapUsed'),
    rssPerPhone: perPhone('rss'),
    heapRetainedAfterLeave: left.heapUsed - sys.before.heapUsed,
    cpuPerBroadcastMs: sys.cpuMicros / 1000 / K,
    clientGcPerRoundMs: sys.clientGcMs / K,
    payloadBytes,
  };
}

async function runN(N: number): Promise<{ t: RunResult; b: RunResult }> {
  const tribune = await setupTribune(N);
  let bare: System | null = null;
  try {
    bare = await setupBare(N, tribune.lastState());
    const t = tribune.sys;
    const b = bare;
    progress(`N=${N}: ${WARMUP} warm-up + ${K} timed slide changes on each, interleaved`);
    for (let i = 0; i < WARMUP; i++) for (const sys of [t, b]) await round(sys, false);
    for (let i = 0; i < K; i++) for (const sys of i % 2 === 0 ? [t, b] : [b, t]) await round(sys, true);
    const tBytes = t.payloadBytes();
    const bBytes = b.payloadBytes();
    const tr = await teardown(t, tBytes);
    const br = await teardown(b, bBytes);
    return { t: tr, b: br };
  } finally {
    // On failure: stop whatever is still running (after success both are closed already).
    await tribune.sys.child.close();
    if (bare) await bare.child.close();
    if (STORE === 'redis') {
      const n = await deleteRedisKeys();
      redisDirty = false;
      progress(`redis: deleted ${n} keys under ${redisPrefix}:*`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

function report(N: number, t: RunResult, b: RunResult): string[] {
  const lat = (s: Summary) => `p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
  const lines = [
    `N=${N} K=${K}  tribune ${lat(t.latency)} | bare ${lat(b.latency)} | ratio p50 ${ratio(t.latency.p50, b.latency.p50)}  p99 ${ratio(t.latency.p99, b.latency.p99)}  (target p99 ≤ 1.2×)`,
    `    median of per-round p99 (robust to a single disturbed round): tribune ${ms(t.roundP99Median)} | bare ${ms(b.roundP99Median)} | ratio ${ratio(t.roundP99Median, b.roundP99Median)}`,
    `    samples: tribune ${t.latency.count}${t.missing ? ` (${t.missing} missing)` : ''}, bare ${b.latency.count}${b.missing ? ` (${b.missing} missing)` : ''}; payload ${t.payloadBytes} B tribune / ${b.payloadBytes} B bare`,
    `    server CPU per broadcast (command → last receipt): tribune ${ms(t.cpuPerBroadcastMs)}, bare ${ms(b.cpuPerBroadcastMs)} (${ratio(t.cpuPerBroadcastMs, b.cpuPerBroadcastMs)}); load-process GC inside rounds: ${ms(t.clientGcPerRoundMs)} / ${ms(b.clientGcPerRoundMs)} per round`,
    `    heap per 1000 phones: ${mb(t.heapPerPhone * 1000)} (${kb(t.heapPerPhone)}/phone, target ≤ 15 KB) — bare Socket.IO ${mb(b.heapPerPhone * 1000)} (${kb(b.heapPerPhone)}/phone)`,
    `    RSS per 1000 phones: tribune ${mb(t.rssPerPhone * 1000)}, bare ${mb(b.rssPerPhone * 1000)}; tribune heap after all left: ${t.heapRetainedAfterLeave >= 0 ? '+' : ''}${mb(t.heapRetainedAfterLeave)} vs. before they joined`,
    `    ${N} joins (each to its first state): tribune ${sec(t.join.elapsedMs)}${N === 5000 ? ' (target ≤ 10 s)' : ''}${t.join.failed ? `, ${t.join.failed} FAILED (${t.join.firstError})` : ''}, bare ${sec(b.join.elapsedMs)}${b.join.failed ? `, ${b.join.failed} FAILED` : ''}`,
  ];
  return lines;
}

async function main() {
  const started = performance.now();
  const cpus = os.cpus().length;
  console.log(
    `Tribune bench — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}, store ${STORE === 'memory' ? 'embedded (journal on disk)' : `redis ${args['redis-url']} prefix ${redisPrefix}`}; ` +
      `N=${Ns.join(',')}, K=${K} slide changes (+${WARMUP} warm-up) ≥ ${SPACING_MS} ms apart, joins ≤ ${CONCURRENCY} in flight`,
  );
  console.log('latency = moderator emit → phone receipt of the state with that page (one clock, phones in this process; server in a child)');
  const out: string[] = [];
  for (const N of Ns) {
    const { t, b } = await runN(N);
    const lines = report(N, t, b);
    out.push(...lines);
    console.log(lines.join('\n'));
  }
  console.log(`\nSummary (${sec(performance.now() - started)} in all)`);
  console.log(
    out.filter((l) => l.startsWith('N=') || l.includes('per-round p99') || l.includes('heap per 1000') || l.includes(' joins ')).join('\n'),
  );
  // Slides, in a process of its own: deck render time, bytes per page, slide changes with images.
  console.log('');
  const slides = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-slides.ts')], { cwd: root, stdio: 'inherit' });
  if (slides.status !== 0) console.log(`bench-slides exited with ${slides.status ?? slides.signal}`);
  // The question storm, in a process of its own, on both stores: acked ops/s, ack p50/p99, exact counts.
  console.log('');
  const storm = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-questions.ts'), '--redis-url', args['redis-url']], { cwd: root, stdio: 'inherit' });
  if (storm.status !== 0) console.log(`bench-questions exited with ${storm.status ?? storm.signal}`);
  // Captions, in a process of its own: interim captions from six interpreters to 1000 phones vs. bare Socket.IO.
  console.log('');
  const captions = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-captions.ts')], { cwd: root, stdio: 'inherit' });
  if (captions.status !== 0) console.log(`bench-captions exited with ${captions.status ?? captions.signal}`);
  // The report of a long evening (5 items, 6 languages × 2000 captions, 2000 questions), both stores.
  const reportBench = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'bench-report.ts'), '--redis-url', args['redis-url']], { cwd: root, stdio: 'inherit' });
  if (reportBench.status !== 0) console.log(`bench-report exited with ${reportBench.status ?? reportBench.signal}`);
}

main().then(
  () => process.exit(0),
  async (err) => {
    if (err instanceof SkipError) {
      console.log(`bench skipped: ${err.message}`);
      for (const c of liveChildren) c.kill('SIGKILL');
      process.exit(0);
    }
    await emergencyExit(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`, 1);
  },
);
