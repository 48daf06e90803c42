/** A real Tribune server on port 0 and real socket.io-client sockets. */
import type { AddressInfo } from 'node:net';
import { io as ioClient, type Socket } from 'socket.io-client';
import { randomBytes } from 'node:crypto';
import { eventually } from './eventually.ts';
import type { Ack } from '../../shared/errors.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events.ts';
import type { EventSetupInput, PublicState } from '../../shared/schemas.ts';
import { createApp, type AppDeps } from '../../server/app.ts';
import type { Backend } from '../../server/backend.ts';
import { hashSecret } from '../../server/auth/secrets.ts';
import type { CreatedEvent } from '../../server/events/service.ts';
import { createLogger } from '../../server/log.ts';
import type { Store } from '../../server/store/types.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  store: Store;
  close(): Promise<void>;
}

/** A server listening on a free port of `host` (another address of the machine: audio.netns.test.ts). */
export async function startServer(store: Store, extra: Partial<AppDeps> = {}, host = '127.0.0.1'): Promise<TestServer> {
  const app = createApp({
    store,
    logger: createLogger('silent'),
    adminTokenHash: hashSecret(ADMIN_TOKEN),
    publicUrl: 'http://tribune.test',
    presenceIntervalMs: 100,
    // Suites open hundreds of phones with fresh device ids from one address: per-address
    // allowances are tested on their own (robustness.socket.test.ts), with the defaults too.
    allowances: { maxSocketsPerAddress: 0, newDevices: { burst: 1e6, perSecond: 1e6 }, newDeviceMs: 0 },
    ...extra,
  });
  await new Promise<void>((resolve) => app.server.listen(0, host, () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, store, close: () => app.close() };
}

/** A server with every domain of the backend (captions, questions, …). */
export function startBackendServer(backend: Backend, extra: Partial<AppDeps> = {}, host?: string): Promise<TestServer> {
  return startServer(backend.store, { domains: backend.domains, ...extra }, host);
}

export const sampleSetup: EventSetupInput = {
  title: 'Dîner-débat test',
  languages: ['fr', 'es', 'he'],
  moderation: 'pre',
  tables: [
    { id: 't1', name: 'Grenade' },
    { id: 't2', name: 'Pérouse' },
  ],
  agenda: [
    { id: 'aix', speaker: 'Aix speaker', delegation: 'Aix-en-Provence', title: 'Centre', language: 'fr', plannedSeconds: 600 },
    { id: 'granada', speaker: 'Granada speaker', delegation: 'Granada', title: 'Conservar', language: 'es', plannedSeconds: 600 },
    { id: 'coimbra', speaker: 'Coimbra speaker', delegation: 'Coimbra', title: 'Renovar', plannedSeconds: 300 },
  ],
};

export async function createTestEvent(url: string, setup: EventSetupInput = sampleSetup): Promise<CreatedEvent> {
  const res = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(setup),
  });
  if (res.status !== 201) throw new Error(`create event: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedEvent;
}

export const newDeviceId = () => randomBytes(12).toString('base64url');

/** A connected client that records every `state` it receives. */
export interface Client {
  socket: ClientSocket;
  states: PublicState[];
  /** The latest state (by rev). */
  latest(): PublicState;
  send(cmd: keyof ClientToServerEvents, payload?: unknown): Promise<Ack>;
  close(): void;
}

export async function connect(url: string, auth: Record<string, unknown>): Promise<Client> {
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    auth: { deviceId: newDeviceId(), ...auth },
    reconnection: false,
    forceNew: true,
  });
  const states: PublicState[] = [];
  socket.on('state', (s) => states.push(s));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  await eventually(() => {
    if (states.length === 0) throw new Error('no state yet');
  });
  return {
    socket,
    states,
    latest: () => states.reduce((a, b) => (b.rev > a.rev ? b : a)),
    send: (cmd, payload = {}) =>
      new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(cmd, payload, resolve)),
    close: () => socket.close(),
  };
}

/** Resolves with the `connect_error` message of a refused handshake. */
export function refusal(url: string, auth: Record<string, unknown>): Promise<string> {
  const socket = ioClient(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('handshake was accepted'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}
