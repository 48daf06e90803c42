/**
 * Bench child: a bare Socket.IO 4 server, no Tribune code. Every socket joins one room and gets
 * the payload once on connect; a `goto` from the trigger socket broadcasts the payload (a real
 * Tribune `state`, passed in argv[2]) to the room with the page changed, then acknowledges —
 * the same shape of work as Tribune's `slide:goto`, minus Tribune.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveParent, type ChildMessage } from './ipc.ts';

type Payload = { stage: { slide: { page: number } | null } & Record<string, unknown> } & Record<string, unknown>;

const send = (m: ChildMessage) => process.send?.(m);

async function main() {
  const payload = JSON.parse(process.argv[2] ?? '{}') as Payload;
  let current: Payload = payload;
  const server = http.createServer();
  // Same engine settings as Tribune's createApp, so the pings and frame cap cost the same.
  const io = new Server(server, {
    maxHttpBufferSize: 256 * 1024,
    serveClient: false,
    pingInterval: 20_000,
    pingTimeout: 25_000,
  });
  io.on('connection', (socket) => {
    socket.join('room');
    socket.emit('state', { ...current, serverTime: Date.now() });
    socket.on('goto', (body: { page: number }, ack: (a: { ok: true }) => void) => {
      current = { ...current, stage: { ...current.stage, slide: { ...current.stage.slide!, page: body.page } } };
      io.to('room').emit('state', { ...current, serverTime: Date.now() });
      ack({ ok: true });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  serveParent(() => new Promise<void>((resolve) => io.close(() => resolve())));
  send({ type: 'ready', port, info: {} });
}

main().catch((err) => {
  console.error('bare bench server failed:', err);
  process.exit(1);
});
