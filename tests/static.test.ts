/**
 * The client as served: a client folder made here and precompressed by the build's own code
 * (scripts/precompress.ts), served by a real server on port 0, read over plain node:http with
 * explicit Accept-Encoding headers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../scripts/precompress.ts';
import { createMemoryStore } from '../server/store/memory.ts';
import { decoded, codedRequest } from './helpers/coded-http.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const ASSET = 'assets/app-AbCd1234.js';
const STYLE = 'assets/style-XyZ98765.css';
const IMAGE = 'assets/photo-Qw12Er34.png';
const TINY = 'assets/tiny-Zz11Yy22.js';
const EDITED = 'assets/edited-Ed17Ed17.js';
const CLIENT_ROUTES = ['/', '/admin', '/e/DEMO42', '/m/ev1', '/p/ev1', '/i/ev1', '/s/ev1', '/r/ev1'];

const script = (tag: string) =>
  Array.from({ length: 800 }, (_, i) => `export const ${tag}${i} = ${JSON.stringify(`line ${i} of ${tag}`)};`).join('\n');

describe('the built client, precompressed and negotiated', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-static-'));
  const dir = path.join(root, 'client');
  const store = createMemoryStore({ dataDir: path.join(root, 'data') });
  let server: TestServer;
  const file = (name: string) => fs.readFileSync(path.join(dir, name));
  const get = (url: string, headers: Record<string, string> = {}, method?: string) => codedRequest(`${server.url}${url}`, headers, method);

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    const page = `<!doctype html><html><head><title>Tribune</title><script type="module" src="/${ASSET}"></script></head><body>${'<p>Tribune</p>'.repeat(100)}</body></html>`;
    fs.writeFileSync(path.join(dir, 'index.html'), page);
    fs.writeFileSync(path.join(dir, ASSET), script('app'));
    fs.writeFileSync(path.join(dir, STYLE), Array.from({ length: 300 }, (_, i) => `.c${i}{margin:${i}px}`).join('\n'));
    fs.writeFileSync(path.join(dir, IMAGE), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    fs.writeFileSync(path.join(dir, TINY), '1');
    fs.writeFileSync(path.join(dir, EDITED), script('before'));
    await precompressDir(dir);
    // Edited after the build: its siblings are stale and must never be sent.
    const later = new Date(Date.now() + 5_000);
    fs.writeFileSync(path.join(dir, EDITED), script('after'));
    fs.utimesSync(path.join(dir, EDITED), later, later);
    server = await startServer(store, { clientDir: dir });
  });
  afterAll(async () => {
    await server?.close();
    await store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the build writes a .br and a .gz sibling where they are smaller, and none for images', () => {
    for (const name of ['index.html', ASSET, STYLE]) {
      expect(fs.existsSync(path.join(dir, `${name}.br`)), `${name}.br`).toBe(true);
      expect(fs.existsSync(path.join(dir, `${name}.gz`)), `${name}.gz`).toBe(true);
    }
    // A one-byte script compresses to more than one byte; a PNG is not text.
    for (const name of [TINY, IMAGE]) {
      expect(fs.readdirSync(path.join(dir, 'assets')).filter((f) => f.startsWith(path.basename(name) + '.'))).toEqual([]);
    }
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'], // Chromium's header: ties go to brotli
    ['deflate, gzip;q=1.0, *;q=0.5', 'gzip'],
    ['identity', undefined],
    ['br;q=0.5, gzip', 'gzip'],
    ['BR;Q=0.9, GZIP;q=0.8', 'br'],
    ['gzip;q=0.2, identity', undefined], // identity named at q=1 beats gzip at 0.2
    ['br;q=0, *', 'gzip'],
    ['*', 'br'],
    ['*;q=0', undefined], // nothing acceptable: the plain file rather than a 406
    ['deflate', undefined],
  ])('Accept-Encoding %j → %s, the body decoding to the file', async (accept, coding) => {
    const res = await get(`/${ASSET}`, accept === undefined ? {} : { 'accept-encoding': accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    if (coding) expect(res.body.length).toBeLessThan(file(ASSET).length / 2);
    expect(decoded(res).equals(file(ASSET))).toBe(true);
  });

  it('a hashed asset: its type, Vary, cached a year as immutable; no ranges', async () => {
    const js = await get(`/${ASSET}`, { 'accept-encoding': 'br', range: 'bytes=0-9' });
    expect(js.status).toBe(200); // the whole file: ranges are not offered
    expect(js.headers['accept-ranges']).toBe('none');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['vary']).toBe('Accept-Encoding');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['etag']).toMatch(/^"[^"]+-br"$/);
    expect(js.headers['last-modified']).toBeTruthy();

    const css = await get(`/${STYLE}`, { 'accept-encoding': 'gzip' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['content-encoding']).toBe('gzip');
    expect(decoded(css).equals(file(STYLE))).toBe(true);
  });

  it('the page, on every client route: HTML, compressed, revalidated', async () => {
    for (const route of CLIENT_ROUTES) {
      const res = await get(route, { 'accept-encoding': 'gzip, deflate, br' });
      expect(res.status, route).toBe(200);
      expect(res.headers['content-type'], route).toBe('text/html; charset=utf-8');
      expect(res.headers['content-encoding'], route).toBe('br');
      expect(res.headers['cache-control'], route).toBe('no-cache');
      expect(res.headers['vary'], route).toBe('Accept-Encoding');
      expect(decoded(res).equals(file('index.html')), route).toBe(true);
    }
  });

  it('a revalidation answers 304 for the same representation, 200 for another', async () => {
    const first = await get('/e/DEMO42', { 'accept-encoding': 'br' });
    const etag = first.headers['etag']!;
    const again = await get('/e/DEMO42', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    expect(again.headers['vary']).toBe('Accept-Encoding');
    expect(again.headers['cache-control']).toBe('no-cache');
    // The same tag for the gzip representation is another one's: the whole gzip body.
    const other = await get('/e/DEMO42', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(other.status).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
    // By date alone.
    const since = await get(`/${ASSET}`, { 'accept-encoding': 'gzip', 'if-modified-since': first.headers['last-modified']! });
    expect(since.status).toBe(304);
  });

  it('HEAD answers GET\'s headers without a body', async () => {
    const got = await get(`/${ASSET}`, { 'accept-encoding': 'gzip' });
    const head = await get(`/${ASSET}`, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of ['content-type', 'content-encoding', 'content-length', 'etag', 'cache-control', 'vary']) {
      expect(head.headers[h], h).toBe(got.headers[h]);
    }
  });

  it('files without siblings, images, and files edited after the build are sent as they are', async () => {
    const tiny = await get(`/${TINY}`, { 'accept-encoding': 'br, gzip' });
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('1');
    expect(tiny.headers['vary']).toBe('Accept-Encoding');

    const png = await get(`/${IMAGE}`, { 'accept-encoding': 'br, gzip' });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.equals(file(IMAGE))).toBe(true);

    const edited = await get(`/${EDITED}`, { 'accept-encoding': 'br, gzip' });
    expect(edited.headers['content-encoding']).toBeUndefined();
    expect(decoded(edited).toString()).toContain('line 0 of after');
  });

  it('a missing asset is a 404, never the page; siblings and hidden paths are not served', async () => {
    for (const url of [
      '/assets/missing-12345678.js',
      `/${ASSET}.br`,
      '/assets/..%2F..%2Fpackage.json',
      '/assets/.hidden',
      '/assets/',
    ]) {
      const res = await get(url, { 'accept-encoding': 'br, gzip' });
      expect(res.status, url).toBe(404);
      expect(decoded(res).toString(), url).not.toContain('<title>Tribune</title>');
    }
  });

  it("any other path is a 404 with the app's own not-found page (not Express's \"Cannot GET\")", async () => {
    for (const url of ['/no-such-route', '/e/CODE/extra', '/index.html.gz']) {
      const res = await get(url, { 'accept-encoding': 'br, gzip' });
      expect(res.status, url).toBe(404);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(decoded(res).toString(), url).toContain('<title>Tribune</title>');
    }
  });
});
