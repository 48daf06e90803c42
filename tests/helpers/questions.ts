/**
 * A socket that records the questions domain's events from the very first one (the `questions`
 * snapshot may arrive right after the first `state`, before `connect()` of helpers/server.ts
 * would let us listen).
 */
import { io as ioClient } from 'socket.io-client';
import { eventually } from './eventually.ts';
import type { Ack } from '../../shared/errors.ts';
import type { MyRatings, Participation, Question, RatingSummary } from '../../shared/questions.ts';
import type { PublicState } from '../../shared/schemas.ts';
import { newDeviceId, type ClientSocket } from './server.ts';

export interface QClient {
  socket: ClientSocket;
  deviceId: string;
  states: PublicState[];
  latest(): PublicState;
  /** This socket's view: the snapshot, then every `question` merged in by `rev`. */
  view: Map<string, Question>;
  /** Every `question` received, in order. */
  received: Question[];
  snapshots: Question[][];
  ratings: RatingSummary[];
  participation: Participation[];
  mine: MyRatings[];
  send(cmd: string, payload?: unknown): Promise<Ack>;
  /** `question:ask` with a fresh id unless one is given. */
  ask(text: string, extra?: Record<string, unknown>): Promise<Ack<Question>>;
  close(): void;
}

/** Keeps the newest copy; fields absent from an update (mine, voted) keep their value. */
export function merge(view: Map<string, Question>, q: Question) {
  const cur = view.get(q.id);
  if (cur && q.rev < cur.rev) return;
  const next = { ...cur, ...q };
  for (const k of ['mine', 'voted'] as const) if (q[k] === undefined && cur?.[k] !== undefined) next[k] = cur[k];
  view.set(q.id, next);
}

let counter = 0;
export const newQuestionId = () => `q-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export async function connectQ(url: string, auth: Record<string, unknown>): Promise<QClient> {
  const deviceId = (auth.deviceId as string | undefined) ?? newDeviceId();
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    auth: { ...auth, deviceId },
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  const c: QClient = {
    socket,
    deviceId,
    states: [],
    latest: () => c.states.reduce((a, b) => (b.rev > a.rev ? b : a)),
    view: new Map(),
    received: [],
    snapshots: [],
    ratings: [],
    participation: [],
    mine: [],
    send: (cmd, payload = {}) => new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(cmd, payload, resolve)),
    ask: (text, extra = {}) => c.send('question:ask', { id: newQuestionId(), text, ...extra }) as Promise<Ack<Question>>,
    close: () => socket.close(),
  };
  socket.on('state', (s) => c.states.push(s));
  socket.on('questions', (list) => {
    c.snapshots.push(list);
    c.view.clear();
    for (const q of list) c.view.set(q.id, q);
  });
  socket.on('question', (q) => {
    c.received.push(q);
    merge(c.view, q);
  });
  socket.on('ratings', (r) => c.ratings.push(r));
  socket.on('participation', (p) => c.participation.push(p));
  socket.on('ratings:mine', (m) => c.mine.push(m));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
    socket.connect();
  });
  await eventually(() => {
    if (c.states.length === 0 || c.snapshots.length === 0) throw new Error('no state and questions yet');
  });
  return c;
}
