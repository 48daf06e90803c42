/**
 * The question storm: `npm run bench` (after the others), or alone:
 * `npx tsx scripts/bench-questions.ts [--store memory|redis|both] [--devices 2000] [--votes 20] [--window 10]`
 *
 * A Tribune server (every domain; embedded store with its journal, or Redis with the streams
 * adapter, as deployed) in a child process, the event in post-moderation. From this process,
 * N simulated phones (one websocket each) each ask one question within the first seconds, then
 * cast V up-votes on distinct questions of others, spread over the window. Prints acknowledged
 * operations per second, the ack latency (emit → ack, one clock), and checks that the stored
 * count of every question equals the up-votes acknowledged for it (zero lost, zero double).
 * Phones and server share this machine's cores. Asserts nothing (ARCHITECTURE.md "Tests").
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import type { Question } from '../shared/questions.ts';
import type { ReadyInfo } from './bench/ipc.ts';
import { quickRedis } from './bench/redis.ts';
import { ms, sec, sleep, summarize, type Summary } from './bench/stats.ts';
import { emitAck, inRoom, mustAck, runStorms, stormOptions, storeLabel, storesOf, type RoomFacts, type Ack, type Store } from './bench/storm.ts';

const { values: args } = parseArgs({
  options: {
    ...stormOptions,
    votes: { type: 'string', default: '20' },
    /** Seconds: every question is asked in the first `ask-window`, every vote by the end of `window`. */
    window: { type: 'string', default: '10' },
    'ask-window': { type: 'string', default: '2' },
    /** A folder: the server child writes a V8 CPU profile there (open it in Chrome DevTools). */
    'cpu-prof': { type: 'string' },
  },
  strict: true,
});

const cpuProfDir = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
if (cpuProfDir) fs.mkdirSync(cpuProfDir, { recursive: true });
const DEVICES = Number(args.devices);
const VOTES = Number(args.votes);
const WINDOW_MS = Number(args.window) * 1000;
const ASK_WINDOW_MS = Number(args['ask-window']) * 1000;

interface Result extends RoomFacts {
  sent: { asks: number; votes: number };
  acked: { asks: number; votes: number };
  refused: Record<string, number>;
  noAnswer: number;
  skippedVotes: number;
  elapsedMs: number;
  latency: { all: Summary; ask: Summary; vote: Summary };
  check: { questions: number; stored: number; acked: number; mismatched: number; unknown: number };
  serverCpuMs: number;
  /** This process: the 2000 simulated phones. */
  phonesCpuMs: number;
  redisCpuMs: number;
}

function storm(store: Store): Promise<Result> {
  const prepare = async (moderator: Socket, { firstItemId }: ReadyInfo) => {
    await mustAck(moderator, 'event:moderation', { mode: 'post' });
    await mustAck(moderator, 'agenda:go', { itemId: firstItemId });
  };
  const room = {
    name: 'questions',
    store,
    devices: DEVICES,
    concurrency: Number(args.concurrency),
    redisUrl: args['redis-url'],
    ...(cpuProfDir ? { cpuProfDir } : {}),
  };
  return inRoom(room, prepare, async ({ facts, child, phones, readAsModerator }) => {
    const asked: string[] = [];
    const askedBy = new Map<string, number>();
    const ackedVotes = new Map<string, number>();
    const unknownVotes = new Map<string, number>();
    const askLat: number[] = [];
    const voteLat: number[] = [];
    const refused: Record<string, number> = {};
    const sent = { asks: 0, votes: 0 };
    const acked = { asks: 0, votes: 0 };
    let noAnswer = 0;
    let skippedVotes = 0;
    let lastAck = 0;

    const record = (kind: 'ask' | 'vote', started: number, ack: Ack | null) => {
      const now = performance.now();
      lastAck = Math.max(lastAck, now);
      if (!ack) return void noAnswer++;
      if (!ack.ok) return void (refused[ack.error.code] = (refused[ack.error.code] ?? 0) + 1);
      (kind === 'ask' ? askLat : voteLat).push(now - started);
      acked[kind === 'ask' ? 'asks' : 'votes']++;
    };

    const cpu0 = await child.sample(false);
    const load0 = process.cpuUsage();
    const redis0 = store === 'redis' ? await redisCpuMs() : 0;
    const t0 = performance.now();
    const work: Promise<void>[] = [];
    phones.forEach((socket, i) => {
      const voted = new Set<string>();
      const askAt = Math.random() * ASK_WINDOW_MS;
      const voteTimes = Array.from({ length: VOTES }, () => ASK_WINDOW_MS + Math.random() * (WINDOW_MS - ASK_WINDOW_MS)).sort((a, b) => a - b);
      const at = (t: number) => sleep(Math.max(0, t0 + t - performance.now()));
      work.push(
        (async () => {
          await at(askAt);
          const id = randomBytes(16).toString('base64url');
          sent.asks++;
          const started = performance.now();
          const ack = await emitAck(socket, 'question:ask', { id, text: `Question ${i} from the bench: what about the historic centre?` });
          record('ask', started, ack);
          if (ack?.ok) {
            asked.push(id);
            askedBy.set(id, i);
          }
          for (const t of voteTimes) {
            await at(t);
            let target: string | undefined;
            for (let tries = 0; tries < 20 && !target; tries++) {
              const pick = asked[Math.floor(Math.random() * asked.length)];
              if (pick && !voted.has(pick) && askedBy.get(pick) !== i) target = pick;
            }
            if (!target) {
              skippedVotes++;
              continue;
            }
            voted.add(target);
            sent.votes++;
            const started = performance.now();
            const v = await emitAck(socket, 'question:vote', { id: target, value: 1 });
            record('vote', started, v);
            // Each device up-votes a question once: every acknowledged vote is one more.
            if (v?.ok) ackedVotes.set(target, (ackedVotes.get(target) ?? 0) + 1);
            else if (!v) unknownVotes.set(target, (unknownVotes.get(target) ?? 0) + 1);
          }
        })(),
      );
    });
    await Promise.all(work);
    const elapsedMs = lastAck - t0;
    const cpu1 = await child.sample(false);
    const load1 = process.cpuUsage(load0);
    const redis1 = store === 'redis' ? await redisCpuMs() : 0;

    // The check: the store's truth, as a fresh moderator reads it. Its snapshot holds the head of
    // each list only (questions at scale): every live and answered question is paged through.
    await sleep(500);
    const { socket: checker } = await readAsModerator('questions');
    const snapshot: Question[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await emitAck(checker, 'questions:more', { offset, limit: 100 });
      if (!page?.ok) throw new Error(`questions:more refused: ${JSON.stringify(page)}`);
      const { items } = page.data as { items: Question[] };
      snapshot.push(...items);
      if (items.length < 100) break;
    }
    let stored = 0;
    let ackedTotal = 0;
    let mismatched = 0;
    let unknown = 0;
    const byId = new Map(snapshot.map((q) => [q.id, q]));
    for (const id of asked) {
      const votes = byId.get(id)?.votes ?? -1;
      const expected = ackedVotes.get(id) ?? 0;
      const maybe = unknownVotes.get(id) ?? 0;
      stored += Math.max(0, votes);
      ackedTotal += expected;
      unknown += maybe;
      // A vote without an answer may or may not have landed; an acknowledged one must have.
      if (votes < expected || votes > expected + maybe) mismatched++;
    }
    const all = [...askLat, ...voteLat];
    return {
      ...facts,
      sent,
      acked,
      refused,
      noAnswer,
      skippedVotes,
      elapsedMs,
      latency: { all: summarize(all), ask: summarize(askLat), vote: summarize(voteLat) },
      check: { questions: asked.length, stored, acked: ackedTotal, mismatched, unknown },
      serverCpuMs: (cpu1.cpuMicros - cpu0.cpuMicros) / 1000,
      phonesCpuMs: (load1.user + load1.system) / 1000,
      redisCpuMs: redis1 - redis0,
    };
  });
}

