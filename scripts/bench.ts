/**
 * `npm run bench [-- --n 1000,5000,10000 --k 20 --store memory|redis --loaders auto|<count> --fanout-only]`
 *
 * Starts a Tribune server in a child process (its own event loop, `--expose-gc`), connects N
 * simulated phones to it (websocket transport, one connection each), has the moderator change
 * slides K times and prints the delivery latency (moderator emit → phone receipt of the `state`
 * carrying that page) next to a bare Socket.IO broadcast of a payload of the same size, measured
 * in the same run, the same way, in another child. Also the server's heap per 1000 connected
 * phones and the time for N phones to join (first `state`).
 * Prints figures, asserts nothing (ARCHITECTURE.md "Tests").
 *
 * The load generator. The phones live in L load-generator children (scripts/bench/loader.ts;
 * `--loaders`, by default one per `--per-loader` phones, 5000), not in this process: at 10 000
 * phones one process decoding every `state` becomes the bottleneck and its queue, not the
 * server, sets the latency (and 2 × 10 000 sockets would not fit one process's file limit).
 * Each loader holds a contiguous share of Tribune's phones AND the same share of bare
 * Socket.IO's (the two fleets are alive together, their rounds interleaved), so both systems are
 * measured by the same processes, in the same state, with the same payload. Joins: the
 * `--concurrency` handshakes in flight are split over the loaders. This process keeps the
 * moderator (Tribune) and the trigger socket (bare): it fires, the loaders record receipts.
 *
 * The clock. Every process is on this machine, and every time compared across processes is
 * hrNow() (scripts/bench/clock.ts): `process.hrtime` reads the system-wide monotonic counter
 * (CLOCK_MONOTONIC on Linux), the same value in every process at the same instant, immune to
 * wall-clock steps. Not `Date.now()` (ms, and steps with NTP), not `performance.now()` (its origin
 * is each process's start), not `performance.timeOrigin + performance.now()` (only as good as the
 * wall clock read at each process's start). The bench checks it when the loaders start: a
 * loader's reading must fall between this process's readings before and after asking for it.
 * Latency = (loader's hrNow at a phone's receipt) − (this process's hrNow just before the emit).
 * Join time = (the last loader's hrNow at its last phone's first `state`) − (hrNow before the
 * first join request).
 *
 * File descriptors: Node raises its soft open-file limit to the hard one at start, so each
 * child may hold `ulimit -Hn` sockets; each loader needs 2 × N / L, the server N. The bench
 * adds loaders when a share would not fit, and stops with a message when N alone does not
 * (then raise the hard limit: `ulimit -Hn` as root, or `LimitNOFILE=` / limits.conf).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import type { PublicState } from '../shared/schemas.ts';
import { ROOT as root, liveChildren, SkipError, startChild, type ServerChild } from './bench/child.ts';
import { hrNow } from './bench/clock.ts';
import type { PhoneAuthSpec, ProcessSample } from './bench/ipc.ts';
import { LoaderPool, openFileLimit, type PoolJoin } from './bench/loaders.ts';
import { connectSocket, latenciesFrom, newDeviceId } from './bench/phones.ts';
import { deleteKeys } from './bench/redis.ts';
import { kb, mb, ms, progress, ratio, sec, sleep, summarize, type Summary } from './bench/stats.ts';
import type { TribuneChildConfig } from './bench/tribune-server.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000,5000,10000' },
    k: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    /** Minimum time between two slide changes; a round also waits for every phone. */
    spacing: { type: 'string', default: '250' },
    /** Join handshakes in flight, in all (split over the loaders). */
    concurrency: { type: 'string', default: '200' },
    /** Load-generator processes: a count, or `auto` (one per --per-loader phones). */
    loaders: { type: 'string', default: 'auto' },
    'per-loader': { type: 'string', default: '5000' },
    store: { type: 'string', default: 'memory' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    /** Redis mode: without the streams adapter (by default it is used, as in server/main.ts). */
    'no-adapter': { type: 'boolean', default: false },
    /** Overall bound of the whole run, seconds: past it the children are killed. */
    timeout: { type: 'string', default: '1200' },
    /** Write V8 CPU profiles of the server children (and of the loaders) into this folder. */
    'cpu-prof': { type: 'string' },
    /** Print every round (p50/p99/max, server CPU). */
    verbose: { type: 'boolean', default: false },
    /** The fan-out figures only (not the slides, questions, captions and report benches after them). */
    'fanout-only': { type: 'boolean', default: false },
    /** Do not force a full GC of the loaders between rounds. */
    'no-client-gc': { type: 'boolean', default: false },
  },
  strict: true,
});

