/**
 * The IPC contract between the bench (parent, which runs the phones) and its server children.
 * Each child runs one server on 127.0.0.1:0, says `ready`, then answers requests by `id`.
 */

import { performance } from 'node:perf_hooks';

/** What a server child reports about its own process. */
export interface ProcessSample {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** process.cpuUsage(): user + system, µs. */
  cpuMicros: number;
  /** performance.eventLoopUtilization().active, ms. */
  eluActiveMs: number;
  /** Monotonic clock of the child, ms. */
  now: number;
}

export type ParentMessage =
  | { type: 'sample'; id: number; gc: boolean }
  | { type: 'close'; id: number };

export type ChildMessage =
  | { type: 'ready'; port: number; info: ReadyInfo }
  | { type: 'skip'; reason: string }
  | { type: 'sample'; id: number; sample: ProcessSample }
  | { type: 'closed'; id: number };

export interface ReadyInfo {
  /** Tribune: the event to join and the moderator secret. */
  eventId?: string;
  code?: string;
  moderatorToken?: string;
  /** First agenda item (the moderator puts it on stage). */
  firstItemId?: string;
  tables?: string[];
  languages?: string[];
  /** Captions bench: the interpreter secret of each language. */
  interpreterTokens?: Record<string, string>;
  store?: string;
  adapter?: string;
}

/** Takes a measurement of this process (after two full GCs when asked and exposed). */
export function sampleProcess(gc: boolean): ProcessSample {
  const g = (globalThis as { gc?: () => void }).gc;
  if (gc && g) {
    g();
    g();
  }
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    rss: m.rss,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuMicros: cpu.user + cpu.system,
    eluActiveMs: performance.eventLoopUtilization().active,
    now: performance.now(),
  };
}

/** Wires `process.on('message')` of a child to the sample/close requests. */
export function serveParent(close: () => Promise<void>): void {
  const send = (m: ChildMessage) => process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as ParentMessage;
    if (m.type === 'sample') send({ type: 'sample', id: m.id, sample: sampleProcess(m.gc) });
    else if (m.type === 'close') {
      close().then(
        () => {
          send({ type: 'closed', id: m.id });
          // Let the IPC message flush, then leave (also writes --cpu-prof output if asked).
          setTimeout(() => process.exit(0), 50);
        },
        (err) => {
          console.error('bench server close failed:', err);
          process.exit(1);
        },
      );
    }
  });
  // The parent died (overall timeout, ^C): do not linger.
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------
// The bench and its load-generator children (loader.ts, loaders.ts). Each loader holds a share of
// every system's phones, in fleets named by the bench ('tribune', 'bare'); times are hrNow()
// (clock.ts), comparable across the processes.

/** How a loader makes the `auth` of its phone number `i` (0-based over all the loaders' phones). */
export type PhoneAuthSpec =
  | { kind: 'bare' }
  /** A guest of the demo event: its code, a fresh device, tables and languages taken in turn. */
  | { kind: 'guest'; code: string; tables: string[]; languages: string[] };

export type LoaderRequest =
  | { type: 'clock'; id: number }
  /** Connects phones `from` … `from + count - 1` into `fleet`, ≤ `concurrency` handshakes in flight. */
  | { type: 'join'; id: number; fleet: string; url: string; from: number; count: number; auth: PhoneAuthSpec; concurrency: number }
  /** Full GC of the loader (if `gc`), then starts recording receipts of `page`; answered at once. */
  | { type: 'arm'; id: number; fleet: string; page: number; timeoutMs: number; gc: boolean }
  /** Answered when every phone of the armed round has its receipt, or at its timeout. */
  | { type: 'collect'; id: number; fleet: string }
  | { type: 'close-fleet'; id: number; fleet: string }
  | { type: 'exit'; id: number };

export type LoaderAnswer =
  | { type: 'ready' }
  | { type: 'clock'; id: number; now: number }
  /** `cpuMicros`: the loader's CPU time (user + system) during the join, µs. */
  | { type: 'joined'; id: number; size: number; failed: number; firstError?: string; startedAt: number; endedAt: number; cpuMicros: number }
  | { type: 'armed'; id: number }
  | {
      type: 'collected';
      id: number;
      /** hrNow() of each phone's receipt, 0 = none within the timeout. */
      recv: Float64Array;
      missing: number;
      /** GC time of the loader between `arm` and the end of the round, ms. */
      gcMs: number;
      /** CPU time of the loader (user + system) between `arm` and the end of the round, µs. */
      cpuMicros: number;
    }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; message: string };
