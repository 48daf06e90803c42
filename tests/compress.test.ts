/**
 * The API's answers compressed on the fly: a real server on port 0 read over plain node:http with
 * explicit Accept-Encoding headers (slide images, JPEG, are checked in slides.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import { decoded, codedRequest } from './helpers/coded-http.ts';
import { ADMIN_TOKEN, createTestEvent, startBackendServer, type TestServer } from './helpers/server.ts';
import type { CreatedEvent } from '../server/events/service.ts';

describe('API answers, compressed when accepted', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-compress-'));
  let backend: Backend;
  let server: TestServer;
  let ev: CreatedEvent;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const get = (url: string, headers: Record<string, string> = {}) => codedRequest(`${server.url}${url}`, headers);

  beforeAll(async () => {
    backend = await openBackend({ kind: 'memory', dataDir });
    server = await startBackendServer(backend);
    // The admin's list of events grows past 1 KB.
    for (let i = 0; i < 8; i++) ev = await createTestEvent(server.url);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a JSON answer over 1 KB: brotli or gzip as accepted, plain otherwise, the same JSON each way', async () => {
    const plain = await get('/api/events', admin);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toContain('Accept-Encoding');
    expect(plain.body.length).toBeGreaterThan(1024);
    const json = JSON.parse(plain.body.toString());

    for (const [accept, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0.1, gzip;q=0.9', 'gzip'],
      ['identity', undefined],
      ['br;q=0', undefined],
    ] as const) {
      const res = await get('/api/events', { ...admin, 'accept-encoding': accept });
      expect(res.status, accept).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe(coding);
      expect(res.headers['content-type'], accept).toBe('application/json; charset=utf-8');
      expect(res.headers['vary'], accept).toContain('Accept-Encoding');
      expect(Number(res.headers['content-length']), accept).toBe(res.body.length);
      if (coding) expect(res.body.length, accept).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(decoded(res).toString()), accept).toEqual(json);
    }
  });

  it('a small answer stays plain; an SVG is compressed; an error answer is JSON as before', async () => {
    const link = await get(`/api/join/${ev.event.code}/link`, { 'accept-encoding': 'br, gzip' });
    expect(link.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(link.body.toString())).toEqual({ url: `http://tribune.test/e/${ev.event.code}` });

    const qr = await get(`/api/join/${ev.event.code}/qr.svg`, { 'accept-encoding': 'gzip' });
    expect(qr.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(qr.headers['content-encoding']).toBe('gzip');
    expect(decoded(qr).toString()).toMatch(/^<svg/);

    const missing = await get('/api/join/NOPE00', { 'accept-encoding': 'br' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(decoded(missing).toString()).error.code).toBe('NOT_FOUND');
  });

  it('the report is compressed once, not twice, and HEAD answers its headers', async () => {
    const url = `/api/events/${ev.event.id}/report`;
    const key = { authorization: `Bearer ${ev.secrets.report}` };
    const plain = await get(url, key);
    expect(plain.body.length).toBeGreaterThan(1024);
    for (const coding of ['br', 'gzip'] as const) {
      const res = await get(url, { ...key, 'accept-encoding': coding });
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(decoded(res).toString()).event.id).toBe(ev.event.id);
    }
    const csv = await get(`${url}/speaking-time.csv`, { ...key, 'accept-encoding': 'gzip' });
    expect(csv.status).toBe(200);
    expect(decoded(csv).toString()).toMatch(/^\uFEFF?[^\n]*,/);

    const head = await codedRequest(`${server.url}${url}`, { ...key, 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('br');
  });
});
