/**
 * The join of a long evening: `npm run bench:join -- [--store memory|redis|both] [--questions 2000]
 * [--phones 2000] [--concurrency 500] [--store-ops 2000,10000|none]`
 *
 * A Tribune server (every domain, as deployed) in a child process, its event already holding
 * `questions` questions (stored through its own question store before it listens). From this
 * process, `phones` phones join, `concurrency` at a time: each measures connect → its `questions`
 * snapshot (time and JSON bytes), then one up-vote (emit → ack) while the others keep joining,
 * then one `questions:more` page (emit → ack; a server without it answers "unknown command").
 * Then, in this process, the questions store's own costs with 2 000 and 10 000 questions: the
 * snapshot's read (a page of 50), a page deep in the list, a vote moving a question, against
 * reading every question as a join did before. Prints figures, asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import type { Question } from '../shared/questions.ts';
import { ROOT as root, runBench, startChild, stopAfter } from './bench/child.ts';
import { newDeviceId, openSocket } from './bench/phones.ts';
import { deleteKeys } from './bench/redis.ts';
import { kb, mb, ms, progress, sec, summarize, type Summary } from './bench/stats.ts';
import { measureStore } from './bench/join-store.ts';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    questions: { type: 'string', default: '2000' },
    phones: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '500' },
    /** Seconds a phone waits for its snapshot before it counts as timed out. */
    'join-timeout': { type: 'string', default: '30' },
    'store-ops': { type: 'string', default: '2000,10000' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    timeout: { type: 'string', default: '900' },
  },
  strict: true,
});

const QUESTIONS = Number(args.questions);
const PHONES = Number(args.phones);
const CONCURRENCY = Number(args.concurrency);
const JOIN_TIMEOUT_MS = Number(args['join-timeout']) * 1000;
const stores = args.store === 'both' ? (['memory', 'redis'] as const) : args.store === 'redis' ? (['redis'] as const) : (['memory'] as const);
const redisUrl = args['redis-url'];

type Ack = { ok: true; data?: unknown } | { ok: false; error: { code: string; message: string } };

let redisPrefix: string | null = null;
stopAfter(Number(args.timeout), 'bench-join', () => (redisPrefix ? deleteKeys(redisUrl, redisPrefix) : Promise.resolve(0)));

function emitAck(socket: Socket, event: string, payload: unknown): Promise<Ack | null> {
  return new Promise((resolve) => socket.timeout(15_000).emit(event, payload, (err: Error | null, ack: Ack) => resolve(err ? null : ack)));
}

interface Phone {
  joinMs: number | null;
  bytes: number;
  items: number;
  voteMs: number | null;
  moreMs: number | null;
  moreBytes: number;
  /** The server answered `questions:more` with "unknown command". */
  noMore: boolean;
}

/** One phone: connect → snapshot → a vote → a page. Its socket stays open (the room fills up). */
async function phone(url: string, code: string, sockets: Socket[]): Promise<Phone> {
  const out: Phone = { joinMs: null, bytes: 0, items: 0, voteMs: null, moreMs: null, moreBytes: 0, noMore: false };
  const t0 = performance.now();
  const socket = openSocket(url, { code, deviceId: newDeviceId() });
  sockets.push(socket);
  const snapshot = await new Promise<Question[] | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), JOIN_TIMEOUT_MS);
    socket.once('questions', (list: Question[]) => {
      clearTimeout(timer);
      resolve(list);
    });
    socket.once('connect_error', () => resolve(null));
  });
  if (!snapshot) return out;
  out.joinMs = performance.now() - t0;
  out.bytes = Buffer.byteLength(JSON.stringify(snapshot));
  out.items = snapshot.length;
  const live = snapshot.filter((q) => q.status === 'live');
  const target = live[Math.floor(Math.random() * live.length)];
  if (target) {
    const t1 = performance.now();
    const ack = await emitAck(socket, 'question:vote', { id: target.id, value: 1 });
    if (ack?.ok) out.voteMs = performance.now() - t1;
  }
  const t2 = performance.now();
  const more = await emitAck(socket, 'questions:more', { offset: 50, limit: 50 });
  if (more?.ok) {
    out.moreMs = performance.now() - t2;
    out.moreBytes = Buffer.byteLength(JSON.stringify(more.data));
  } else if (more && more.error.code === 'NOT_FOUND') out.noMore = true;
  return out;
}

