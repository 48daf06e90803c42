/**
 * A socket of one domain (questions, polls) that records the domain's events from the very first
 * one: its snapshot may arrive right after the first `state`, before `connect()` of
 * helpers/server.ts would let us listen, so every listener is attached before the socket connects.
 */
import { io as ioClient, type Socket } from 'socket.io-client';
import { eventually } from './eventually.ts';
import type { Ack } from '../../shared/errors.ts';
import type { PublicState } from '../../shared/schemas.ts';
import { newDeviceId, type ClientSocket } from './server.ts';

export interface DomainClient<T> {
  socket: ClientSocket;
  deviceId: string;
  states: PublicState[];
  latest(): PublicState;
  /** This socket's view: the snapshot, then every update merged in (by the domain's `merge`). */
  view: Map<string, T>;
  /** Every update received, in order. */
  received: T[];
  snapshots: T[][];
  send(cmd: string, payload?: unknown): Promise<Ack>;
  close(): void;
}

/** A domain's events: its snapshot (`questions`), one item's update (`question`) and how an update is merged. */
export interface DomainEvents<T> {
  snapshot: string;
  update: string;
  merge(view: Map<string, T>, item: T): void;
}

/**
 * Connects with `auth` (a fresh device id unless it names one). `more` adds what the domain's
 * client has beyond the common part (its listeners are attached before the socket connects too).
 * Resolves once the first `state` and the snapshot arrived.
 */
export async function connectDomain<T extends { id: string }, X extends object>(
  url: string,
  auth: Record<string, unknown>,
  events: DomainEvents<T>,
  more: (c: DomainClient<T>) => X,
): Promise<DomainClient<T> & X> {
  const deviceId = (auth.deviceId as string | undefined) ?? newDeviceId();
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    auth: { ...auth, deviceId },
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  const base: DomainClient<T> = {
    socket,
    deviceId,
    states: [],
    latest: () => base.states.reduce((a, b) => (b.rev > a.rev ? b : a)),
    view: new Map(),
    received: [],
    snapshots: [],
    send: (cmd, payload = {}) => new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(cmd, payload, resolve)),
    close: () => socket.close(),
  };
  const c = Object.assign(base, more(base));
  socket.on('state', (s) => c.states.push(s));
  // The domain's event names are arguments here: listen on the untyped socket.
  const untyped = socket as unknown as Socket;
  untyped.on(events.snapshot, (list: T[]) => {
    c.snapshots.push(list);
    c.view.clear();
    for (const item of list) c.view.set(item.id, item);
  });
  untyped.on(events.update, (item: T) => {
    c.received.push(item);
    events.merge(c.view, item);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  await eventually(() => {
    if (c.states.length === 0 || c.snapshots.length === 0) throw new Error(`no state and ${events.snapshot} yet`);
  });
  return c;
}
