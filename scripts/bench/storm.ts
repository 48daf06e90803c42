/**
 * What the storms of bench-questions.ts and bench-polls.ts share: their common options, a server
 * child with every domain (questions-server.ts) on each store, its moderator and N joined phones,
 * the ack of one emit, and the run over the stores (a report per store; a line saying FAILED, or a
 * storm that could not run, makes the run exit with 1). What each storm sends and checks is its own.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { ROOT as root, runBench, startChild, stopAfter, type ServerChild } from './child.ts';
import type { ReadyInfo } from './ipc.ts';
import { Fleet, connectSocket, newDeviceId, openSocket, type JoinResult } from './phones.ts';
import { deleteKeys } from './redis.ts';
import { progress, sec, sleep } from './stats.ts';

export type Store = 'memory' | 'redis';

/** The options of every storm (for parseArgs: each bench adds its own, `window` among them). */
export const stormOptions = {
  store: { type: 'string', default: 'both' },
  devices: { type: 'string', default: '2000' },
  concurrency: { type: 'string', default: '200' },
  'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  /** Overall bound, seconds: past it the children are killed. */
  timeout: { type: 'string', default: '300' },
} as const;

/** `--store memory|redis|both`. */
export const storesOf = (arg: string): Store[] => (arg === 'both' ? ['memory', 'redis'] : arg === 'redis' ? ['redis'] : ['memory']);

export type Ack = { ok: true; data?: unknown } | { ok: false; error: { code: string; message: string } };

export const ACK_TIMEOUT_MS = 15_000;

/** Resolves with the ack, or null when none came within the timeout (the outcome is unknown). */
export function emitAck(socket: Socket, event: string, payload: unknown, timeoutMs = ACK_TIMEOUT_MS): Promise<Ack | null> {
  return new Promise((resolve) => socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: Ack) => resolve(err ? null : ack)));
}

/** Sends a moderator command that must be accepted (throws on a refusal or no answer); resolves with its data. */
export async function mustAck(socket: Socket, event: string, payload: unknown): Promise<unknown> {
  const a = await emitAck(socket, event, payload);
  if (!a?.ok) throw new Error(`${event} refused: ${JSON.stringify(a)}`);
  return a.data;
}

/** What every storm's result starts with: where it ran and how the phones joined. */
export interface RoomFacts {
  store: Store;
  /** The Socket.IO adapter between processes (Redis), if any. */
  adapter?: string;
  join: { ms: number; failed: number };
}

/** A storm's room: the server child, the event's moderator and the joined phones. */
export interface Room {
  facts: RoomFacts;
  child: ServerChild;
  info: ReadyInfo;
  moderator: Socket;
  phones: Socket[];
  join: JoinResult;
  /** The store's truth after the storm: a fresh moderator socket, resolved with the first `event` it receives. */
  readAsModerator<T>(event: string): Promise<{ socket: Socket; data: T }>;
}

/** The Redis prefix of the storm under way: the overall timeout deletes its keys. */
let redisPrefix: string | null = null;

/**
 * Starts the server child on `store` (`name`-`store`; `cpuProfDir`: it writes a CPU profile there),
 * connects the moderator and runs `prepare` with it, joins `devices` phones (at most `concurrency`
 * handshakes in flight), waits for presence to settle, and runs `storm` in that room with what
 * `prepare` resolved; then closes every socket and the child, and deletes the Redis keys.
 */
export async function inRoom<P, R>(
  opts: { name: string; store: Store; devices: number; concurrency: number; redisUrl: string; cpuProfDir?: string },
  prepare: (moderator: Socket, info: ReadyInfo) => Promise<P>,
  storm: (room: Room, prepared: P) => Promise<R>,
): Promise<R> {
  const { name, store } = opts;
  const prefix = store === 'redis' ? `tribune-bench-${name[0]}-${randomBytes(6).toString('hex')}` : null;
  redisPrefix = prefix;
  const child = await startChild(
    `${name}-${store}`,
    'scripts/bench/questions-server.ts',
    { store, redisUrl: opts.redisUrl, redisPrefix: prefix },
    { root, ...(opts.cpuProfDir ? { cpuProfDir: opts.cpuProfDir } : {}) },
  );
  const extra: Socket[] = [];
  let fleet: Fleet | null = null;
  try {
    const { info } = child;
    const { eventId, code, moderatorToken, tables = [], languages = ['fr'] } = info;
    const moderator = await connectSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
    extra.push(moderator);
    const prepared = await prepare(moderator, info);

    progress(`${store}: joining ${opts.devices} phones (≤ ${opts.concurrency} in flight)`);
    fleet = new Fleet();
    const join = await fleet.join(
      child.url,
      opts.devices,
      (i) => ({ code, deviceId: newDeviceId(), table: tables[i % tables.length], lang: languages[i % languages.length] }),
      opts.concurrency,
    );
    progress(`${store}: ${fleet.size} joined in ${sec(join.elapsedMs)}${join.failed ? `, ${join.failed} failed (${join.firstError})` : ''}`);
    await sleep(2_500); // presence settles (coalesced every 2 s)

    const readAsModerator = <T>(event: string) =>
      new Promise<{ socket: Socket; data: T }>((resolve, reject) => {
        const s = openSocket(child.url, { eventId, token: moderatorToken, deviceId: newDeviceId() });
        extra.push(s);
        s.once(event, (data: T) => resolve({ socket: s, data }));
        s.once('connect_error', reject);
      });
    const facts: RoomFacts = { store, ...(info.adapter ? { adapter: info.adapter } : {}), join: { ms: join.elapsedMs, failed: join.failed } };
    return await storm({ facts, child, info, moderator, phones: fleet.sockets, join, readAsModerator }, prepared);
  } finally {
    extra.forEach((s) => s.close());
    await fleet?.close();
    await child.close();
    if (prefix) {
      const n = await deleteKeys(opts.redisUrl, prefix);
      redisPrefix = null;
      progress(`redis: deleted ${n} keys under ${prefix}:*`);
    }
  }
}

/** `store embedded (journal on disk)` or `store redis + <adapter> adapter`: how a report line starts. */
export const storeLabel = (store: Store, adapter?: string) =>
  `store ${store === 'memory' ? 'embedded (journal on disk)' : `redis${adapter ? ` + ${adapter} adapter` : ''}`}`;

/**
 * A storm bench's whole run: bounded by `timeoutSec` (the current storm's Redis keys deleted), the
 * `header` lines, then each store's storm and its report lines; exits with 1 if a line says FAILED
 * or a storm could not run.
 */
export function runStorms<R>(
  what: string,
  opts: { stores: Store[]; timeoutSec: number; redisUrl: string; header: string[] },
  storm: (store: Store) => Promise<R>,
  report: (r: R) => string[],
): void {
  stopAfter(opts.timeoutSec, what, () => (redisPrefix ? deleteKeys(opts.redisUrl, redisPrefix) : Promise.resolve(0)));
  runBench(what, async () => {
    for (const line of opts.header) console.log(line);
    let failed = false;
    for (const store of opts.stores) {
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
  });
}
