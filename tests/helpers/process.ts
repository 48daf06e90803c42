/** The real entry point as a user runs it: `tsx server/main.ts` in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, expect } from 'vitest';
import type { Ack } from '../../shared/errors.ts';
import { eventually } from './eventually.ts';
import { exited } from './redis-server.ts';
import { ADMIN_TOKEN, type ClientSocket } from './server.ts';
import type { StoreKind } from './stores.ts';

/** A running `server/main.ts`. */
export interface MainProcess {
  child: ChildProcess;
  /** `http(s)://127.0.0.1:<port>`, as the server printed it. */
  url: string;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `server/main.ts` on a free port of 127.0.0.1 with the test admin token, no Redis and no
 * PUBLIC_URL unless `env` sets them; resolves once it says it is running (within 20 s). The child
 * is added to `children`: the caller kills them at the end.
 */
export async function startMain(env: Record<string, string>, children: ChildProcess[]): Promise<MainProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN, LOG_LEVEL: 'warn', REDIS_URL: '', PUBLIC_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await eventually(
    () => {
      const m = /running on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) throw new Error(`not started yet: ${out}`);
      return `${m[1]}://127.0.0.1:${m[2]}`;
    },
    { timeout: 20_000, interval: 50 },
  );
  return { child, url, output: () => out };
}

/** Kills `child` with SIGKILL (kill -9) and resolves once it has exited. */
export async function kill9(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await exited(child);
}

/** The server processes of a test file, for the kill -9 tests: killed, and their stores deleted, at the end. */
export interface MainProcesses {
  /** `startMain` with `env`. */
  start(env: Record<string, string>): Promise<MainProcess>;
  /**
   * The environment of `server/main.ts` on a fresh location of `kind` (a data folder or a Redis
   * prefix, deleted at the end), plus `extra`: start it again with the same one for a restart.
   */
  envOn(kind: StoreKind, extra?: Record<string, string>): Record<string, string>;
}

/** Registers the `afterAll` of the calling file (or describe) that kills its processes, then deletes their stores. */
export function useMainProcesses(): MainProcesses {
  const children: ChildProcess[] = [];
  const used: [StoreKind, string][] = [];
  afterAll(async () => {
    await Promise.all(children.map(kill9));
    for (const [kind, location] of used) await kind.cleanup(location);
  });
  return {
    start: (env) => startMain(env, children),
    envOn(kind, extra = {}) {
      const location = kind.newLocation();
      used.push([kind, location]);
      return { ...kind.mainEnv(location), ...extra };
    },
  };
}

/** Emits `event` and resolves with its answer, or null when none came within `ms` (the server died). */
export function answerWithin(socket: ClientSocket, event: string, payload: unknown, ms = 3000): Promise<Ack | null> {
  return new Promise((resolve) =>
    (socket.timeout(ms).emit as (...a: unknown[]) => void)(event, payload, (err: Error | null, ack: Ack) => resolve(err ? null : ack)),
  );
}

/**
 * A kill -9 mid-stream: every phone runs `step` again and again (20–50 ms apart) until `main` is
 * killed with SIGKILL, once `acks` steps were acknowledged in all (within 15 s); resolves after
 * the kill, once every phone has stopped. `step(phone, i, n)` sends the n-th command of phone i and
 * resolves whether it was acknowledged: a refusal, or an answer that never comes (the server
 * died), ends that phone's stream, and so does a closed socket.
 */
export async function killMidStream<P extends { socket: ClientSocket }>(
  main: MainProcess,
  phones: P[],
  step: (phone: P, i: number, n: number) => Promise<boolean>,
  acks = 60,
): Promise<void> {
  let acked = 0;
  let stop = false;
  const streams = phones.map(async (p, i) => {
    for (let n = 0; !stop; n++) {
      if (!p.socket.connected || !(await step(p, i, n))) return;
      acked++;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  });
  await eventually(() => expect(acked).toBeGreaterThanOrEqual(acks), { timeout: 15_000 });
  await kill9(main.child);
  stop = true;
  await Promise.all(streams);
}
