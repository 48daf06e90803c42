/**
 * What `vite build` leaves in dist/client (npm test builds before the suite): every compressible
 * file with its `.br` and `.gz` siblings, and the real entry script and page served compressed.
 * Without a build the suite is skipped, or fails with CI=true.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSIBLE_FILE } from '../server/http/encoding.ts';
import { createMemoryStore } from '../server/store/memory.ts';
import { decoded, codedRequest } from './helpers/coded-http.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const CLIENT_DIR = new URL('../dist/client/', import.meta.url).pathname;
const built = fs.existsSync(path.join(CLIENT_DIR, 'index.html'));
if (!built) {
  const message = `${CLIENT_DIR} has no build: the build output tests ${process.env.CI ? 'cannot run' : 'are skipped'} (run vite build, or npm test)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [full];
  });
}

describe.skipIf(!built)('the build output (dist/client)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-build-'));
  const store = createMemoryStore({ dataDir });
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(store, { clientDir: CLIENT_DIR });
  });
  afterAll(async () => {
    await server?.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every compressible file has .br and .gz siblings that decode to it (unless it is too small to shrink)', () => {
    const originals = files(CLIENT_DIR).filter((f) => COMPRESSIBLE_FILE.test(f));
    expect(originals.length).toBeGreaterThan(10);
    const entry = /src="\/(assets\/index-[^"]+\.js)"/.exec(fs.readFileSync(path.join(CLIENT_DIR, 'index.html'), 'utf8'))?.[1];
    expect(entry).toBeTruthy();
    for (const f of originals) {
      const body = fs.readFileSync(f);
      const br = `${f}.br`;
      const gz = `${f}.gz`;
      if (fs.existsSync(br)) expect(zlib.brotliDecompressSync(fs.readFileSync(br)).equals(body), br).toBe(true);
      else expect(zlib.brotliCompressSync(body).length, `${br} missing`).toBeGreaterThanOrEqual(body.length);
      if (fs.existsSync(gz)) expect(zlib.gunzipSync(fs.readFileSync(gz)).equals(body), gz).toBe(true);
      else expect(zlib.gzipSync(body, { level: 9 }).length, `${gz} missing`).toBeGreaterThanOrEqual(body.length);
    }
    // The page and the entry script: the bytes every phone loads first.
    for (const f of ['index.html', entry!]) {
      expect(fs.existsSync(path.join(CLIENT_DIR, `${f}.br`)), f).toBe(true);
      expect(fs.existsSync(path.join(CLIENT_DIR, `${f}.gz`)), f).toBe(true);
    }
  });

  it('serves the real entry script and page compressed', async () => {
    const page = await codedRequest(`${server.url}/e/ABC123`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-cache');
    const html = decoded(page).toString();
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)![1]!;
    // The join step's chunk, the reader's dictionary and the join snapshot are named in the page's
    // Link header (server/http/hints.ts), to be fetched beside the entry script.
    const link = String(page.headers.link);
    expect(link).toMatch(/<\/assets\/Attendee-[^>]+\.js>; rel=modulepreload/);
    expect(link).toMatch(/<\/assets\/en-[^>]+\.js>; rel=modulepreload/);
    expect(link).toContain('</api/join/ABC123>; rel=preload; as=fetch; crossorigin');
    for (const [, file] of link.matchAll(/<\/(assets\/[^>]+)>/g)) expect(fs.existsSync(path.join(CLIENT_DIR, file!)), file).toBe(true);
    const js = await codedRequest(`${server.url}${entry}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(js.status).toBe(200);
    expect(js.headers['content-encoding']).toBe('br');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(decoded(js).equals(fs.readFileSync(path.join(CLIENT_DIR, entry)))).toBe(true);
  });
});
