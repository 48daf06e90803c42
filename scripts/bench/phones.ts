/**
 * The simulated phones: N socket.io-client connections (websocket transport, one connection
 * each), all in this process. One shared `state` listener per socket records, for the round in
 * progress, when that phone first sees the target slide page.
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
  failed: number;
  firstError?: string;
}

export class Fleet {
  readonly sockets: Socket[] = [];
  /** Receipt time (performance.now) of the target page, per phone; 0 = not yet. */
  private recv = new Float64Array(0);
  private target = 0;
  private remaining = 0;
  private onComplete: (() => void) | null = null;

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
    const started = performance.now();
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
    return { elapsedMs: performance.now() - started, failed, ...(firstError ? { firstError } : {}) };
  }

  private add(socket: Socket) {
    const i = this.sockets.length;
    this.sockets.push(socket);
    socket.on('state', (s: StateLike) => {
      if (this.target !== 0 && s.stage?.slide?.page === this.target && this.recv[i] === 0) {
        this.recv[i] = performance.now();
        if (--this.remaining === 0) this.onComplete?.();
      }
    });
  }

  /**
   * One round: `fire(page)` sends the command; returns latency samples (receipt − fire time, ms)
   * of every phone that saw `page` within `timeoutMs`, and the count of those that did not.
   */
  async round(page: number, fire: () => void, timeoutMs: number): Promise<{ latencies: Float64Array; missing: number; completeMs: number }> {
    if (this.recv.length !== this.size) this.recv = new Float64Array(this.size);
    this.recv.fill(0);
    this.remaining = this.size;
    const complete = new Promise<void>((resolve) => (this.onComplete = resolve));
    this.target = page;
    const t0 = performance.now();
    fire();
    await Promise.race([complete, sleep(timeoutMs)]);
    const completeMs = performance.now() - t0;
    this.target = 0;
    this.onComplete = null;
    const latencies: number[] = [];
    let missing = 0;
    for (let i = 0; i < this.size; i++) {
      const r = this.recv[i]!;
      if (r === 0) missing++;
      else latencies.push(r - t0);
    }
    return { latencies: Float64Array.from(latencies), missing, completeMs };
  }

  /** Closes every phone and waits for the sockets to report it. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.close();
    this.sockets.length = 0;
    await sleep(200);
  }
}
