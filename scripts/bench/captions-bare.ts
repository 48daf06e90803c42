/**
 * Bench child: the bare Socket.IO baseline for captions. No Tribune code: each socket joins the
 * room of the language in its handshake; a `push` from an interpreter socket is relayed to that
 * language's room as a `caption` of the same shape, then acknowledged — Tribune's interim path
 * (role and schema checks, seq, stage lookup, routing) minus Tribune.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveParent, type ChildMessage } from './ipc.ts';

const send = (m: ChildMessage) => process.send?.(m);

async function main() {
  const server = http.createServer();
  const io = new Server(server, { maxHttpBufferSize: 256 * 1024, serveClient: false, pingInterval: 20_000, pingTimeout: 25_000 });
  const seqs = new Map<string, number>();
  io.on('connection', (socket) => {
    const lang = String(socket.handshake.auth.lang ?? 'fr');
    socket.join(`lang:${lang}`);
    socket.on('push', (body: { id: string; text: string; final: boolean }, ack: (a: unknown) => void) => {
      const seq = (seqs.get(lang) ?? 0) + 1;
      seqs.set(lang, seq);
      io.to(`lang:${lang}`).emit('caption', { lang, id: body.id, itemId: 'aix', seq, text: body.text, final: body.final, source: 'human', at: Date.now() });
      ack({ ok: true, data: { seq } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  serveParent(() => new Promise<void>((resolve) => io.close(() => resolve())));
  send({ type: 'ready', port, info: { languages: ['fr', 'es', 'it', 'pt', 'he', 'en'] } });
}

main().catch((err) => {
  console.error('bare captions bench server failed:', err);
  process.exit(1);
});
