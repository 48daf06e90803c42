/**
 * The poll storm: `npm run bench:polls [-- --store memory|redis|both] [--devices 2000] [--window 5]`
 *
 * A Tribune server (every domain; embedded store with its journal, or Redis with the streams
 * adapter, as deployed) in a child process. The moderator creates a 4-answer poll and opens it;
 * from this process, N simulated phones (one websocket each) cast one ballot each at a random
 * moment of the window. Prints acknowledged ballots per second, the ack latency (emit → ack, one
 * clock), how many `poll` broadcasts one phone received (coalesced, never one per ballot), and
 * checks that the stored results equal the ballots acknowledged (zero lost, zero double).
 * Phones and server share this machine's cores. Asserts nothing (ARCHITECTURE.md "Tests").
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import type { Poll } from '../shared/polls.ts';
import { ROOT as root, runBench, startChild, stopAfter, type ServerChild } from './bench/child.ts';
import { Fleet, connectSocket, newDeviceId, openSocket } from './bench/phones.ts';
import { deleteKeys } from './bench/redis.ts';
import { ms, progress, sec, sleep, summarize, type Summary } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    devices: { type: 'string', default: '2000' },
    /** Seconds: every ballot is cast within it. */
    window: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '200' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    timeout: { type: 'string', default: '300' },
  },
  strict: true,
});

const DEVICES = Number(args.devices);
const WINDOW_MS = Number(args.window) * 1000;
const ACK_TIMEOUT_MS = 15_000;
const OPTIONS = ['Oui', 'Non', 'Plutôt oui', 'Sans avis'];
const stores = args.store === 'both' ? (['memory', 'redis'] as const) : args.store === 'redis' ? (['redis'] as const) : (['memory'] as const);

type Ack = { ok: true; data?: unknown } | { ok: false; error: { code: string; message: string } };

let redisPrefix: string | null = null;
stopAfter(Number(args.timeout), 'bench-polls', () => (redisPrefix ? deleteKeys(args['redis-url'], redisPrefix) : Promise.resolve(0)));

function emitAck(socket: Socket, event: string, payload: unknown, timeoutMs = ACK_TIMEOUT_MS): Promise<Ack | null> {
  return new Promise((resolve) => socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack) => resolve(err ? null : ack)));
}

interface Result {
  store: string;
  adapter?: string;
  sent: number;
  acked: number;
  refused: Record<string, number>;
  noAnswer: number;
  elapsedMs: number;
  latency: Summary;
  /** `poll` messages one watching phone received during the storm. */
  broadcasts: number;
  check: { stored: number[]; acked: number[]; unknown: number[]; total: number; ok: boolean };
  serverCpuMs: number;
  join: { ms: number; failed: number };
}

