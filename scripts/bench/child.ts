/** Parent side of a bench server child: fork with --expose-gc under tsx, then request/answer over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, ProcessSample, ReadyInfo } from './ipc.ts';

export interface ServerChild {
  name: string;
  port: number;
  url: string;
  info: ReadyInfo;
  proc: ChildProcess;
  sample(gc?: boolean): Promise<ProcessSample>;
  /** Asks the server to close and waits for the process to exit (killed after 10 s). */
  close(): Promise<void>;
}

/** The repository's root (children run from there). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every child alive, so the overall timeout and ^C can kill them. */
export const liveChildren = new Set<ChildProcess>();

/**
 * Bounds a whole bench run: after `seconds` it kills every server child, runs `cleanup` if any
 * (its failure ignored) and exits with 1.
 */
export function stopAfter(seconds: number, what: string, cleanup?: () => Promise<unknown>): void {
  setTimeout(() => {
    console.error(`${what}: overall timeout (${seconds} s); stopping the server children`);
    for (const c of liveChildren) c.kill('SIGKILL');
    if (!cleanup) process.exit(1);
    void cleanup().catch(() => undefined).then(() => process.exit(1));
  }, seconds * 1000).unref();
}

/** Runs a bench's `main`: exits with 0 after it, or prints the failure, kills the children and exits with 1. */
export function runBench(what: string, main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      for (const c of liveChildren) c.kill('SIGKILL');
      process.exit(1);
    },
  );
}

export class SkipError extends Error {}

export async function startChild(
  name: string,
  script: string,
  arg: unknown,
  opts: { root: string; cpuProfDir?: string; readyTimeoutMs?: number },
): Promise<ServerChild> {
  const execArgv = ['--expose-gc', '--import', 'tsx'];
  // One folder per child: the main thread's profile is the largest file (the tsx loader thread writes one too).
  if (opts.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.join(opts.cpuProfDir, name)}`);
  const proc = fork(path.resolve(opts.root, script), [JSON.stringify(arg)], {
    cwd: opts.root,
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  liveChildren.add(proc);
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      liveChildren.delete(proc);
      resolve();
    }),
  );

  let nextId = 1;
  const pending = new Map<number, (m: ChildMessage) => void>();
  const request = (m: ParentMessage) =>
    new Promise<ChildMessage>((resolve, reject) => {
      pending.set(m.id, resolve);
      proc.send(m, (err) => err && reject(err));
    });

  const ready = await new Promise<{ port: number; info: ReadyInfo }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after ${opts.readyTimeoutMs ?? 30_000} ms`)), opts.readyTimeoutMs ?? 30_000);
    proc.on('message', (raw) => {
      const m = raw as ChildMessage;
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve({ port: m.port, info: m.info });
      } else if (m.type === 'skip') {
        clearTimeout(timer);
        reject(new SkipError(m.reason));
      } else if ('id' in m) {
        pending.get(m.id)?.(m);
        pending.delete(m.id);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited with ${code} before it was ready`));
    });
  });

  return {
    name,
    port: ready.port,
    url: `http://127.0.0.1:${ready.port}`,
    info: ready.info,
    proc,
    async sample(gc = true) {
      const m = await request({ type: 'sample', id: nextId++, gc });
      if (m.type !== 'sample') throw new Error(`${name}: unexpected answer ${m.type}`);
      return m.sample;
    },
    async close() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      try {
        await Promise.race([request({ type: 'close', id: nextId++ }).then(() => exited), exited]);
      } finally {
        clearTimeout(kill);
      }
      await exited;
    },
  };
}
