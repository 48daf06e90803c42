/**
 * The simulated phones: N socket.io-client connections (websocket transport, one connection
 * each), all in the process that makes the Fleet (`npm run bench` makes its fleets in
 * load-generator children, loader.ts). One `state` listener per socket records, for the round in
 * progress, when that phone first sees the target slide page, on the Fleet's clock
 * (performance.now by default; hrNow of clock.ts when the receipts are compared across processes).
 */
import { randomBytes } from 'node:crypto';
import { io as ioClient, type Socket } from 'socket.io-client';
import { sleep } from './stats.ts';

type StateLike = { stage?: { slide?: { page?: number } | null } };

export const newDeviceId = () => randomBytes(12).toString('base64url');

export function openSocket(url: string, auth: Record<string, unknown>): Socket {
  return ioClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
    auth,
  });
}

/** One socket, resolved once connected (rejected on `connect_error`). */
export function connectSocket(url: string, auth: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = openSocket(url, auth);
    s.once('connect', () => resolve(s));
    s.once('connect_error', (err) => reject(err));
  });
}

export interface JoinResult {
  /** Start of the join until the last phone had its first `state`, ms. */
  elapsedMs: number;
  /** The same start and end on the Fleet's clock, ms. */
  startedAt: number;
  endedAt: number;
  failed: number;
  firstError?: string;
}

export class Fleet {
  readonly sockets: Socket[] = [];
  /** Receipt time (on `now`) of the target page, per phone; 0 = not yet. */
  private recv = new Float64Array(0);
  private target = 0;
  private remaining = 0;
  private onComplete: (() => void) | null = null;

  /** `now`: the clock of join and receipt times, ms (must never read 0). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  get size() {
    return this.sockets.length;
  }

  /**
   * Connects `count` phones, at most `concurrency` handshakes in flight; each counts as joined
   * when its first `state` arrives.
   */
  async join(url: string, count: number, authFor: (i: number) => Record<string, unknown>, concurrency: number): Promise<JoinResult> {
    let next = 0;
    let failed = 0;
    let firstError: string | undefined;
    const started = this.now();
    const one = (i: number) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = openSocket(url, authFor(i));
        const timer = setTimeout(() => {
          socket.close();
          reject(new Error('no first state within 30 s'));
        }, 30_000);
        socket.once('connect_error', (err) => {
          clearTimeout(timer);
          socket.close();
          reject(err);
        });
        socket.once('state', () => {
          clearTimeout(timer);
          resolve(socket);
        });
      });
    const worker = async () => {
      while (next < count) {
        const i = next++;
        try {
          this.add(await one(i));
        } catch (err) {
          failed++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    // The last phone's first `state` (a failed phone's rejection may come later: not counted).
    const ended = this.lastJoinedAt || started;
    return { elapsedMs: ended - started, startedAt: started, endedAt: ended, failed, ...(firstError ? { firstError } : {}) };
  }

  private lastJoinedAt = 0;

  private add(socket: Socket) {
    this.lastJoinedAt = this.now();
    const i = this.sockets.length;
    this.sockets.push(socket);
    socket.on('state', (s: StateLike) => {
      if (this.target !== 0 && s.stage?.slide?.page === this.target && this.recv[i] === 0) {
        this.recv[i] = this.now();
        if (--this.remaining === 0) this.onComplete?.();
      }
    });
  }

  /**
   * Starts a round: from now on each phone's first receipt of a `state` showing `page` is
   * recorded. `settle` waits for them all (or `timeoutMs`) and ends the round.
   */
  arm(page: number, timeoutMs: number): { settle: () => Promise<{ recv: Float64Array; missing: number }> } {
    if (this.recv.length !== this.size) this.recv = new Float64Array(this.size);
    this.recv.fill(0);
    this.remaining = this.size;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      this.onComplete = resolve;
      timer = setTimeout(resolve, timeoutMs);
      if (this.size === 0) resolve();
    }).then(() => {
      clearTimeout(timer);
      this.target = 0;
      this.onComplete = null;
      return { recv: Float64Array.from(this.recv), missing: this.remaining };
    });
    this.target = page;
    return { settle: () => done };
  }

  /**
   * One round in this process: `fire(page)` sends the command; returns latency samples (receipt −
   * fire time, ms) of every phone that saw `page` within `timeoutMs`, and the count of those that did not.
   */
  async round(page: number, fire: () => void, timeoutMs: number): Promise<{ latencies: Float64Array; missing: number; completeMs: number }> {
    const { settle } = this.arm(page, timeoutMs);
    const t0 = this.now();
    fire();
    const { recv, missing } = await settle();
    const completeMs = this.now() - t0;
    return { latencies: latenciesFrom(recv, t0), missing, completeMs };
  }

  /** Closes every phone and waits for the sockets to report it. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
    await sleep(200);
  }
}

/** Receipt times (0 = none) minus the fire time `t0`, on the same clock: the latency samples, ms. */
export function latenciesFrom(recv: Float64Array, t0: number): Float64Array {
  const out: number[] = [];
  for (const r of recv) if (r !== 0) out.push(r - t0);
  return Float64Array.from(out);
}
