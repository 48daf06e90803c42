/**
 * The real entry point as a user runs it: `tsx server/main.ts` on the embedded store.
 * First start prints the admin link and a demo event; kill -9 loses nothing acknowledged.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMain } from './helpers/process.ts';
import { eventually } from './helpers/eventually.ts';
import { ADMIN_TOKEN, connect, createTestEvent, sampleSetup } from './helpers/server.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-proc-'));
const children: ChildProcess[] = [];

const start = (env: Record<string, string> = {}) => startMain({ DATA_DIR: dataDir, ...env }, children);

afterAll(() => {
  children.forEach((c) => c.kill('SIGKILL'));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the server process on the embedded store', () => {
  it('prints the admin link and a demo event on first start, and survives kill -9', async () => {
    const first = await start();
    expect(first.output()).toContain('/admin#k=<ADMIN_TOKEN> (the key is your ADMIN_TOKEN)');
    const demoCode = /join code ([A-Z2-9]{6})/.exec(first.output())?.[1];
    expect(demoCode).toBeDefined();
    const demo = await (await fetch(`${first.url}/api/join/${demoCode}`)).json();
    expect(demo.tables).toHaveLength(4);
    expect(demo.languages).toEqual(['fr', 'es', 'it', 'pt', 'he', 'en']);
    expect((await (await fetch(`${first.url}/healthz`)).json()).store).toBe('memory');

    const ev = await createTestEvent(first.url);
    // PORT=0: the links name the port the system chose, not 0.
    const port = new URL(first.url).port;
    expect(new URL(ev.links.moderator).port).toBe(port);
    expect((await (await fetch(`${first.url}/api/join/${ev.event.code}/link`)).json()).url).toMatch(new RegExp(`:${port}/e/${ev.event.code}$`));
    const m = await connect(first.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    expect(await m.send('agenda:next')).toEqual({ ok: true });
    expect(await m.send('slide:goto', { page: 3 })).toEqual({ ok: true });
    m.close();
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start();
    expect(second.output()).not.toContain('Demo event'); // only on an empty store
    const again = await connect(second.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    expect(again.latest().stage).toMatchObject({ itemId: 'aix', slide: { page: 3 } });
    again.close();
  });
});

describe('the admin token in the output', () => {
  const post = (url: string, token: string) =>
    fetch(`${url}/api/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(sampleSetup),
    });

  it('with ADMIN_TOKEN set, the token is never printed or logged', async () => {
    const dir = fs.mkdtempSync(path.join(dataDir, 'env-'));
    const server = await startMain({ DATA_DIR: dir, LOG_LEVEL: 'info' }, children);
    expect(server.output()).toMatch(/\/admin#k=<ADMIN_TOKEN> \(the key is your ADMIN_TOKEN\)/);
    // Requests carrying it, accepted and refused, write their log lines: none holds it.
    expect((await post(server.url, ADMIN_TOKEN)).status).toBe(201);
    expect((await post(server.url, `${ADMIN_TOKEN}-wrong`)).status).toBe(401);
    await eventually(() => expect(server.output()).toMatch(/"status":401/));
    expect(server.output()).not.toContain(ADMIN_TOKEN);
    expect(fs.existsSync(path.join(dir, 'admin-token'))).toBe(false);
    server.child.kill('SIGKILL');
  });

  it('without it, a token is made and printed at the first start only, kept (0600) and used again', async () => {
    const dir = fs.mkdtempSync(path.join(dataDir, 'kept-'));
    const file = path.join(dir, 'admin-token');
    const first = await startMain({ DATA_DIR: dir, ADMIN_TOKEN: '', LOG_LEVEL: 'info' }, children);
    const token = /\/admin#k=([A-Za-z0-9_-]{20,})/.exec(first.output())?.[1];
    expect(token).toBeDefined();
    expect(first.output()).toContain(file);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await post(first.url, token!)).status).toBe(201);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await startMain({ DATA_DIR: dir, ADMIN_TOKEN: '', LOG_LEVEL: 'info' }, children);
    expect(second.output()).toContain(`/admin#k=<the key kept in ${file}>`);
    expect((await post(second.url, token!)).status).toBe(201);
    expect((await post(second.url, ADMIN_TOKEN)).status).toBe(401);
    await eventually(() => expect(second.output()).toMatch(/"status":401/));
    expect(second.output()).not.toContain(token);
    second.child.kill('SIGKILL');
  });
});

describe('HTTPS', () => {
  it('serves HTTPS itself when TLS_CERT and TLS_KEY are set, with https links', async () => {
    const cert = path.join(dataDir, 'cert.pem');
    const key = path.join(dataDir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const server = await start({ TLS_CERT: cert, TLS_KEY: key, PUBLIC_URL: 'https://tribune.local:8443' });
    expect(server.url).toMatch(/^https:/);
    expect(server.output()).toContain('https://tribune.local:8443/admin#k=');
    expect(server.output()).not.toContain(ADMIN_TOKEN);
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${server.url}/healthz`, { ca: fs.readFileSync(cert), rejectUnauthorized: false }, (res) => {
          let data = '';
          res.on('data', (d) => (data += d));
          res.on('end', () => resolve(data));
        })
        .on('error', reject);
    });
    expect(JSON.parse(body)).toEqual({ ok: true, store: 'memory' });
    server.child.kill('SIGKILL');
  });
});

describe('HOST set to one address', () => {
  it('prints links and a join link (the QR code) on that address, and the demo evening plays on them', async () => {
    const dir = fs.mkdtempSync(path.join(dataDir, 'host-'));
    // startMain listens with HOST=127.0.0.1.
    const server = await startMain({ DATA_DIR: dir }, children);
    const printed = [...server.output().matchAll(/https?:\/\/[^\s/]+\/(?:admin|e|m|p|i|r)\b/g)].map((m) => new URL(m[0]).origin);
    expect(printed.length).toBeGreaterThan(4);
    expect(new Set(printed)).toEqual(new Set([server.url]));
    const ev = await createTestEvent(server.url);
    expect(new URL(ev.links.attendee).origin).toBe(server.url);
    expect((await (await fetch(`${server.url}/api/join/${ev.event.code}/link`)).json()).url).toBe(`${server.url}/e/${ev.event.code}`);

    // `npm run demo:evening -- <the admin link printed>` plays to the end on it.
    const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo-evening.ts', `${server.url}/admin#k=${ADMIN_TOKEN}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(demo);
    let out = '';
    demo.stdout!.on('data', (d) => (out += d));
    demo.stderr!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
    expect(code, out).toBe(0);
    expect(out).toContain(`${server.url}/r/`);
    server.child.kill('SIGKILL');
  }, 90_000);

  it('the demo evening says what failed, without a stack trace, when nobody answers at the link', async () => {
    // A port that was free a moment ago: nobody answers there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo-evening.ts', `http://127.0.0.1:${port}/admin#k=${ADMIN_TOKEN}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(demo);
    let out = '';
    demo.stdout!.on('data', (d) => (out += d));
    demo.stderr!.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('ECONNREFUSED');
    expect(out).toContain(`http://127.0.0.1:${port}`);
    expect(out).not.toMatch(/\n\s+at /);
  });
});