const pct = (a: number, b: number) => `${Math.round((a / b) * 100)}%`;

/** redis-server's own CPU time (INFO cpu), ms; 0 when it cannot be read. */
async function redisCpuMs(): Promise<number> {
  const redis = await quickRedis(args['redis-url']);
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const num = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
    return (num('used_cpu_sys') + num('used_cpu_user')) * 1000;
  } catch {
    return 0;
  } finally {
    redis.disconnect();
  }
}

function report(r: Result): string[] {
  const lat = (s: Summary) => `p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
  const ops = r.acked.asks + r.acked.votes;
  const refused = Object.entries(r.refused).map(([c, n]) => `${n} ${c}`).join(', ') || 'none';
  const ok = r.check.mismatched === 0 && r.check.questions === r.acked.asks;
  return [
    `${storeLabel(r.store, r.adapter)}: ${ops} operations acknowledged in ${sec(r.elapsedMs)} → ${Math.round(ops / (r.elapsedMs / 1000))} acked ops/s (${r.acked.asks} questions, ${r.acked.votes} votes; sent ${r.sent.asks} + ${r.sent.votes}; refused: ${refused}; no answer: ${r.noAnswer}${r.skippedVotes ? `; ${r.skippedVotes} votes not cast: no question to vote for yet` : ''})`,
    `    ack latency (emit → ack): all ${lat(r.latency.all)} (target p99 < 250 ms) | ask ${lat(r.latency.ask)} | vote ${lat(r.latency.vote)}`,
    `    exact-count check: ${r.check.questions} questions, stored votes ${r.check.stored} = acknowledged ${r.check.acked}${r.check.unknown ? ` (+ ≤ ${r.check.unknown} unanswered)` : ''}; questions whose count differs: ${r.check.mismatched} → ${ok ? 'OK (no lost, no double votes)' : 'FAILED'}`,
    `    CPU during the storm (${sec(r.elapsedMs)}): server ${sec(r.serverCpuMs)} (${pct(r.serverCpuMs, r.elapsedMs)}), simulated phones ${sec(r.phonesCpuMs)} (${pct(r.phonesCpuMs, r.elapsedMs)})${r.store === 'redis' ? `, redis-server ${sec(r.redisCpuMs)} (${pct(r.redisCpuMs, r.elapsedMs)})` : ''} of one core each; ${DEVICES} joins in ${sec(r.join.ms)}${r.join.failed ? `, ${r.join.failed} failed` : ''}`,
  ];
}

const cpus = os.cpus().length;
runStorms(
  'bench-questions',
  {
    stores: storesOf(args.store),
    timeoutSec: Number(args.timeout),
    redisUrl: args['redis-url'],
    header: [
      `Question storm — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}: ${DEVICES} devices each ask 1 question (first ${ASK_WINDOW_MS / 1000} s) and cast ${VOTES} up-votes on distinct questions (by ${WINDOW_MS / 1000} s); post-moderation`,
      'latency = phone emit → its ack (one clock; phones in this process, server in a child, same machine)',
    ],
  },
  storm,
  report,
);
