/**
 * A Socket.IO client cut to what Tribune's server speaks: Engine.IO v4 over a WebSocket alone and
 * Socket.IO v5 text packets on the one namespace `/` (the server takes no polling transport from
 * the views, and no binary: server/socket/parser.ts). About 2 KB gzipped where socket.io-client
 * costs a phone 11 KB (its polling and WebTransport transports, binary packets, namespaces, its
 * emitter and URL parser ride along even with `transports: ['websocket']`).
 *
 * The behaviour socket.ts relies on is socket.io-client's:
 * - `connect_error` with the middleware's message when the server refuses the handshake; the socket
 *   is then inactive (`active` false) and does not retry by itself;
 * - `connect_error` while `active` for a transport failure: it retries with backoff (jittered,
 *   `reconnectionDelay` doubling up to `reconnectionDelayMax`);
 * - `disconnect` with `io server disconnect` (no retry), `io client disconnect`, `ping timeout`
 *   (no ping from the server within pingInterval + pingTimeout) or `transport close` (retry);
 * - `auth()` is read at every (re)connection; `ping` is reported for each server ping;
 * - the browser going offline drops the connection at once (`transport close`), as engine.io-client
 *   does: a phone that lost the Wi-Fi says so instead of waiting for the ping timeout.
 *
 * Tests and benchmarks keep using socket.io-client against the same server; the browser tests drive
 * this one in real Chromium.
 */

/** Why a connection ended (socket.io-client's words). */
export type DisconnectReason = 'io server disconnect' | 'io client disconnect' | 'ping timeout' | 'transport close';

export interface WireOptions {
  /** The page's origin (`http(s)://host:port`); the socket goes to its `/socket.io/`. */
  origin: string;
  /** The handshake's `auth`, read at every (re)connection. */
  auth(): object;
  reconnectionDelay: number;
  reconnectionDelayMax: number;
}

/** What an ack callback receives: an error (timeout, connection lost) or the server's answer. */
export type AckCallback = (err: Error | null, answer?: unknown) => void;

type Listener = (...args: never[]) => void;

/** A connection that is not open (and its CONNECT answered) within this is dropped and retried. */
const OPEN_TIMEOUT_MS = 20_000;

