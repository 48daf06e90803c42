/**
 * Request bodies the server does not take, through real HTTP on both stores (PROTOCOL v2, "Body
 * errors are 4xx"): a charset or Content-Encoding it does not read → 415, bytes that do not decode
 * → 400, both INVALID_PAYLOAD and never logged as internal errors; an over-size body → 413 TOO_LARGE
 * read by a client that sends its whole body (the server drains it first), then the connection
 * closes. The drain is bounded: a bare server shows its byte and time bounds with small values.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../shared/report.ts';
import type { Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import express from 'express';
import { drain } from '../server/http/drain.ts';
import { apiRouter } from '../server/http/routes.ts';
import { hashSecret } from '../server/auth/secrets.ts';
import { createMemoryStore } from '../server/store/memory.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { errorCode, rawRequest, recordingLogger, type RawAnswer } from './helpers/raw-http.ts';
import { ADMIN_TOKEN, createTestEvent, startBackendServer, type TestServer } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';

const MB = 1024 * 1024;

/** What a refused upload's client saw, in one object so a failure shows all of it. */
const seen = (a: RawAnswer) => ({ status: a.status, code: errorCode(a), sent: a.sent, error: a.error, connection: a.headers.connection });

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`request bodies on the ${kind.name} store`, () => {
    const { logger, lines } = recordingLogger();
    let location: string;
    let backend: Backend;
    let server: TestServer;
    let ev: CreatedEvent;

    beforeAll(async () => {
      location = kind.newLocation();
      // A 1 MB deck cap, so a 10 MB body is over it without sending 60 MB.
      backend = await kind.openBackend(location, { slides: { maxBytes: MB } });
      server = await startBackendServer(backend, { logger });
      ev = await createTestEvent(server.url);
    });
    afterAll(async () => {
      await server.close();
      await backend.close();
      await kind.cleanup(location);
    });

    const summary = () => `/api/events/${ev.event.id}/report/summary/fr`;
    const jsonRoutes = () => [
      { method: 'POST', path: '/api/events', key: ADMIN_TOKEN },
      { method: 'PUT', path: summary(), key: ev.secrets.moderator },
      { method: 'POST', path: `/api/events/${ev.event.id}/report/summary/es/draft`, key: ev.secrets.moderator },
    ];
    const storedSummary = async () => {
      const res = await fetch(`${server.url}/api/events/${ev.event.id}/report?transcript=none`, { headers: { authorization: `Bearer ${ev.secrets.moderator}` } });
      return ((await res.json()) as Report).summary;
    };
    const internalErrors = () => lines.filter((l) => (l.level as number) >= 50);

    it('a charset or Content-Encoding it does not read is 415, a body that does not decode is 400; nothing is logged as internal', async () => {
      const json = Buffer.from('{"text":"Bonsoir"}');
      const cases: { headers: Record<string, string>; body: Buffer; status: number }[] = [
        { headers: { 'content-type': 'application/json; charset=ebcdic' }, body: json, status: 415 },
        { headers: { 'content-type': 'application/json', 'content-encoding': 'compress' }, body: json, status: 415 },
        { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all'), status: 400 },
        { headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: Buffer.from('not deflate either'), status: 400 },
        // Valid JSON around bytes that are not UTF-8: refused, not stored with U+FFFD in them.
        { headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from('{"text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), status: 400 },
      ];
      for (const route of jsonRoutes()) {
        for (const c of cases) {
          const a = await rawRequest(server.url, { method: route.method, path: route.path, headers: { authorization: `Bearer ${route.key}`, ...c.headers }, body: c.body });
          expect({ status: a.status, code: errorCode(a) }, `${route.method} ${route.path} ${JSON.stringify(c.headers)}`).toEqual({ status: c.status, code: 'INVALID_PAYLOAD' });
          expect(a.headers['content-type']).toMatch(/^application\/json/);
        }
      }
      expect(internalErrors()).toEqual([]);
      expect(await storedSummary()).toEqual({});

      // A body it does read, gzipped, is taken.
      const gz = await rawRequest(server.url, {
        method: 'PUT',
        path: summary(),
        headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': 'application/json; charset=UTF-8', 'content-encoding': 'gzip' },
        body: gzipSync(json),
      });
      expect(gz.status).toBe(200);
      expect((await storedSummary()).fr).toMatchObject({ text: 'Bonsoir', source: 'human' });
    });

    it('an over-size JSON body is answered 413 TOO_LARGE to a client that sends it whole, then the connection closes', async () => {
      const before = await storedSummary();
      const big = Buffer.alloc(10 * MB, 0x20);
      for (const route of jsonRoutes()) {
        for (const chunked of [false, true]) {
          const a = await rawRequest(server.url, {
            method: route.method,
            path: route.path,
            headers: { authorization: `Bearer ${route.key}`, 'content-type': 'application/json' },
            body: big,
            chunked,
          });
          expect(seen(a), `${route.method} ${route.path}${chunked ? ' chunked' : ''}`).toEqual({ status: 413, code: 'TOO_LARGE', sent: true, error: null, connection: 'close' });
        }
      }
      expect(await storedSummary()).toEqual(before);
      expect(internalErrors()).toEqual([]);
    });

    it.skipIf(!popplerAvailable)('an over-size deck is answered 413 TOO_LARGE the same way', async () => {
      const big = Buffer.alloc(10 * MB, 0x20);
      big.write('%PDF-1.4\n');
      const path = `/api/events/${ev.event.id}/items/aix/deck`;
      for (const chunked of [false, true]) {
        const a = await rawRequest(server.url, {
          method: 'PUT',
          path,
          headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': 'application/pdf' },
          body: big,
          chunked,
        });
        expect(seen(a), chunked ? 'chunked' : 'with Content-Length').toEqual({ status: 413, code: 'TOO_LARGE', sent: true, error: null, connection: 'close' });
      }
      expect((await backend.store.getState(ev.event.id))!.agenda.find((i) => i.id === 'aix')!.slides.pageCount).toBe(0);
    });

    it('a refusal of a request without a body, or of one read whole, keeps the connection', async () => {
      const noRoute = await rawRequest(server.url, { method: 'GET', path: '/api/no-such-route' });
      expect({ status: noRoute.status, connection: noRoute.headers.connection }).toEqual({ status: 404, connection: 'keep-alive' });
      const badSetup = await rawRequest(server.url, {
        method: 'POST',
        path: '/api/events',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: Buffer.from('{"title":""}'),
      });
      expect({ status: badSetup.status, code: errorCode(badSetup), connection: badSetup.headers.connection }).toEqual({ status: 400, code: 'INVALID_PAYLOAD', connection: 'keep-alive' });
    });

    it('a declared length past what the server drains is answered at once, without waiting for the body', async () => {
      const a = await rawRequest(server.url, {
        method: 'PUT',
        path: summary(),
        headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': 'application/json', 'content-length': String(1024 * MB) },
        body: (req) => req.flushHeaders(),
      });
      expect({ status: a.status, code: errorCode(a), connection: a.headers.connection }).toEqual({ status: 413, code: 'TOO_LARGE', connection: 'close' });
    });
  });
}

describe("a domain route reading its body with Express's own parsers", () => {
  // The API's error handler maps their refusals too, so a domain that uses express.text/json
  // (an SDP offer, say) answers body errors as the contract says.
  const { logger, lines } = recordingLogger();
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    const store = createMemoryStore();
    const app = express().use(
      '/api',
      apiRouter({ store, logger, adminTokenHash: hashSecret('unused-admin-token'), publicUrl: 'http://tribune.test' }, (api) =>
        api.post('/echo', express.text({ type: 'application/sdp', limit: 1024 }), (req, res) => void res.type('application/sdp').send(req.body)),
      ),
    );
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 415, 400 and 413 with the contract codes, nothing logged as internal', async () => {
    const send = (headers: Record<string, string>, body: Buffer) => rawRequest(url, { method: 'POST', path: '/api/echo', headers, body });
    const sdp = Buffer.from('v=0\r\n');
    expect(seen(await send({ 'content-type': 'application/sdp; charset=ebcdic' }, sdp))).toMatchObject({ status: 415, code: 'INVALID_PAYLOAD' });
    expect(seen(await send({ 'content-type': 'application/sdp', 'content-encoding': 'compress' }, sdp))).toMatchObject({ status: 415, code: 'INVALID_PAYLOAD' });
    expect(seen(await send({ 'content-type': 'application/sdp', 'content-encoding': 'gzip' }, sdp))).toMatchObject({ status: 400, code: 'INVALID_PAYLOAD' });
    expect(seen(await send({ 'content-type': 'application/sdp' }, Buffer.alloc(4096, 0x20)))).toMatchObject({ status: 413, code: 'TOO_LARGE', sent: true });
    expect((await send({ 'content-type': 'application/sdp' }, sdp)).body).toBe('v=0\r\n');
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});

describe('draining a refused body is bounded in bytes and time', () => {
  // A bare server that drains every body (1 MB at most, for `?ms=` ms at most), then answers 413 and closes.
  const drained: boolean[] = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const ms = Number(new URL(req.url!, 'http://x').searchParams.get('ms'));
      drained.push(await drain(req, { bytes: MB, ms }));
      res.writeHead(413, { connection: 'close', 'content-type': 'application/json' }).end('{"error":{"code":"TOO_LARGE","message":"too large"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a body within the bounds is read to its end, then answered', async () => {
    const a = await rawRequest(url, { method: 'PUT', path: '/?ms=60000', body: Buffer.alloc(MB / 2) });
    expect(seen(a)).toEqual({ status: 413, code: 'TOO_LARGE', sent: true, error: null, connection: 'close' });
    expect(drained.at(-1)).toBe(true);
  });

  it('a client that stops sending is answered once the time bound has passed', async () => {
    const a = await rawRequest(url, {
      method: 'PUT',
      path: '/?ms=300',
      headers: { 'content-length': String(10 * MB) },
      body: (req) => req.write(Buffer.alloc(1024)),
    });
    expect(a.status).toBe(413);
    expect(a.sent).toBe(false);
    expect(drained.at(-1)).toBe(false);
  });

  it('a client that never stops sending is cut after the byte bound', async () => {
    const chunk = Buffer.alloc(64 * 1024);
    const a = await rawRequest(url, {
      method: 'PUT',
      // Only the byte bound can end this one before the test's own timeout.
      path: '/?ms=600000',
      chunked: true,
      body: (req) => {
        const pump = () => {
          while (!req.destroyed && req.write(chunk));
          if (!req.destroyed) req.once('drain', pump);
        };
        pump();
      },
    });
    expect(a.sent).toBe(false);
    expect(drained.at(-1)).toBe(false);
  });
});
