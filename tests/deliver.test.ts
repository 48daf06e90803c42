/**
 * The one way out for broadcasts (server/socket/deliver.ts), on a real Socket.IO server with real
 * clients: each kind of recipients reaches exactly its sockets, recipients naming nobody reach
 * nobody (Socket.IO itself would send to every socket), and another event's sockets never hear it.
 * What a socket did not receive is known by a marker sent to everyone after it: Socket.IO keeps the
 * order of one socket's messages.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../shared/schemas.ts';
import { createDelivery, join, type Delivery, type Recipients } from '../server/socket/deliver.ts';
import type { TribuneServer, TribuneSocket } from '../server/socket/types.ts';
import { eventually } from './helpers/eventually.ts';

interface Member {
  name: string;
  eventId: string;
  role: Role;
  lang: string;
  device: string;
}

const MEMBERS: Member[] = [
  { name: 'mod', eventId: 'ev', role: 'moderator', lang: 'fr', device: 'm' },
  { name: 'proj', eventId: 'ev', role: 'projector', lang: 'fr', device: 'p' },
  { name: 'interp-es', eventId: 'ev', role: 'interpreter', lang: 'es', device: 'i' },
  { name: 'phone-fr', eventId: 'ev', role: 'attendee', lang: 'fr', device: 'd1' },
  { name: 'phone-fr-tab', eventId: 'ev', role: 'attendee', lang: 'fr', device: 'd1' },
  { name: 'phone-es', eventId: 'ev', role: 'attendee', lang: 'es', device: 'd2' },
  { name: 'other-event', eventId: 'ev2', role: 'attendee', lang: 'fr', device: 'd1' },
];

let httpServer: http.Server;
let io: TribuneServer;
let deliver: Delivery;
const clients = new Map<string, Socket>();
const serverSockets = new Map<string, TribuneSocket>();
const heard = new Map<string, string[]>();
let round = 0;

beforeAll(async () => {
  httpServer = http.createServer();
  io = new Server(httpServer) as TribuneServer;
  deliver = createDelivery(io);
  io.use((socket, next) => {
    const m = MEMBERS.find((x) => x.name === socket.handshake.auth.name)!;
    Object.assign(socket.data, { eventId: m.eventId, role: m.role, lang: m.lang, deviceId: m.device });
    join(socket, { event: true, roles: [m.role], langs: [m.lang], device: m.device });
    serverSockets.set(m.name, socket);
    next();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  await Promise.all(
    MEMBERS.map(async (m) => {
      const c = ioClient(`http://127.0.0.1:${port}`, { auth: { name: m.name }, transports: ['websocket'], reconnection: false });
      heard.set(m.name, []);
      c.on('glossary', (g: { entries: { term: string }[] }) => heard.get(m.name)!.push(g.entries[0]!.term));
      await new Promise<void>((resolve, reject) => c.on('connect', resolve).on('connect_error', reject));
      clients.set(m.name, c);
    }),
  );
});

afterAll(async () => {
  for (const c of clients.values()) c.disconnect();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

const glossary = (term: string) => ({ entries: [{ term, translations: {} }], at: 0 }) as never;

/** Who received one send: `act` sends a term, then a marker goes to every socket of both events. */
async function reached(act: (term: string) => void): Promise<string[]> {
  const term = `t${++round}`;
  const marker = `end${round}`;
  act(term);
  for (const e of ['ev', 'ev2']) deliver.send(e, { event: true }, 'glossary', glossary(marker));
  await eventually(() => expect([...heard.values()].every((h) => h.includes(marker))).toBe(true));
  return MEMBERS.filter((m) => heard.get(m.name)!.includes(term)).map((m) => m.name);
}

const to = (recipients: Recipients) => reached((term) => deliver.send('ev', recipients, 'glossary', glossary(term)));

describe('deliver', () => {
  it('sends to a language, a role, their union, a device, and leaves roles out', async () => {
    expect(await to({ langs: ['es'] })).toEqual(['interp-es', 'phone-es']);
    expect(await to({ roles: ['moderator', 'projector'] })).toEqual(['mod', 'proj']);
    expect(await to({ langs: ['es'], roles: ['projector'] })).toEqual(['proj', 'interp-es', 'phone-es']);
    expect(await to({ device: 'd1' })).toEqual(['phone-fr', 'phone-fr-tab']);
    expect(await to({ event: true, except: ['moderator', 'projector'] })).toEqual(['interp-es', 'phone-fr', 'phone-fr-tab', 'phone-es']);
    expect(await to({ langs: ['fr'], except: ['attendee', 'projector', 'interpreter'] })).toEqual(['mod']);
  });

  it('recipients that name nobody reach nobody, and another event is never reached', async () => {
    expect(await to({})).toEqual([]);
    expect(await to({ except: ['moderator'] })).toEqual([]);
    expect(await to({ event: true })).not.toContain('other-event');
  });

  it('sendFrom leaves the sending socket out', async () => {
    const from = serverSockets.get('phone-fr')!;
    expect(await reached((term) => deliver.sendFrom(from, { device: 'd1' }, 'glossary', glossary(term)))).toEqual(['phone-fr-tab']);
  });

  it('counts this process’s sockets of an event, and disconnects only the recipients', async () => {
    expect(deliver.here('ev')).toBe(6);
    expect(deliver.here('ev2')).toBe(1);
    deliver.disconnect('ev', { roles: ['moderator', 'projector'] });
    await eventually(() => expect(deliver.here('ev')).toBe(4));
    expect(clients.get('phone-fr')!.connected).toBe(true);
    deliver.disconnect('ev', {});
    expect(deliver.here('ev')).toBe(4);
  });
});