const Ns = args.n.split(',').map((s) => Number.parseInt(s.trim(), 10)).filter((n) => n > 0);
const K = Number.parseInt(args.k, 10);
const WARMUP = Number.parseInt(args.warmup, 10);
const SPACING_MS = Number.parseInt(args.spacing, 10);
const CONCURRENCY = Number.parseInt(args.concurrency, 10);
const PER_LOADER = Number.parseInt(args['per-loader'], 10);
const LOADERS = args.loaders === 'auto' ? 0 : Number.parseInt(args.loaders, 10);
const STORE = args.store === 'redis' ? 'redis' : 'memory';
const ROUND_TIMEOUT_MS = 15_000;
const PRESENCE_SETTLE_MS = 2_500; // > the 2 s presence coalescing interval
const redisPrefix = `tribune-bench-${randomBytes(6).toString('hex')}`;
const cpuProfDir = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true });

if (args.store !== 'memory' && args.store !== 'redis') fail(`--store must be memory or redis, not ${args.store}`);
if (Ns.length === 0 || !(K > 0)) fail('--n needs phone counts (e.g. 1000,5000) and --k a positive count');
if (args.loaders !== 'auto' && !(LOADERS > 0)) fail(`--loaders must be auto or a positive count, not ${args.loaders}`);
if (!(PER_LOADER > 0)) fail('--per-loader must be a positive count');

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/**
 * Load generators for N phones: `--loaders`, or one per `--per-loader` phones; more if a share of
 * both fleets (2 × N / L sockets) would not fit a process's open-file limit.
 */
function loadersFor(N: number): number {
  let count = LOADERS || Math.max(1, Math.ceil(N / PER_LOADER));
  const limit = openFileLimit();
  if (limit !== null && Number.isFinite(limit)) {
    const spare = 64; // IPC, stdio, the tsx loader, …
    if (N + spare > limit) fail(`N=${N} phones need ${N + spare} open files in the server process; the limit is ${limit} (raise it: ulimit -Hn)`);
    const fit = Math.ceil((2 * N) / (limit - spare));
    if (fit > count) {
      progress(`N=${N}: ${count} loader(s) would hold ${Math.ceil((2 * N) / count)} sockets each, over the open-file limit ${limit}: ${fit} loaders`);
      count = fit;
    }
  }
  return count;
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
  /** The fleet's name in the loaders. */
  fleet: string;
  connected: number;
  page: number;
  fire(page: number): Promise<Ack>;
  join: PoolJoin;
  /** Server CPU time during the join (µs). */
  joinCpuMicros: number;
  before: ProcessSample;
  joined: ProcessSample;
  samples: Float64Array[];
  missing: number;
  /** Server CPU time within the timed rounds (µs): from before the command to the last receipt. */
  cpuMicros: number;
  /** GC and CPU time of the loaders (summed) inside the timed rounds (ms). */
  clientGcMs: number;
  clientCpuMs: number;
  refused: string[];
  payloadBytes(): number;
  /** Resolves once the server has seen every phone leave (as far as it can tell), or after 30 s. */
  left(): Promise<void>;
  closeExtra(): void;
}

type Ack = { ok: boolean; error?: { code: string; message?: string } };

