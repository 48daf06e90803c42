/** Test clients that record every event from the first one (captions arrive right after `state`). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as ioClient } from 'socket.io-client';
import { eventually } from './eventually.ts';
import type { Caption, CaptionAudience, CaptionDisplay, CaptionHistory, CaptionStatus, Glossary } from '../../shared/captions.ts';
import type { Ack } from '../../shared/errors.ts';
import type { PublicState } from '../../shared/schemas.ts';
import { newDeviceId, type ClientSocket } from './server.ts';

export interface Recorder {
  socket: ClientSocket;
  states: PublicState[];
  captions: Caption[];
  histories: CaptionHistory[];
  statuses: CaptionStatus[];
  audiences: CaptionAudience[];
  glossaries: Glossary[];
  displays: CaptionDisplay[];
  latest(): PublicState;
  send(cmd: string, payload?: unknown): Promise<Ack>;
  /** Connects again with the same auth and device (a phone back from a Wi-Fi loss), plus `extra` (e.g. `captionsAfter`). */
  reconnect(extra?: Record<string, unknown>): Promise<void>;
  close(): void;
}

/** Connects, recording every captions event, and resolves once the first `state` and the history arrived. */
export async function record(url: string, auth: Record<string, unknown>, waitHistory = true): Promise<Recorder> {
  const fullAuth = { deviceId: newDeviceId(), ...auth };
  const r = {
    states: [] as PublicState[],
    captions: [] as Caption[],
    histories: [] as CaptionHistory[],
    statuses: [] as CaptionStatus[],
    audiences: [] as CaptionAudience[],
    glossaries: [] as Glossary[],
    displays: [] as CaptionDisplay[],
  };
  let socket: ClientSocket;
  const open = async (extra: Record<string, unknown> = {}) => {
    const before = r.histories.length;
    socket = ioClient(url, { transports: ['websocket'], auth: { ...fullAuth, ...extra }, reconnection: false, forceNew: true });
    socket.on('state', (s) => r.states.push(s));
    socket.on('caption', (c) => r.captions.push(c));
    socket.on('captions:history', (h) => r.histories.push(h));
    socket.on('captions:status', (s) => r.statuses.push(s));
    socket.on('captions:audience', (a) => r.audiences.push(a));
    socket.on('glossary', (g) => r.glossaries.push(g));
    socket.on('captions:display', (d) => r.displays.push(d));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    await eventually(
      () => {
        if (r.states.length === 0) throw new Error('no state yet');
        if (waitHistory && r.histories.length === before) throw new Error('no history yet');
      },
      { timeout: 5000 },
    );
  };
  await open();
  return {
    ...r,
    get socket() {
      return socket;
    },
    latest: () => r.states.reduce((a, b) => (b.rev > a.rev ? b : a)),
    send: (cmd, payload = {}) =>
      new Promise((resolve) => (socket.emit as (...a: unknown[]) => void)(cmd, payload, resolve)),
    reconnect: async (extra) => {
      socket.close();
      await open(extra);
    },
    close: () => socket.close(),
  };
}

/**
 * A tiny LibreTranslate stand-in: `POST /translate {q, source, target, format}` →
 * `{translatedText}`. `behave` decides per request (text, delay, or a failure status).
 */
export async function fakeTranslator(
  behave: (req: { q: string; source: string; target: string; format: string }) =>
    | { text: string; delayMs?: number }
    | { status: number },
) {
  const requests: { q: string; source: string; target: string; format: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/translate') {
        res.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { q: string; source: string; target: string; format: string };
      requests.push(parsed);
      const answer = behave(parsed);
      if ('status' in answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end('{"error":"nope"}');
        return;
      }
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ translatedText: answer.text }));
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
