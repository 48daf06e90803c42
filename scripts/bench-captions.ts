/**
 * `npm run bench:captions [-- --phones 1000 --rate 5 --seconds 10 --store memory|redis]`
 *
 * Six interpreters (one per language of the demo event) each send `--rate` interim caption
 * updates per second to `--phones` phones split evenly across their languages. Latency is
 * keystroke-to-phone: the interpreter's emit → the phone's receipt of that caption (one clock:
 * interpreters and phones live in this process; the server in a child). Measured on Tribune and on
 * a bare Socket.IO relay (one room per language, same payload) in the same run, in alternating
 * phases (T B T B) so both see the load process in the same state. Prints figures, asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Socket } from 'socket.io-client';
import { ROOT as root, runBench, startChild, stopAfter, type ServerChild } from './bench/child.ts';
import { newDeviceId, openSocket } from './bench/phones.ts';
import { deleteKeys } from './bench/redis.ts';
import { ms, ratio, sec, sleep, summarize } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    phones: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    store: { type: 'string', default: 'memory' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    timeout: { type: 'string', default: '300' },
    /** Alternating phases per system (each `seconds / phases` long). */
    phases: { type: 'string', default: '4' },
  },
  strict: true,
});
const PHONES = Number(args.phones);
const RATE = Number(args.rate);
const PHASE_MS = Number(args.seconds) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const STORE = args.store === 'redis' ? 'redis' : 'memory';
const redisPrefix = `tribune-bench-captions-${randomBytes(6).toString('hex')}`;
const CONCURRENCY = 200;
const PHASES = Math.max(1, Number(args.phases));
// A full GC of this (load) process between phases, outside the timed windows: 2000 client sockets
// make a big heap here, and real phones do not share one.
v8.setFlagsFromString('--expose-gc');
const clientGc = vm.runInNewContext('gc') as () => void;
/** A segment is this many interim updates long, then the next one starts. */
const UPDATES_PER_SEGMENT = 15;
const FILLER = 'y la gestión del centro histórico de la ciudad';

stopAfter(Number(args.timeout), 'bench-captions');

type Ack = { ok: boolean; error?: { code: string } };

interface System {
  label: string;
  child: ServerChild;
  phones: Socket[];
  interpreters: { lang: string; socket: Socket }[];
  push(socket: Socket, id: string, text: string): Promise<Ack>;
  /** Phones per language (to count the receipts expected). */
  perLang: Map<string, number>;
  samples: number[];
  expected: number;
  refused: Map<string, number>;
  cpuMicros: number;
  pushes: number;
}

/** Send time of each caption text in flight (texts are unique per run). */
const sentAt = new Map<string, number>();
let recording: System | null = null;