interface RunResult {
  latency: Summary;
  /** Median over the K rounds of each round's p99: robust to one round hit by outside load. */
  roundP99Median: number;
  missing: number;
  join: PoolJoin;
  joinCpuMs: number;
  connected: number;
  heapPerPhone: number;
  rssPerPhone: number;
  heapRetainedAfterLeave: number;
  cpuPerBroadcastMs: number;
  clientGcPerRoundMs: number;
  clientCpuPerRoundMs: number;
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

async function joinFleet(pool: LoaderPool, fleet: string, label: string, child: ServerChild, N: number, auth: PhoneAuthSpec) {
  progress(`${label}: joining ${N} phones from ${pool.size} loader${pool.size > 1 ? 's' : ''} (≤ ${CONCURRENCY} in flight in all)`);
  const join = await pool.join(fleet, child.url, N, auth, CONCURRENCY);
  progress(`${label}: ${join.connected} joined in ${sec(join.elapsedMs)}${join.failed ? `, ${join.failed} failed (${join.firstError})` : ''}`);
  return join;
}

/** Tribune: the demo event, its moderator puts the first item on stage, then N phones join. */
async function setupTribune(pool: LoaderPool, N: number): Promise<{ sys: System; lastState(): PublicState }> {
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
  const join = await joinFleet(pool, 'tribune', label, child, N, { kind: 'guest', code: code!, tables, languages });
  const joinCpuMicros = (await child.sample(false)).cpuMicros - before.cpuMicros;
  // Presence is coalesced every 2 s: wait for its broadcast of the final count, then more than
  // one interval, so that no presence `state` lands among the timed rounds.
  await waitFor(() => latest()?.audience.connected === join.connected, 15_000, `presence to reach ${join.connected}`);
  await sleep(PRESENCE_SETTLE_MS);
  const joined = await child.sample(true);
  const sys: System = {
    label,
    child,
    fleet: 'tribune',
    connected: join.connected,
    page: 1,
    fire: (page) => emitAck(moderator, 'slide:goto', { page }),
    join,
    joinCpuMicros,
    before,
    joined,
    samples: [],
    missing: 0,
    cpuMicros: 0,
    clientGcMs: 0,
    clientCpuMs: 0,
    refused: [],
    payloadBytes: () => Buffer.byteLength(JSON.stringify(latest())),
    // Presence reaches 0 once every disconnect is processed (at 10 000 phones on a busy machine
    // that can take longer than one presence interval).
    left: () => waitFor(() => latest()?.audience.connected === 0, 30_000, 'presence to reach 0').catch(() => void progress(`${label}: presence did not reach 0 within 30 s`)),
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
async function setupBare(pool: LoaderPool, N: number, payload: PublicState): Promise<System> {
  const label = `bare    N=${N}`;
  const child = await startChild(`bare-n${N}`, 'scripts/bench/bare-server.ts', payload, { root, ...(cpuProfDir ? { cpuProfDir } : {}) });
  const trigger = await connectSocket(child.url, { deviceId: newDeviceId() });
  let bytes = 0;
  trigger.on('state', (s: unknown) => {
    bytes = Buffer.byteLength(JSON.stringify(s));
  });
  const before = await child.sample(true);
  const join = await joinFleet(pool, 'bare', label, child, N, { kind: 'bare' });
  const joinCpuMicros = (await child.sample(false)).cpuMicros - before.cpuMicros;
  await sleep(PRESENCE_SETTLE_MS); // the same pause as Tribune's; nothing to wait for
  const joined = await child.sample(true);
  return {
    label,
    child,
    fleet: 'bare',
    connected: join.connected,
    page: payload.stage.slide?.page ?? 1,
    fire: (page) => emitAck(trigger, 'goto', { page }),
    join,
    joinCpuMicros,
    before,
    joined,
    samples: [],
    missing: 0,
    cpuMicros: 0,
    clientGcMs: 0,
    clientCpuMs: 0,
    refused: [],
    payloadBytes: () => bytes,
    left: async () => {},
    closeExtra: () => trigger.close(),
  };
}

/**
 * One timed slide change on one system; spaced so that each broadcast has completed. The loaders
 * are armed (each after a full GC of its own) before the fire time is read; they answer once
 * every phone has the page.
 */
async function round(pool: LoaderPool, sys: System, record: boolean) {
  const page = ++sys.page;
  const started = performance.now();
  await pool.arm(sys.fleet, page, ROUND_TIMEOUT_MS, !args['no-client-gc']);
  const cpu0 = await sys.child.sample(false);
  const t0 = hrNow();
  const ack = sys.fire(page);
  const r = await pool.collect(sys.fleet);
  const a = await ack;
  const cpu1 = await sys.child.sample(false);
  if (!a.ok) sys.refused.push(a.error?.code ?? 'unknown');
  if (record) {
    const parts = r.recv.map((recv) => latenciesFrom(recv, t0));
    const latencies = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((off, p) => (latencies.set(p, off), off + p.length), 0);
    sys.samples.push(latencies);
    sys.missing += r.missing;
    sys.cpuMicros += cpu1.cpuMicros - cpu0.cpuMicros;
    sys.clientGcMs += r.gcMs;
    sys.clientCpuMs += r.cpuMicros / 1000;
    if (args.verbose) {
      const s = summarize(latencies);
      progress(
        `${sys.label} page ${page}: p50 ${ms(s.p50)} p99 ${ms(s.p99)} max ${ms(s.max)}, server CPU ${ms((cpu1.cpuMicros - cpu0.cpuMicros) / 1000)}, loaders CPU ${ms(r.cpuMicros / 1000)} GC ${ms(r.gcMs)}`,
      );
    }
  }
  await sleep(Math.max(50, SPACING_MS - (performance.now() - started)));
}

async function teardown(pool: LoaderPool, sys: System, payloadBytes: number): Promise<RunResult> {
  const all = new Float64Array(sys.samples.reduce((n, s) => n + s.length, 0));
  let off = 0;
  for (const s of sys.samples) {
    all.set(s, off);
    off += s.length;
  }
  if (sys.refused.length) progress(`${sys.label}: ${sys.refused.length} commands refused: ${[...new Set(sys.refused)].join(', ')}`);
  const connected = sys.connected;
  await pool.closeFleet(sys.fleet);
  await sys.left();
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
    joinCpuMs: sys.joinCpuMicros / 1000,
    connected,
    heapPerPhone: perPhone('heapUsed'),
    rssPerPhone: perPhone('rss'),
    heapRetainedAfterLeave: left.heapUsed - sys.before.heapUsed,
    cpuPerBroadcastMs: sys.cpuMicros / 1000 / K,
    clientGcPerRoundMs: sys.clientGcMs / K,
    clientCpuPerRoundMs: sys.clientCpuMs / K,
    payloadBytes,
  };
}

async function runN(N: number): Promise<{ t: RunResult; b: RunResult; loaders: number }> {
  const pool = await LoaderPool.start(loadersFor(N), { root, ...(cpuProfDir ? { cpuProfDir } : {}) });
  let tribune: Awaited<ReturnType<typeof setupTribune>> | null = null;
  let bare: System | null = null;
  try {
    tribune = await setupTribune(pool, N);
    bare = await setupBare(pool, N, tribune.lastState());
    const t = tribune.sys;
    const b = bare;
    progress(`N=${N}: ${WARMUP} warm-up + ${K} timed slide changes on each, interleaved`);
    for (let i = 0; i < WARMUP; i++) for (const sys of [t, b]) await round(pool, sys, false);
    for (let i = 0; i < K; i++) for (const sys of i % 2 === 0 ? [t, b] : [b, t]) await round(pool, sys, true);
    const tBytes = t.payloadBytes();
    const bBytes = b.payloadBytes();
    const tr = await teardown(pool, t, tBytes);
    const br = await teardown(pool, b, bBytes);
    return { t: tr, b: br, loaders: pool.size };
  } finally {
    // On failure: stop whatever is still running (after success the servers are closed already).
    await pool.close();
    await tribune?.sys.child.close();
    await bare?.child.close();
    if (STORE === 'redis') {
      const n = await deleteRedisKeys();
      redisDirty = false;
      progress(`redis: deleted ${n} keys under ${redisPrefix}:*`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

const loadavg = () => os.loadavg()[0]!.toFixed(1);

function report(N: number, t: RunResult, b: RunResult, loaders: number): string[] {
  const lat = (s: Summary) => `p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
  const lines = [
    `N=${N} K=${K}  tribune ${lat(t.latency)} | bare ${lat(b.latency)} | ratio p50 ${ratio(t.latency.p50, b.latency.p50)}  p99 ${ratio(t.latency.p99, b.latency.p99)}  (target p99 ≤ 1.2×)`,
    `    median of per-round p99 (robust to a single disturbed round): tribune ${ms(t.roundP99Median)} | bare ${ms(b.roundP99Median)} | ratio ${ratio(t.roundP99Median, b.roundP99Median)}`,
    `    samples: tribune ${t.latency.count}${t.missing ? ` (${t.missing} missing)` : ''}, bare ${b.latency.count}${b.missing ? ` (${b.missing} missing)` : ''}; payload ${t.payloadBytes} B tribune / ${b.payloadBytes} B bare`,
    `    server CPU per broadcast (command → last receipt): tribune ${ms(t.cpuPerBroadcastMs)}, bare ${ms(b.cpuPerBroadcastMs)} (${ratio(t.cpuPerBroadcastMs, b.cpuPerBroadcastMs)})`,
    `    load generator: ${loaders} process${loaders > 1 ? 'es' : ''} × ≤ ${Math.ceil(N / loaders)} phones of each system; their CPU per round ${ms(t.clientCpuPerRoundMs)} tribune / ${ms(b.clientCpuPerRoundMs)} bare, of which GC ${ms(t.clientGcPerRoundMs)} / ${ms(b.clientGcPerRoundMs)} (summed over the loaders)`,
    `    heap per 1000 phones: ${mb(t.heapPerPhone * 1000)} (${kb(t.heapPerPhone)}/phone, target ≤ 15 KB) — bare Socket.IO ${mb(b.heapPerPhone * 1000)} (${kb(b.heapPerPhone)}/phone)`,
    `    RSS per 1000 phones: tribune ${mb(t.rssPerPhone * 1000)}, bare ${mb(b.rssPerPhone * 1000)}; tribune heap after all left: ${t.heapRetainedAfterLeave >= 0 ? '+' : ''}${mb(t.heapRetainedAfterLeave)} vs. before they joined`,
    `    ${N} joins (each to its first state): tribune ${sec(t.join.elapsedMs)}${N === 5000 ? ' (target ≤ 10 s)' : N === 10_000 ? ' (target < 20 s)' : ''}${t.join.failed ? `, ${t.join.failed} FAILED (${t.join.firstError})` : ''}, bare ${sec(b.join.elapsedMs)}${b.join.failed ? `, ${b.join.failed} FAILED` : ''}`,
    `    CPU during the joins (a server near 1 s per s of join is the bottleneck; else the loaders or the machine): tribune server ${sec(t.joinCpuMs)}, loaders ${sec(t.join.loadersCpuMs)} | bare server ${sec(b.joinCpuMs)}, loaders ${sec(b.join.loadersCpuMs)}`,
  ];
  return lines;
}

async function main() {
  const started = performance.now();
  const cpus = os.cpus().length;
  console.log(
    `Tribune bench — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}, store ${STORE === 'memory' ? 'embedded (journal on disk)' : `redis ${args['redis-url']} prefix ${redisPrefix}`}; ` +
      `N=${Ns.join(',')}, K=${K} slide changes (+${WARMUP} warm-up) ≥ ${SPACING_MS} ms apart, joins ≤ ${CONCURRENCY} in flight, ` +
      `loaders ${LOADERS || `1 per ${PER_LOADER} phones`}`,
  );
  console.log(
    'latency = moderator emit → phone receipt of the state with that page (one clock: the system-wide monotonic hrtime; phones in load-generator children, servers in others)',
  );
  console.log(`machine load (1-min load average, ${cpus} CPUs): ${loadavg()} at the start`);
  const out: string[] = [];
  for (const N of Ns) {
    const { t, b, loaders } = await runN(N);
    const lines = report(N, t, b, loaders);
    // Shared machines: the figures mean little when other work holds the CPUs.
    lines.push(`    machine load (1-min load average): ${loadavg()} at the end of N=${N}`);
    out.push(...lines);
    console.log(lines.join('\n'));
  }
  console.log(`\nSummary (${sec(performance.now() - started)} in all)`);
  console.log(
    out.filter((l) => l.startsWith('N=') || l.includes('per-round p99') || l.includes('heap per 1000') || l.includes(' joins ')).join('\n'),
  );
  if (args['fanout-only']) return;
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