async function storm(store: 'memory' | 'redis'): Promise<Result> {
  const prefix = store === 'redis' ? `tribune-bench-p-${randomBytes(6).toString('hex')}` : null;
  redisPrefix = prefix;
  const child: ServerChild = await startChild(`polls-${store}`, 'scripts/bench/questions-server.ts', { store, redisUrl: args['redis-url'], redisPrefix: prefix }, { root });
  const extra: Socket[] = [];
  let fleet: Fleet | null = null;
  try {
    const { eventId, code, moderatorToken, tables = [], languages = ['fr'] } = child.info;
    const moderator = await connectSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
    extra.push(moderator);
    const created = await emitAck(moderator, 'poll:create', { question: 'Faut-il piétonniser tout le centre historique ?', options: OPTIONS });
    if (!created?.ok) throw new Error(`poll:create refused: ${JSON.stringify(created)}`);
    const id = (created.data as { id: string }).id;
    const opened = await emitAck(moderator, 'poll:open', { id });
    if (!opened?.ok) throw new Error(`poll:open refused: ${JSON.stringify(opened)}`);

    progress(`${store}: joining ${DEVICES} phones (≤ ${args.concurrency} in flight)`);
    fleet = new Fleet();
    const join = await fleet.join(
      child.url,
      DEVICES,
      (i) => ({ code, deviceId: newDeviceId(), table: tables[i % tables.length], lang: languages[i % languages.length] }),
      Number(args.concurrency),
    );
    progress(`${store}: ${fleet.size} joined in ${sec(join.elapsedMs)}${join.failed ? `, ${join.failed} failed (${join.firstError})` : ''}`);
    await sleep(2_500); // presence settles

    let broadcasts = 0;
    fleet.sockets[0]?.on('poll', () => broadcasts++);
    const ackedBy = OPTIONS.map(() => 0);
    const unknownBy = OPTIONS.map(() => 0);
    const refused: Record<string, number> = {};
    const latency: number[] = [];
    let sent = 0;
    let acked = 0;
    let noAnswer = 0;
    let lastAck = 0;
    const t0 = performance.now();
    const cpu0 = await child.sample(false);
    await Promise.all(
      fleet.sockets.map(async (socket) => {
        await sleep(Math.random() * WINDOW_MS);
        // Weighted answers, so the totals are not all alike.
        const r = Math.random();
        const choice = r < 0.4 ? 0 : r < 0.65 ? 1 : r < 0.9 ? 2 : 3;
        sent++;
        const started = performance.now();
        const ack = await emitAck(socket, 'poll:vote', { id, choices: [choice] });
        const now = performance.now();
        lastAck = Math.max(lastAck, now);
        if (!ack) {
          noAnswer++;
          unknownBy[choice]!++;
        } else if (!ack.ok) refused[ack.error.code] = (refused[ack.error.code] ?? 0) + 1;
        else {
          acked++;
          ackedBy[choice]!++;
          latency.push(now - started);
        }
      }),
    );
    const cpu1 = await child.sample(false);
    const elapsedMs = lastAck - t0;

    await sleep(500);
    const checker = await new Promise<Poll[]>((resolve, reject) => {
      const s = openSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
      extra.push(s);
      s.once('polls', (list: Poll[]) => resolve(list));
      s.once('connect_error', reject);
    });
    const poll = checker.find((p) => p.id === id)!;
    const stored = poll.results ?? [];
    const ok = stored.every((n, i) => n >= ackedBy[i]! && n <= ackedBy[i]! + unknownBy[i]!) && poll.total === stored.reduce((a, b) => a + b, 0);
    return {
      store,
      ...(child.info.adapter ? { adapter: child.info.adapter } : {}),
      sent,
      acked,
      refused,
      noAnswer,
      elapsedMs,
      latency: summarize(latency),
      broadcasts,
      check: { stored, acked: ackedBy, unknown: unknownBy, total: poll.total, ok },
      serverCpuMs: (cpu1.cpuMicros - cpu0.cpuMicros) / 1000,
      join: { ms: join.elapsedMs, failed: join.failed },
    };
  } finally {
    extra.forEach((s) => s.close());
    await fleet?.close();
    await child.close();
    if (prefix) {
      const n = await deleteKeys(args['redis-url'], prefix);
      redisPrefix = null;
      progress(`redis: deleted ${n} keys under ${prefix}:*`);
    }
  }
}

function report(r: Result): string[] {
  const refused = Object.entries(r.refused).map(([c, n]) => `${n} ${c}`).join(', ') || 'none';
  return [
    `store ${r.store === 'memory' ? 'embedded (journal on disk)' : `redis${r.adapter ? ` + ${r.adapter} adapter` : ''}`}: ${r.acked} ballots acknowledged in ${sec(r.elapsedMs)} → ${Math.round(r.acked / (r.elapsedMs / 1000))} acked ballots/s (sent ${r.sent}; refused: ${refused}; no answer: ${r.noAnswer})`,
    `    ack latency (emit → ack): p50 ${ms(r.latency.p50)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}`,
    `    exact totals: stored [${r.check.stored.join(', ')}] (total ${r.check.total}) vs acknowledged [${r.check.acked.join(', ')}]${r.check.unknown.some(Boolean) ? ` (+ ≤ [${r.check.unknown.join(', ')}] unanswered)` : ''} → ${r.check.ok ? 'OK (no lost, no double ballots)' : 'FAILED'}`,
    `    one phone received ${r.broadcasts} \`poll\` broadcasts for ${r.acked} ballots (coalesced); server CPU ${sec(r.serverCpuMs)} during the storm; ${DEVICES} joins in ${sec(r.join.ms)}${r.join.failed ? `, ${r.join.failed} failed` : ''}`,
  ];
}

async function main() {
  const cpus = os.cpus().length;
  console.log(`Poll storm — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}: ${DEVICES} devices each cast 1 ballot within ${WINDOW_MS / 1000} s in one open poll`);
  console.log('latency = phone emit → its ack (one clock; phones in this process, server in a child, same machine)');
  let failed = false;
  for (const store of stores) {
    try {
      const lines = report(await storm(store));
      console.log(lines.join('\n'));
      if (lines.some((l) => l.includes('FAILED'))) failed = true;
    } catch (err) {
      failed = true;
      console.log(`store ${store}: the storm could not run: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

runBench('bench-polls', main);
