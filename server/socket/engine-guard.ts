/**
 * Bounds on raw connections, below Socket.IO's handshake (PROTOCOL v2 "Per-address allowances"):
 * - per address, at most `maxPerAddress` open connections (refused at the HTTP upgrade beyond);
 *   the handshake's own bound on attendee sockets is lower, so this only meets connections that
 *   never complete a handshake;
 * - a connection that does not read what it is sent (a stalled phone, a script) is closed once it
 *   holds more than `maxBufferedBytes` or `maxQueuedPackets` here, instead of growing the heap.
 */
import type { IncomingMessage } from 'node:http';
import { addressOf } from './allowances.ts';
import type { TribuneServer } from './types.ts';

export interface EngineGuardOptions {
  trust: (addr: string, hop: number) => boolean;
  /** 0: unbounded. */
  maxPerAddress: number;
  maxBufferedBytes: number;
  maxQueuedPackets: number;
  sweepMs: number;
}

export const DEFAULT_ENGINE_GUARD = { maxBufferedBytes: 8 * 1024 * 1024, maxQueuedPackets: 10_000, sweepMs: 2000 };

/** What the engine keeps unsent for one connection (its queue, and the websocket's buffer). */
interface EngineConn {
  request: IncomingMessage;
  readyState: string;
  transport: { name: string; socket?: { bufferedAmount?: number; terminate?(): void } };
  close(discard?: boolean): void;
  on(event: 'close', fn: () => void): void;
}

export function guardEngine(io: TribuneServer, options: EngineGuardOptions): { stop(): void } {
  const open = new Map<string, number>();
  const engine = io.engine as unknown as {
    opts: { allowRequest?: (req: IncomingMessage, fn: (err: string | null | undefined, ok: boolean) => void) => void };
    clients: Record<string, EngineConn & { writeBuffer?: { data?: unknown }[] }>;
    on(event: 'connection', fn: (conn: EngineConn) => void): void;
  };
  engine.opts.allowRequest = (req, fn) => {
    const n = open.get(addressOf(req, options.trust)) ?? 0;
    if (options.maxPerAddress > 0 && n >= options.maxPerAddress) fn('too many connections from this address', false);
    else fn(null, true);
  };
  engine.on('connection', (conn) => {
    const address = addressOf(conn.request, options.trust);
    open.set(address, (open.get(address) ?? 0) + 1);
    conn.on('close', () => {
      const n = (open.get(address) ?? 1) - 1;
      if (n > 0) open.set(address, n);
      else open.delete(address);
    });
  });

  // A stalled websocket keeps its transport busy, so packets wait in the engine's queue (already
  // encoded: a broadcast is encoded once); what is being written waits in the websocket's buffer.
  const held = (conn: EngineConn & { writeBuffer?: { data?: unknown }[] }) => {
    let bytes = conn.transport.socket?.bufferedAmount ?? 0;
    for (const p of conn.writeBuffer ?? []) bytes += typeof p.data === 'string' ? p.data.length : ((p.data as Buffer | undefined)?.byteLength ?? 0);
    return bytes;
  };
  const sweep = setInterval(() => {
    for (const conn of Object.values(engine.clients)) {
      if ((conn.writeBuffer?.length ?? 0) <= options.maxQueuedPackets && held(conn) <= options.maxBufferedBytes) continue;
      // Not a polite close: its close frame would wait behind what the peer does not read.
      const ws = conn.transport.socket;
      if (ws?.terminate) ws.terminate();
      else conn.close(true);
    }
  }, options.sweepMs);
  sweep.unref();
  return { stop: () => clearInterval(sweep) };
}
