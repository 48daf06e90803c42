/**
 * Parent side of the load generators (loader.ts): K forked children, each holding a contiguous
 * share of every fleet's phones. The bench fires a command itself and gets back every phone's
 * receipt time on the shared clock (clock.ts hrNow).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hrNow } from './clock.ts';
import { liveChildren } from './child.ts';
import type { LoaderAnswer, LoaderRequest, PhoneAuthSpec } from './ipc.ts';

type Answer<T extends LoaderAnswer['type']> = Extract<LoaderAnswer, { type: T }>;
/** A request without its id (distributes over the union). */
type Request = LoaderRequest extends infer R ? (R extends LoaderRequest ? Omit<R, 'id'> : never) : never;

export interface PoolJoin {
  /** The fleet's start (the bench's hrNow before the first request) to the last phone's first `state`, ms. */
  elapsedMs: number;
  connected: number;
  failed: number;
  firstError?: string;
  /** CPU time of the loaders during their joins, summed, ms. */
  loadersCpuMs: number;
}

export interface PoolRound {
  /** hrNow() of each phone's receipt (0 = none), one array per loader. */
  recv: Float64Array[];
  missing: number;
  /** Summed over the loaders. */
  gcMs: number;
  cpuMicros: number;
}

class Loader {
  private nextId = 1;
  private pending = new Map<number, { resolve: (m: LoaderAnswer) => void; reject: (e: Error) => void }>();
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (raw) => {
      const m = raw as LoaderAnswer;
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'failed') p?.reject(new Error(`${name}: ${m.message}`));
      else p?.resolve(m);
    });
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        liveChildren.delete(proc);
        for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code ?? signal})`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  request<T extends LoaderAnswer['type']>(m: Request, expect: T): Promise<Answer<T>> {
    const id = this.nextId++;
    return new Promise<LoaderAnswer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send({ ...m, id } as LoaderRequest, (err) => {
        if (err) {
          this.pending.delete(id);
          reject(err);
        }
      });
    }).then((a) => {
      if (a.type !== expect) throw new Error(`${this.name}: answered ${a.type} to ${m.type}`);
      return a as Answer<T>;
    });
  }
}

export class LoaderPool {
  private constructor(private readonly loaders: Loader[]) {}

  get size() {
    return this.loaders.length;
  }

  /** Forks `count` loaders and checks that they share the bench's clock. */
  static async start(count: number, opts: { root: string; cpuProfDir?: string }): Promise<LoaderPool> {
    const loaders = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const name = `loader-${i + 1}`;
        // A young generation of 64 MB semi-spaces: every received `state` (a 2.6 KB frame, its
        // string, the parsed object) dies young, but at thousands per second the default 16 MB
        // made scavenges take about a third of a loader's CPU in the rounds (--cpu-prof) and
        // ~150-200 ms per round at N=10 000; with 64 MB, ~15 ms. The servers keep V8's defaults.
        const execArgv = ['--expose-gc', '--max-semi-space-size=64', '--import', 'tsx'];
        if (opts.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.join(opts.cpuProfDir, name)}`);
        const proc = fork(path.resolve(opts.root, 'scripts/bench/loader.ts'), [], {
          cwd: opts.root,
          execArgv,
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          serialization: 'advanced',
        });
        liveChildren.add(proc);
        const loader = new Loader(name, proc);
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${name}: not ready after 30 s`)), 30_000);
          proc.on('message', (m: LoaderAnswer) => {
            if (m.type === 'ready') {
              clearTimeout(timer);
              resolve();
            }
          });
          void loader.exited.then(() => {
            clearTimeout(timer);
            reject(new Error(`${name} exited before it was ready`));
          });
        });
        return loader;
      }),
    );
    const pool = new LoaderPool(loaders);
    await pool.checkClock();
    return pool;
  }

  /**
   * The receipts are only comparable with the bench's fire time if every loader reads the same
   * clock: the loader's reading must fall between the two readings of the bench around the request.
   */
  private async checkClock() {
    for (const l of this.loaders) {
      for (let i = 0; i < 5; i++) {
        const before = hrNow();
        const { now } = await l.request({ type: 'clock' }, 'clock');
        const after = hrNow();
        if (now < before || now > after) {
          throw new Error(`${l.name}: its clock read ${(now - before).toFixed(3)} ms after the request, ${(after - before).toFixed(3)} ms round trip: not one clock`);
        }
      }
    }
  }

  /** Splits `count` phones over the loaders (contiguous ranges, sizes differing by at most one). */
  private shares(count: number): { from: number; count: number }[] {
    const k = this.loaders.length;
    return this.loaders.map((_, j) => {
      const from = Math.floor((count * j) / k);
      return { from, count: Math.floor((count * (j + 1)) / k) - from };
    });
  }

  /** Connects `count` phones into `fleet`, `concurrency` handshakes in flight in all. */
  async join(fleet: string, url: string, count: number, auth: PhoneAuthSpec, concurrency: number): Promise<PoolJoin> {
    const perLoader = Math.max(1, Math.ceil(concurrency / this.loaders.length));
    const started = hrNow();
    const answers = await Promise.all(
      this.shares(count).map((s, j) => this.loaders[j]!.request({ type: 'join', fleet, url, from: s.from, count: s.count, auth, concurrency: perLoader }, 'joined')),
    );
    const failed = answers.reduce((n, a) => n + a.failed, 0);
    const firstError = answers.find((a) => a.firstError)?.firstError;
    return {
      elapsedMs: Math.max(...answers.map((a) => a.endedAt)) - started,
      connected: answers.reduce((n, a) => n + a.size, 0),
      loadersCpuMs: answers.reduce((n, a) => n + a.cpuMicros, 0) / 1000,
      failed,
      ...(firstError ? { firstError } : {}),
    };
  }

  /** Every loader starts recording receipts of `page` on `fleet` (after a full GC of its own if `gc`). */
  async arm(fleet: string, page: number, timeoutMs: number, gc: boolean): Promise<void> {
    await Promise.all(this.loaders.map((l) => l.request({ type: 'arm', fleet, page, timeoutMs, gc }, 'armed')));
  }

  /** Waits for the armed round to end on every loader. */
  async collect(fleet: string): Promise<PoolRound> {
    const answers = await Promise.all(this.loaders.map((l) => l.request({ type: 'collect', fleet }, 'collected')));
    return {
      recv: answers.map((a) => a.recv),
      missing: answers.reduce((n, a) => n + a.missing, 0),
      gcMs: answers.reduce((n, a) => n + a.gcMs, 0),
      cpuMicros: answers.reduce((n, a) => n + a.cpuMicros, 0),
    };
  }

  async closeFleet(fleet: string): Promise<void> {
    await Promise.all(this.loaders.map((l) => l.request({ type: 'close-fleet', fleet }, 'done')));
  }

  /** Closes every phone and ends the loaders (killed after 10 s). */
  async close(): Promise<void> {
    await Promise.all(
      this.loaders.map(async (l) => {
        if (l.proc.exitCode !== null || l.proc.signalCode !== null) return;
        const kill = setTimeout(() => l.proc.kill('SIGKILL'), 10_000);
        try {
          await Promise.race([l.request({ type: 'exit' }, 'done').then(() => l.exited), l.exited]);
        } catch {
          // exited meanwhile
        } finally {
          clearTimeout(kill);
        }
        await l.exited;
      }),
    );
  }
}

/**
 * Open files one process may have: Node raises its soft RLIMIT_NOFILE to the hard limit at start
 * (so children get the hard limit whatever `ulimit -n` says); read from /proc (Linux), else null.
 */
export function openFileLimit(): number | null {
  try {
    const line = fs
      .readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (!soft) return null;
    return soft === 'unlimited' ? Infinity : Number.parseInt(soft, 10);
  } catch {
    return null;
  }
}