export class WireSocket {
  /** True between the server's CONNECT answer and the end of that connection. */
  connected = false;
  /** True while the socket means to be connected (it retries by itself); false once refused or closed. */
  active = false;
  private ws: WebSocket | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly acks = new Map<number, AckCallback>();
  private nextAckId = 0;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private aliveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly opts: WireOptions) {}

  /** Adds a listener for a server event or for `connect`, `disconnect`, `connect_error`, `ping`. */
  on(event: string, listener: (...args: never[]) => void): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }

  /** Dials now (resetting the backoff) unless already connected or dialling. */
  connect(): this {
    this.active = true;
    clearTimeout(this.retryTimer);
    if (typeof addEventListener === 'function') addEventListener('offline', this.onOffline);
    if (!this.ws) this.open();
    return this;
  }

  private readonly onOffline = () => {
    if (this.ws) this.lost('transport close');
  };

  /** Closes the connection for good (until `connect()`): `disconnect` with `io client disconnect`. */
  disconnect(): this {
    this.active = false;
    this.attempts = 0;
    clearTimeout(this.retryTimer);
    if (typeof removeEventListener === 'function') removeEventListener('offline', this.onOffline);
    if (this.ws && this.connected) this.ws.send('41');
    this.drop('io client disconnect');
    return this;
  }

  /**
   * Sends an event with an acknowledgement: `cb` gets the answer, or an error when none came
   * within `timeoutMs` or the connection ended first. The caller checks `connected` (nothing is
   * queued while offline).
   */
  emitWithAck(event: string, payload: unknown, timeoutMs: number, cb: AckCallback): void {
    const id = this.nextAckId++;
    const timer = setTimeout(() => {
      this.acks.delete(id);
      cb(new Error('timeout'));
    }, timeoutMs);
    this.acks.set(id, (err, answer) => {
      clearTimeout(timer);
      this.acks.delete(id);
      cb(err, answer);
    });
    this.ws?.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  private emitLocal(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) (l as (...a: unknown[]) => void)(...args);
  }

  private open(): void {
    const url = `${this.opts.origin.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      this.lost('transport close');
      return;
    }
    this.ws = ws;
    this.watch(OPEN_TIMEOUT_MS, 'transport close');
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') this.onFrame(e.data);
    };
    ws.onclose = () => {
      if (this.ws === ws) this.lost('transport close');
    };
  }

  /** Drops the connection if nothing keeps it alive within `ms` (the open, then each ping). */
  private watch(ms: number, reason: DisconnectReason): void {
    clearTimeout(this.aliveTimer);
    this.aliveTimer = setTimeout(() => this.lost(reason), ms);
  }

  private onFrame(frame: string): void {
    switch (frame[0]) {
      case '0': {
        // Engine.IO open: the server's ping cadence; then Socket.IO's CONNECT with the handshake.
        const open = JSON.parse(frame.slice(1)) as { pingInterval: number; pingTimeout: number };
        this.pingWindow = open.pingInterval + open.pingTimeout;
        this.ws?.send(`40${JSON.stringify(this.opts.auth())}`);
        break;
      }
      case '2':
        this.ws?.send('3');
        if (this.connected) this.watch(this.pingWindow, 'ping timeout');
        this.emitLocal('ping');
        break;
      case '1':
        this.lost('transport close');
        break;
      case '4':
        this.onPacket(frame.slice(1));
        break;
      default:
      // noop (6) and the upgrade probes of other transports: nothing to do.
    }
  }

  private pingWindow = 45_000;

  private onPacket(packet: string): void {
    const type = packet[0];
    const body = packet.slice(1);
    if (type === '0') {
      this.connected = true;
      this.attempts = 0;
      this.watch(this.pingWindow, 'ping timeout');
      this.emitLocal('connect');
    } else if (type === '4') {
      // Refused by the server's middleware: `{message, data}`; final until `connect()` again.
      const refusal = JSON.parse(body) as { message?: string; data?: unknown };
      this.active = false;
      this.drop(null);
      this.emitLocal('connect_error', Object.assign(new Error(refusal.message ?? 'refused'), { data: refusal.data }));
    } else if (type === '1') {
      this.active = false;
      this.drop('io server disconnect');
    } else if (type === '2' || type === '3') {
      const m = /^(\d*)([\s\S]*)$/.exec(body)!;
      const args = JSON.parse(m[2]!) as unknown[];
      if (type === '3') this.acks.get(Number(m[1]))?.(null, args[0]);
      else this.emitLocal(String(args[0]), ...args.slice(1));
    }
  }

  /** The transport ended on its own: say so, and dial again while active. */
  private lost(reason: DisconnectReason): void {
    const wasConnected = this.connected;
    this.drop(wasConnected ? reason : null);
    if (!this.active) return;
    if (!wasConnected) this.emitLocal('connect_error', new Error('websocket error'));
    this.failed();
  }

  /** Schedules the next attempt (socket.io-client's backoff: doubling, ±50% jitter, capped). */
  private failed(): void {
    if (!this.active) return;
    const { reconnectionDelay: min, reconnectionDelayMax: max } = this.opts;
    const base = Math.min(max, min * 2 ** this.attempts++);
    const delay = Math.min(max, base * (0.5 + Math.random()));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.active && !this.ws) this.open();
    }, delay);
  }

  /** Closes the transport, fails pending acks, and reports `disconnect` when one was connected. */
  private drop(reason: DisconnectReason | null): void {
    clearTimeout(this.aliveTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = ws.onclose = null;
      ws.close();
    }
    const wasConnected = this.connected;
    this.connected = false;
    for (const ack of [...this.acks.values()]) ack(new Error('disconnected'));
    if (wasConnected && reason) this.emitLocal('disconnect', reason);
  }
}
