/**
 * Issue 11 ("Hold the room"), socket side: fresh identities cost, binary is refused, sockets per
 * address are bounded, floods are cut off without a log line each, budgets follow the act, and
 * unknown commands are answered. Real server on port 0, real sockets, both stores.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { io as ioClient } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../shared/errors.ts';
import { deviceProofs } from '../server/auth/device.ts';
import { DEFAULT_ALLOWANCES } from '../server/socket/allowances.ts';
import { DEFAULT_BUDGETS } from '../server/socket/budgets.ts';
import type { Backend } from '../server/backend.ts';
import type { AppDeps } from '../server/app.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { eventually } from './helpers/eventually.ts';
import { newQuestionId } from './helpers/questions.ts';
import { connect, createTestEvent, newDeviceId, refusal, startBackendServer, type Client, type TestServer } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';

const DEVICE_KEY = 'robustness-test-device-key';

/** A logger whose lines the test can count. */
function countingLogger() {
  const lines: { msg: string; code?: string; refused?: number }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info', base: undefined }, sink), lines };
}

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`robustness of the socket edge (${kind.name})`, () => {
    let location = '';
    let backend: Backend;
    let server: TestServer;
    let ev: CreatedEvent;
    const clients: Client[] = [];
    /** Raw sockets of a test, closed after it. */
    const extras: { close(): unknown }[] = [];
    let log = countingLogger();

    /** A server with these settings (and a counting logger), a fresh event on it. */
    async function serve(extra: Partial<AppDeps> = {}) {
      await server?.close();
      log = countingLogger();
      const allowances = { ...DEFAULT_ALLOWANCES, ...extra.allowances };
      server = await startBackendServer(backend, { deviceKey: DEVICE_KEY, logger: log.logger, ...extra, allowances });
      ev = await createTestEvent(server.url);
    }
    const open = async (auth: Record<string, unknown>) => {
      const c = await connect(server.url, auth);
      clients.push(c);
      return c;
    };
    const phone = (extra: Record<string, unknown> = {}) => open({ code: ev.event.code, ...extra });
    const moderator = () => open({ eventId: ev.event.id, token: ev.secrets.moderator });
    const disconnected = (c: Client) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve));

    beforeAll(async () => {
      location = kind.newLocation();
      backend = await kind.openBackend(location);
    });
    afterEach(() => {
      clients.splice(0).forEach((c) => c.close());
      extras.splice(0).forEach((c) => c.close());
    });
    afterAll(async () => {
      await server?.close();
      await backend.close();
      await kind.cleanup(location);
    });

    describe('fresh identities cost', () => {
      it('new device ids per address are a budget; a device that comes back is known (proof or memory)', async () => {
        await serve({ allowances: { newDevices: { burst: 5, perSecond: 0.001 } } });
        const kept = newDeviceId();
        const first = await phone({ deviceId: kept });
        // The server hands a device it has not seen its proof.
        const proof = await new Promise<string>((resolve) => {
          const c = ioClient(server.url, { transports: ['websocket'], auth: { code: ev.event.code, deviceId: newDeviceId() }, forceNew: true, reconnection: false });
          c.once('device', ({ proof }) => (c.close(), resolve(proof)));
        });
        expect(proof).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
        for (let n = 0; n < 3; n++) await phone();
        expect(await refusal(server.url, { code: ev.event.code, deviceId: newDeviceId() })).toBe('RATE_LIMITED');
        // Known devices are not new: the one this process saw, and one with a valid proof.
        first.close();
        await phone({ deviceId: kept });
        const proven = newDeviceId();
        const valid = deviceProofs(DEVICE_KEY).issue(proven, Date.now() - 3_600_000);
        await phone({ deviceId: proven, deviceProof: valid });
        // A proof for another device, or a forged one, proves nothing.
        expect(await refusal(server.url, { code: ev.event.code, deviceId: newDeviceId(), deviceProof: valid })).toBe('RATE_LIMITED');
        // The keyed screens are never refused for their address.
        await moderator();
      });

      it("new devices' questions and votes draw on their address's budget; long-known devices do not", async () => {
        await serve({ allowances: { newDeviceActs: { ask: { burst: 3, perSecond: 0.001 }, vote: { burst: 2, perSecond: 0.001 } } } });
        await (await moderator()).send('event:moderation', { mode: 'post' });
        const fresh = await Promise.all(Array.from({ length: 4 }, () => phone()));
        const asks = await Promise.all(fresh.map((p) => p.send('question:ask', { id: newQuestionId(), text: 'Qui paie ?' })));
        expect(asks.map((a) => (a.ok ? 'ok' : a.error.code)).sort()).toEqual(['RATE_LIMITED', 'ok', 'ok', 'ok']);
        const question = (asks.find((a) => a.ok) as { data: { id: string } }).data.id;
        const votes = await Promise.all(fresh.map((p) => p.send('question:vote', { id: question, value: 1 })));
        expect(votes.filter((v) => v.ok)).toHaveLength(2);
        expect(votes.filter((v) => !v.ok).every((v) => !v.ok && v.error.code === 'RATE_LIMITED')).toBe(true);
        // A phone known for an hour (its proof says so) asks and votes as before.
        const old = newDeviceId();
        const veteran = await phone({ deviceId: old, deviceProof: deviceProofs(DEVICE_KEY).issue(old, Date.now() - 3_600_000) });
        expect(await veteran.send('question:ask', { id: newQuestionId(), text: 'Et les habitants ?' })).toMatchObject({ ok: true });
        expect(await veteran.send('question:vote', { id: question, value: 1 })).toMatchObject({ ok: true });
      });

      it('with the default settings, a script minting a device per socket is refused long before 300', async () => {
        await serve();
        const results = await Promise.all(
          Array.from({ length: 300 }, () =>
            refusal(server.url, { code: ev.event.code, deviceId: newDeviceId() }).catch(() => 'accepted'),
          ),
        );
        const accepted = results.filter((r) => r === 'accepted').length;
        expect(results.filter((r) => r !== 'accepted').every((r) => r === 'RATE_LIMITED')).toBe(true);
        // A burst of 100, then 5 a second: 200 would take 20 s of connecting.
        expect(accepted).toBeGreaterThanOrEqual(100);
        expect(accepted).toBeLessThan(200);
      });
    });

    describe('memory', () => {
      it('a packet announcing binary attachments closes its connection before any frame is held', async () => {
        await serve();
        const p = await phone();
        const gone = disconnected(p);
        const engine = (p.socket.io as unknown as { engine: { send(data: string | Buffer): void } }).engine;
        engine.send('451-["question:ask",{"_placeholder":true,"num":0}]');
        engine.send(Buffer.alloc(200 * 1024));
        expect(await gone).toBe('transport close');
        // The socket.io-client's own binary emit is refused the same way.
        const q = await phone();
        const qGone = disconnected(q);
        q.socket.emit('question:ask', { id: newQuestionId(), text: Buffer.from('hi') } as never, (() => {}) as never);
        expect(await qGone).toBe('transport close');
        // The server is fine: a new phone joins and its commands are answered.
        expect(await (await phone()).send('lang:set', { lang: 'es' })).toEqual({ ok: true });
      });

      it('a connection that does not read what it is sent is closed once it holds too much', async () => {
        await serve({ maxBufferedBytes: 64 * 1024, commandLimits: { budgets: { ...DEFAULT_BUDGETS, drive: { burst: 5000, perSecond: 5000 } } } });
        const m = await moderator();
        const stalled = await phone();
        await eventually(() => expect(m.latest().audience.connected).toBe(1));
        // Stop reading on the phone's side: the server's sends pile up in its buffers.
        const ws = (stalled.socket.io as unknown as { engine: { transport: { ws: { _socket: { pause(): void; resume(): void } } } } }).engine.transport.ws;
        ws._socket.pause();
        // Big states: a long running order, changed over and over, until the server lets the phone go
        // (presence: the moderator sees the audience drop to none).
        const items = Array.from({ length: 150 }, (_, n) => ({
          id: `i${n}`,
          speaker: 'S'.repeat(100),
          delegation: 'D'.repeat(100),
          title: `${'T'.repeat(150)}${n}`,
          plannedSeconds: 60,
        }));
        for (let sent = 0; m.latest().audience.connected > 0 && sent < 5000; sent++) {
          expect(await m.send('agenda:update', { items: sent % 2 ? items : items.slice(1) })).toMatchObject({ ok: true });
        }
        expect(m.latest().audience.connected).toBe(0);
        const gone = disconnected(stalled);
        ws._socket.resume();
        expect(await gone).toBe('transport close');
      });
    });

    describe('sockets per address', () => {
      it('attendee sockets per address are bounded; a place frees when one leaves; keyed screens still join', async () => {
        await serve({ allowances: { maxSocketsPerAddress: 5 } });
        const phones = await Promise.all(Array.from({ length: 5 }, () => phone()));
        expect(await refusal(server.url, { code: ev.event.code, deviceId: newDeviceId() })).toBe('RATE_LIMITED');
        await moderator();
        phones[0]!.close();
        await eventually(async () => {
          const c = await phone();
          expect(c.socket.connected).toBe(true);
        });
      });
    });

    describe('behind a reverse proxy', () => {
      /** A handshake as a proxy on loopback forwards it, for the client `forwarded`. */
      const through = (forwarded: string) =>
        new Promise<string>((resolve) => {
          const c = ioClient(server.url, {
            transports: ['websocket'],
            auth: { code: ev.event.code, deviceId: newDeviceId() },
            extraHeaders: { 'x-forwarded-for': forwarded },
            forceNew: true,
            reconnection: false,
          });
          c.once('connect', () => resolve('accepted'));
          c.once('connect_error', (err) => resolve(err.message));
          extras.push(c);
        });

      it('with TRUST_PROXY, phones count against their forwarded address; without it, against the proxy', async () => {
        await serve({ allowances: { maxSocketsPerAddress: 2 }, trustProxy: ['loopback'] });
        const trusted = await Promise.all(['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.3'].map(through));
        expect(trusted).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
        expect(await through('10.0.0.1')).toBe('RATE_LIMITED');
        await serve({ allowances: { maxSocketsPerAddress: 2 } });
        const ignored = await Promise.all(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map(through));
        expect(ignored.sort()).toEqual(['RATE_LIMITED', 'accepted', 'accepted']);
      });
    });

    describe('floods', () => {
      it('a socket sending commands as fast as it can is cut off, and its refusals are not logged one by one', async () => {
        await serve();
        const p = await phone();
        const gone = disconnected(p);
        const acks: Ack[] = [];
        for (let n = 0; n < 3000 && p.socket.connected; n++) {
          (p.socket.emit as (...a: unknown[]) => void)('rating:set', { target: 'event', indicator: 'atmosphere', score: 1 + (n % 5) }, (a: Ack) => acks.push(a));
        }
        expect(await gone).toBe('io server disconnect');
        expect(acks.some((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
        await eventually(() => expect(log.lines.filter((l) => l.msg === 'flood: socket cut off')).toHaveLength(1));
        expect(log.lines.filter((l) => l.code === 'RATE_LIMITED')).toHaveLength(0);
        expect(log.lines.filter((l) => l.msg === 'commands refused for rate').length).toBeLessThanOrEqual(2);
      });

      it('a flood of events without acknowledgement, or of unknown ones, is cut off too', async () => {
        await serve();
        for (const name of ['no:such:command', 'rating:set']) {
          const p = await phone();
          const gone = disconnected(p);
          for (let n = 0; n < 3000 && p.socket.connected; n++) (p.socket.emit as (...a: unknown[]) => void)(name, {});
          expect(await gone).toBe('io server disconnect');
        }
      });
    });

    describe('budgets by role and act', () => {
      it("an interpreter's burst of 100 caption:push (interim updates and pasted lines) passes whole", async () => {
        await serve();
        const m = await moderator();
        expect(await m.send('agenda:next')).toMatchObject({ ok: true });
        const i = await open({ eventId: ev.event.id, token: ev.secrets.interpreters.es });
        const acks = await Promise.all(
          Array.from({ length: 100 }, (_, n) => i.send('caption:push', { id: `line${n >> 1}`, text: `Línea ${n}`, final: n % 2 === 1 })),
        );
        expect(acks.filter((a) => !a.ok)).toEqual([]);
      });

      it('a phone whose questions were refused can still vote and rate', async () => {
        await serve();
        await (await moderator()).send('event:moderation', { mode: 'post' });
        const other = await phone();
        const asked = await other.send('question:ask', { id: newQuestionId(), text: 'Le tram ?' });
        const id = (asked as { data: { id: string } }).data.id;
        const p = await phone();
        const asks = await Promise.all(Array.from({ length: 30 }, (_, n) => p.send('question:ask', { id: newQuestionId(), text: `Question ${n}` })));
        expect(asks.some((a) => !a.ok && a.error.code === 'RATE_LIMITED')).toBe(true);
        expect(await p.send('question:vote', { id, value: 1 })).toMatchObject({ ok: true });
        expect(await p.send('rating:set', { target: 'event', indicator: 'atmosphere', score: 4 })).toMatchObject({ ok: true });
      });
    });

    it('an unknown command with an acknowledgement is answered NOT_FOUND', async () => {
      await serve();
      const p = await phone();
      const ack = await new Promise<Ack>((resolve) => (p.socket.emit as (...a: unknown[]) => void)('no:such:command', {}, resolve));
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await p.send('lang:set', { lang: 'es' })).toEqual({ ok: true });
    });
  });
}
