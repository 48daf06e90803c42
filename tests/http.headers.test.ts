/**
 * Security headers (PROTOCOL v2): every HTML page and API answer carries a Content-Security-Policy
 * with no inline script and `frame-ancestors 'none'`, `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`. A real server on port 0
 * serving the built client (dist/client); that the client runs under this policy is shown in
 * Chromium by browser.security.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { rawRequest } from './helpers/raw-http.ts';
import { createTestEvent, startBackendServer, type TestServer } from './helpers/server.ts';

const CLIENT_DIR = new URL('../dist/client/', import.meta.url).pathname;

/** The policy as directive → sources. */
function directives(csp: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (csp ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('security headers', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-headers-'));
  let backend: Backend;
  let server: TestServer;
  let ev: CreatedEvent;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) throw new Error('build the client first (vite build)');
    backend = await openBackend({ kind: 'memory', dataDir });
    server = await startBackendServer(backend, { clientDir: CLIENT_DIR });
    ev = await createTestEvent(server.url);
  });
  afterAll(async () => {
    await server.close();
    await backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('pages, API answers and errors carry the policy, nosniff, DENY and no-referrer', async () => {
    const host = new URL(server.url).host;
    const answers: [string, number, RegExp][] = [
      ['/', 200, /^text\/html/],
      ['/admin', 200, /^text\/html/],
      [`/e/${ev.event.code}`, 200, /^text\/html/],
      ['/m/x', 200, /^text\/html/],
      ['/p/x', 200, /^text\/html/],
      ['/i/x', 200, /^text\/html/],
      ['/s/x', 200, /^text\/html/],
      ['/r/x', 200, /^text\/html/],
      [`/api/join/${ev.event.code}`, 200, /^application\/json/],
      [`/api/join/${ev.event.code}/qr.svg`, 200, /^image\/svg\+xml/],
      ['/api/join/NOSUCH', 404, /^application\/json/],
      ['/api/no-such-route', 404, /^application\/json/],
      [`/api/events/${ev.event.id}/report`, 401, /^application\/json/],
    ];
    for (const [url, status, type] of answers) {
      const res = await fetch(`${server.url}${url}`);
      expect([url, res.status, res.headers.get('content-type')]).toEqual([url, status, expect.stringMatching(type)]);
      const csp = directives(res.headers.get('content-security-policy'));
      expect(csp, url).toEqual({
        'default-src': ["'none'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'", `ws://${host}`, `wss://${host}`],
        'media-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      });
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
      await res.arrayBuffer();
    }
  });

  it("a Host that is not a host name is not repeated in the policy; 'self' still covers the socket", async () => {
    const a = await rawRequest(server.url, { method: 'GET', path: '/', headers: { host: 'evil.test; script-src *' } });
    expect(directives(a.headers['content-security-policy'] as string)['connect-src']).toEqual(["'self'"]);
    expect(directives(a.headers['content-security-policy'] as string)['script-src']).toEqual(["'self'"]);
  });

  it('the built page has no inline script or style for the policy to refuse', () => {
    const html = fs.readFileSync(path.join(CLIENT_DIR, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });
});
