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
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import type { Poll } from '../shared/polls.ts';
import { ms, sec, sleep, summarize, type Summary } from './bench/stats.ts';
import { emitAck, inRoom, mustAck, runStorms, stormOptions, storeLabel, storesOf, type RoomFacts, type Store } from './bench/storm.ts';

const { values: args } = parseArgs({
  options: {
    ...stormOptions,
    /** Seconds: every ballot is cast within it. */
    window: { type: 'string', default: '5' },
  },
  strict: true,
});

const DEVICES = Number(args.devices);
const WINDOW_MS = Number(args.window) * 1000;
const OPTIONS = ['Oui', 'Non', 'Plutôt oui', 'Sans avis'];

interface Result extends RoomFacts {
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
}

function storm(store: Store): Promise<Result> {
  const prepare = async (moderator: Socket) => {
    const created = await mustAck(moderator, 'poll:create', { question: 'Faut-il piétonniser tout le centre historique ?', options: OPTIONS });
    const id = (created as { id: string }).id;
    await mustAck(moderator, 'poll:open', { id });
    return id;
  };
  const room = { name: 'polls', store, devices: DEVICES, concurrency: Number(args.concurrency), redisUrl: args['redis-url'] };
  return inRoom(room, prepare, async ({ facts, child, phones, readAsModerator }, id) => {
    let broadcasts = 0;
    phones[0]?.on('poll', () => broadcasts++);
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
      phones.map(async (socket) => {
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
    const { data: polls } = await readAsModerator<Poll[]>('polls');
    const poll = polls.find((p) => p.id === id)!;
    const stored = poll.results ?? [];
    const ok = stored.every((n, i) => n >= ackedBy[i]! && n <= ackedBy[i]! + unknownBy[i]!) && poll.total === stored.reduce((a, b) => a + b, 0);
    return {
      ...facts,
      sent,
      acked,
      refused,
      noAnswer,
      elapsedMs,
      latency: summarize(latency),
      broadcasts,
      check: { stored, acked: ackedBy, unknown: unknownBy, total: poll.total, ok },
      serverCpuMs: (cpu1.cpuMicros - cpu0.cpuMicros) / 1000,
    };
  });
}

function report(r: Result): string[] {
  const refused = Object.entries(r.refused).map(([c, n]) => `${n} ${c}`).join(', ') || 'none';
  return [
    `${storeLabel(r.store, r.adapter)}: ${r.acked} ballots acknowledged in ${sec(r.elapsedMs)} → ${Math.round(r.acked / (r.elapsedMs / 1000))} acked ballots/s (sent ${r.sent}; refused: ${refused}; no answer: ${r.noAnswer})`,
    `    ack latency (emit → ack): p50 ${ms(r.latency.p50)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}`,
    `    exact totals: stored [${r.check.stored.join(', ')}] (total ${r.check.total}) vs acknowledged [${r.check.acked.join(', ')}]${r.check.unknown.some(Boolean) ? ` (+ ≤ [${r.check.unknown.join(', ')}] unanswered)` : ''} → ${r.check.ok ? 'OK (no lost, no double ballots)' : 'FAILED'}`,
    `    one phone received ${r.broadcasts} \`poll\` broadcasts for ${r.acked} ballots (coalesced); server CPU ${sec(r.serverCpuMs)} during the storm; ${DEVICES} joins in ${sec(r.join.ms)}${r.join.failed ? `, ${r.join.failed} failed` : ''}`,
  ];
}

const cpus = os.cpus().length;
runStorms(
  'bench-polls',
  {
    stores: storesOf(args.store),
    timeoutSec: Number(args.timeout),
    redisUrl: args['redis-url'],
    header: [
      `Poll storm — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}: ${DEVICES} devices each cast 1 ballot within ${WINDOW_MS / 1000} s in one open poll`,
      'latency = phone emit → its ack (one clock; phones in this process, server in a child, same machine)',
    ],
  },
  storm,
  report,
);