async function joinStorm(store: 'memory' | 'redis') {
  const prefix = store === 'redis' ? `tribune-bench-join-${randomBytes(6).toString('hex')}` : null;
  redisPrefix = prefix;
  progress(`${store}: server with ${QUESTIONS} questions stored`);
  const child = await startChild(`join-${store}`, 'scripts/bench/join-server.ts', { store, redisUrl, redisPrefix: prefix, questions: QUESTIONS }, { root, readyTimeoutMs: 180_000 });
  const sockets: Socket[] = [];
  try {
    const { code } = child.info;
    progress(`${store}: ${PHONES} phones joining, ${CONCURRENCY} at a time`);
    const cpu0 = await child.sample(false);
    const started = performance.now();
    const phones: Phone[] = [];
    // A server that dies (out of memory, say) must say so, not leave this process waiting on it.
    const died = new Promise<never>((_, reject) =>
      child.proc.once('exit', (code, signal) => {
        const had = phones.filter((p) => p.joinMs !== null).length;
        reject(new Error(`the server process died (${signal ?? `exit code ${code}`}) ${sec(performance.now() - started)} into the joins, when ${had} phones had had their snapshot`));
      }),
    );
    let next = 0;
    const worker = async () => {
      while (next < PHONES) {
        next++;
        phones.push(await phone(child.url, code!, sockets));
      }
    };
    await Promise.race([Promise.all(Array.from({ length: Math.min(CONCURRENCY, PHONES) }, worker)), died]);
    const elapsedMs = performance.now() - started;
    const cpu1 = await Promise.race([child.sample(false), died]);
    const joined = phones.filter((p) => p.joinMs !== null);
    const num = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
    return {
      store,
      elapsedMs,
      serverCpuMs: (cpu1.cpuMicros - cpu0.cpuMicros) / 1000,
      timedOut: PHONES - joined.length,
      over10s: joined.filter((p) => p.joinMs! > 10_000).length,
      join: summarize(num(joined.map((p) => p.joinMs))),
      bytes: summarize(joined.map((p) => p.bytes)),
      items: summarize(joined.map((p) => p.items)),
      totalBytes: joined.reduce((a, p) => a + p.bytes, 0),
      vote: summarize(num(phones.map((p) => p.voteMs))),
      more: summarize(num(phones.map((p) => p.moreMs))),
      moreBytes: summarize(phones.filter((p) => p.moreMs !== null).map((p) => p.moreBytes)),
      noMore: phones.some((p) => p.noMore),
    };
  } finally {
    sockets.forEach((s) => s.close());
    await child.close();
    if (prefix) {
      const n = await deleteKeys(redisUrl, prefix);
      redisPrefix = null;
      progress(`redis: deleted ${n} keys under ${prefix}:*`);
    }
  }
}

const lat = (s: Summary) => `p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)} (n=${s.count})`;

async function main() {
  const cpus = os.cpus().length;
  console.log(`Join of a long evening — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}: ${QUESTIONS} questions stored, ${PHONES} phones join (${CONCURRENCY} at a time; timeout ${JOIN_TIMEOUT_MS / 1000} s)`);
  console.log('times = this process, one clock (phones here, server in a child, same machine); bytes = JSON of the payload');
  for (const store of stores) {
    try {
      const r = await joinStorm(store);
      console.log(`store ${r.store === 'memory' ? 'embedded (journal on disk)' : 'redis + redis-streams adapter'}: ${PHONES - r.timedOut}/${PHONES} phones had their snapshot in ${sec(r.elapsedMs)}; ${r.timedOut} timed out, ${r.over10s} took over 10 s`);
      console.log(`    join (connect → questions snapshot): ${lat(r.join)}`);
      console.log(`    snapshot per phone: ${kb(r.bytes.mean)} mean, ${kb(r.bytes.max)} max, ${Math.round(r.items.mean)} questions mean; all phones: ${mb(r.totalBytes)}`);
      console.log(`    vote ack during the join (emit → ack): ${lat(r.vote)}`);
      console.log(
        r.noMore ? '    questions:more: not on this server' : `    questions:more {offset 50, limit 50} ack: ${lat(r.more)}; ${kb(r.moreBytes.mean)} a page`,
      );
      console.log(`    server CPU during the joins: ${sec(r.serverCpuMs)} (${Math.round((r.serverCpuMs / r.elapsedMs) * 100)}% of one core)`);
    } catch (err) {
      console.log(`store ${store}: the join could not run: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const sizes = args['store-ops'] === 'none' ? [] : args['store-ops'].split(',').map(Number).filter((n) => n > 0);
  for (const store of stores) for (const n of sizes) console.log(await measureStore(store, n, redisUrl));
}

runBench('bench-join', main);
