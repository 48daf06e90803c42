/**
 * A socket that records the polls domain's events from the very first one (the `polls` snapshot may
 * arrive right after the first `state`, before `connect()` of helpers/server.ts would let us listen).
 */
import { io as ioClient } from 'socket.io-client';
import { eventually } from './eventually.ts';
import type { Ack } from '../../shared/errors.ts';
import type { Poll } from '../../shared/polls.ts';
import type { PublicState } from '../../shared/schemas.ts';
import { newDeviceId, type ClientSocket } from './server.ts';

export interface PClient {
  socket: ClientSocket;
  deviceId: string;
  states: PublicState[];
  latest(): PublicState;
  /** This socket's view: the snapshot, then every `poll` merged in by `rev` (`mine` kept). */
  view: Map<string, Poll>;
  /** Every `poll` received, in order. */
  received: Poll[];
  snapshots: Poll[][];
  send(cmd: string, payload?: unknown): Promise<Ack>;
  /** `poll:create`; resolves with the new poll's id (throws on a refusal). */
  create(question: string, options: string[], multiple?: boolean): Promise<string>;
  close(): void;
}

export function mergePoll(view: Map<string, Poll>, p: Poll) {
  const cur = view.get(p.id);
  if (cur && p.rev < cur.rev) return;
  view.set(p.id, p.mine === undefined && cur?.mine !== undefined ? { ...p, mine: cur.mine } : p);
}

export async function connectP(url: string, auth: Record<string, unknown>): Promise<PClient> {
  const deviceId = (auth.deviceId as string | undefined) ?? newDeviceId();
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    auth: { ...auth, deviceId },
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  const c: PClient = {
    socket,
    deviceId,
    states: [],
    latest: () => c.states.reduce((a, b) => (b.rev > a.rev ? b : a)),
    view: new Map(),
    received: [],
    snapshots: [],
    send: (cmd, payload = {}) => new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(cmd, payload, resolve)),
    async create(question, options, multiple) {
      const ack = await c.send('poll:create', { question, options, ...(multiple === undefined ? {} : { multiple }) });
      if (!ack.ok) throw new Error(`poll:create refused: ${ack.error.code} ${ack.error.message}`);
      return (ack.data as { id: string }).id;
    },
    close: () => socket.close(),
  };
  socket.on('state', (s) => c.states.push(s));
  socket.on('polls', (list) => {
    c.snapshots.push(list);
    c.view.clear();
    for (const p of list) c.view.set(p.id, p);
  });
  socket.on('poll', (p) => {
    c.received.push(p);
    mergePoll(c.view, p);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  await eventually(() => {
    if (c.states.length === 0 || c.snapshots.length === 0) throw new Error('no state and polls yet');
  });
  return c;
}