function connectOne(url: string, auth: Record<string, unknown>, firstEvent: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = openSocket(url, auth);
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no ${firstEvent} within 30 s`));
    }, 30_000);
    s.once('connect_error', (err) => {
      clearTimeout(timer);
      s.close();
      reject(err);
    });
    s.once(firstEvent, () => {
      clearTimeout(timer);
      resolve(s);
    });
  });
}

async function joinPhones(sys: System, url: string, languages: string[], authFor: (lang: string) => Record<string, unknown>, first: string) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < PHONES) {
      const lang = languages[next++ % languages.length]!;
      const s = await connectOne(url, authFor(lang), first);
      sys.perLang.set(lang, (sys.perLang.get(lang) ?? 0) + 1);
      s.on('caption', (c: { text: string }) => {
        if (recording !== sys) return;
        const t0 = sentAt.get(c.text);
        if (t0 !== undefined) sys.samples.push(performance.now() - t0);
      });
      sys.phones.push(s);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  process.stderr.write(`  · ${sys.label}: ${sys.phones.length} phones joined in ${sec(performance.now() - started)}\n`);
}

/** A system with nobody joined yet; its interpreters push interim captions with `pushEvent`. */
function newSystem(label: string, child: ServerChild, pushEvent: string): System {
  return {
    label,
    child,
    phones: [],
    interpreters: [],
    push: (socket, id, text) => new Promise((resolve) => socket.emit(pushEvent, { id, text, final: false }, resolve)),
    perLang: new Map(),
    samples: [],
    expected: 0,
    refused: new Map(),
    cpuMicros: 0,
    pushes: 0,
  };
}

async function setupTribune(): Promise<System> {
  const config = STORE === 'redis' ? { store: 'redis', redisUrl: args['redis-url'], redisPrefix } : { store: 'memory' };
  const child = await startChild('tribune-captions', 'scripts/bench/captions-server.ts', config, { root });
  const info = child.info;
  const languages = info.languages!;
  const moderator = await connectOne(child.url, { eventId: info.eventId, token: info.moderatorToken, deviceId: newDeviceId() }, 'state');
  await new Promise<void>((resolve) => moderator.emit('agenda:go', { itemId: info.firstItemId }, () => resolve()));
  moderator.close();
  const sys = newSystem('tribune', child, 'caption:push');
  for (const lang of languages) {
    const token = info.interpreterTokens![lang]!;
    sys.interpreters.push({ lang, socket: await connectOne(child.url, { eventId: info.eventId, token, deviceId: newDeviceId() }, 'state') });
  }
  await joinPhones(sys, child.url, languages, (lang) => ({ code: info.code, lang, deviceId: newDeviceId() }), 'state');
  return sys;
}

async function setupBare(languages: string[]): Promise<System> {
  const child = await startChild('bare-captions', 'scripts/bench/captions-bare.ts', {}, { root });
  const sys = newSystem('bare', child, 'push');
  for (const lang of languages) sys.interpreters.push({ lang, socket: await connectOne(child.url, { lang, deviceId: newDeviceId() }, 'connect') });
  await joinPhones(sys, child.url, languages, (lang) => ({ lang, deviceId: newDeviceId() }), 'connect');
  return sys;
}

let counter = 0;

/** One phase: every interpreter types at RATE updates/s for `durationMs`. */
async function phase(sys: System, durationMs: number, record: boolean) {
  clientGc();
  recording = record ? sys : null;
  const cpu0 = await sys.child.sample(false);
  const interval = 1000 / RATE;
  const started = performance.now();
  const timers = sys.interpreters.map(({ lang, socket }, k) => {
    let n = 0;
    let seg = `${sys.label}-${lang}-${counter++}`;
    const tick = () => {
      if (performance.now() - started >= durationMs) return;
      if (n > 0 && n % UPDATES_PER_SEGMENT === 0) seg = `${sys.label}-${lang}-${counter++}`;
      n++;
      const text = `${seg} ${n} ${FILLER.slice(0, 10 + ((n * 7) % 36))}`;
      sentAt.set(text, performance.now());
      if (record) {
        sys.pushes++;
        sys.expected += sys.perLang.get(lang) ?? 0;
      }
      void sys.push(socket, seg, text).then((ack) => {
        if (!ack.ok && record) {
          const code = ack.error?.code ?? '?';
          sys.refused.set(code, (sys.refused.get(code) ?? 0) + 1);
          sys.expected -= sys.perLang.get(lang) ?? 0;
        }
      });
    };
    // Interpreters do not type in lockstep: spread their first keystroke over one interval.
    const first = setTimeout(() => {
      tick();
      handles.push(setInterval(tick, interval));
    }, (k * interval) / sys.interpreters.length);
    const handles: ReturnType<typeof setInterval>[] = [];
    return { first, handles };
  });
  await sleep(durationMs + 20);
  for (const t of timers) {
    clearTimeout(t.first);
    t.handles.forEach(clearInterval);
  }
  await sleep(500); // let the last captions land
  const cpu1 = await sys.child.sample(false);
  if (record) sys.cpuMicros += cpu1.cpuMicros - cpu0.cpuMicros;
  recording = null;
  sentAt.clear();
}

async function main() {
  const cpus = os.cpus().length;
  console.log(
    `Tribune captions bench — ${cpus} CPU${cpus > 1 ? 's' : ''}, Node ${process.version}, store ${STORE}; ` +
      `${PHONES} phones split across 6 languages, 6 interpreters × ${RATE} interim updates/s, ${PHASE_MS / 1000} s each in ${PHASES} alternating phases (T B B T …, +${WARMUP_MS / 1000} s warm-up each)`,
  );
  console.log('latency = interpreter emit of caption:push → phone receipt of that caption (one clock; server in a child process)');
  const tribune = await setupTribune();
  const bare = await setupBare([...tribune.perLang.keys()]);
  try {
    await phase(tribune, WARMUP_MS, false);
    await phase(bare, WARMUP_MS, false);
    for (let i = 0; i < PHASES; i++) for (const sys of i % 2 ? [bare, tribune] : [tribune, bare]) await phase(sys, PHASE_MS / PHASES, true);
    const lines: string[] = [];
    const t = summarize(tribune.samples);
    const b = summarize(bare.samples);
    const lat = (s: ReturnType<typeof summarize>) => `p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`;
    lines.push(
      `captions N=${PHONES} interpreters=6×${RATE}/s  tribune ${lat(t)} | bare ${lat(b)} | ratio p50 ${ratio(t.p50, b.p50)}  p99 ${ratio(t.p99, b.p99)}  (target p99 ≤ 1.2× and < 100 ms)`,
    );
    for (const sys of [tribune, bare]) {
      const missing = sys.expected - sys.samples.length;
      const refused = [...sys.refused].map(([c, n]) => `${n} ${c}`).join(', ');
      lines.push(
        `    ${sys.label}: ${sys.pushes} updates sent, ${sys.samples.length} receipts${missing ? ` (${missing} missing)` : ''}${refused ? `, refused: ${refused}` : ''}; ` +
          `server CPU ${ms(sys.cpuMicros / 1000 / (PHASE_MS / 1000))} per second of captioning`,
      );
    }
    console.log(lines.join('\n'));
  } finally {
    for (const sys of [tribune, bare]) {
      sys.phones.forEach((s) => s.close());
      sys.interpreters.forEach((i) => i.socket.close());
      await sys.child.close();
    }
    if (STORE === 'redis') await deleteKeys(args['redis-url'], redisPrefix);
  }
}

runBench('bench-captions', main);
