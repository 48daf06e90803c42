/**
 * The live core end to end: a real server on port 0, real sockets, against both stores.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { EventList } from '../shared/schemas.ts';
import { ADMIN_TOKEN, connect, createTestEvent, refusal, sampleSetup } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { storeOnly, useServerSuite } from './helpers/suite.ts';

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`live core on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connect, async (location) => storeOnly(await kind.open(location)));
    const { open, clients } = t;
    const moderator = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const attendee = (extra: Record<string, unknown> = {}) => open({ code: t.ev.event.code, ...extra });

    describe('HTTP', () => {
      it('answers health with the store kind', async () => {
        const res = await fetch(`${t.url}/healthz`);
        expect(await res.json()).toEqual({ ok: true, store: kind.name });
      });

      it('creates an event with long secrets and links carrying them in the fragment', async () => {
        expect(t.ev.event.code).toMatch(/^[A-Z2-9]{6}$/);
        expect(t.ev.secrets.moderator.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
        expect(Object.keys(t.ev.secrets.interpreters)).toEqual(['fr', 'es', 'he']);
        expect(t.ev.links.moderator).toBe(`http://tribune.test/m/${t.ev.event.id}#k=${t.ev.secrets.moderator}`);
        expect(t.ev.links.attendee).toBe(`http://tribune.test/e/${t.ev.event.code}`);
        expect(t.ev.event.indicators.map((i) => i.id)).toEqual(['relevance', 'atmosphere', 'smoothRunning']);
      });

      it('refuses event creation without the admin token, and bad setups with the field named', async () => {
        const post = (body: unknown, token?: string) =>
          fetch(`${t.url}/api/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: typeof body === 'string' ? body : JSON.stringify(body),
          });
        const noToken = await post({ title: 'x', languages: ['fr'], agenda: [{}] });
        expect(noToken.status).toBe(401);
        expect((await noToken.json()).error.code).toBe('AUTH_FAILED');
        expect((await post({ title: 'x', languages: ['fr'], agenda: [{}] }, 'wrong-token-wrong-token')).status).toBe(401);
        const bad = await post({ title: 'x', languages: ['fr'], agenda: [] }, ADMIN_TOKEN);
        expect(bad.status).toBe(400);
        const body = await bad.json();
        expect(body.error.code).toBe('INVALID_PAYLOAD');
        expect(body.error.message).toMatch(/agenda/);
        expect((await post('{not json', ADMIN_TOKEN)).status).toBe(400);
        expect((await post('{not json')).status).toBe(401); // the token is checked before the body is read
        expect((await post({ title: 'x'.repeat(300_000) }, ADMIN_TOKEN)).status).toBe(413);
      });

      it('lists events for the admin only, newest first, without secrets', async () => {
        const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
        const later = await createTestEvent(t.url, { ...sampleSetup, title: 'Later evening' });
        expect((await fetch(`${t.url}/api/events`)).status).toBe(401);
        expect((await fetch(`${t.url}/api/events`, { headers: { authorization: `Bearer ${t.ev.secrets.moderator}` } })).status).toBe(401);
        const res = await fetch(`${t.url}/api/events`, { headers: admin });
        expect(res.status).toBe(200);
        const { events } = (await res.json()) as EventList;
        const mine = events.filter((e) => e.id === t.ev.event.id || e.id === later.event.id);
        expect(mine.map((e) => e.title)).toEqual(['Later evening', sampleSetup.title]);
        expect(mine[1]).toEqual({
          id: t.ev.event.id,
          code: t.ev.event.code,
          title: sampleSetup.title,
          languages: ['fr', 'es', 'he'],
          createdAt: expect.any(Number),
          items: sampleSetup.agenda.length,
          phase: 'waiting',
        });
        expect(JSON.stringify(events)).not.toMatch(/secret|hash/i);
      });

      it('gives new links on request: old keys are refused and their screens closed; attendees stay', async () => {
        const mod = await moderator();
        const interpreter = await open({ eventId: t.ev.event.id, token: t.ev.secrets.interpreters.es });
        const phone = await attendee();
        const closed = (c: { socket: { connected: boolean } }) => !c.socket.connected;
        const replace = (token: string, id = t.ev.event.id) =>
          fetch(`${t.url}/api/events/${id}/secrets`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        expect((await replace(t.ev.secrets.moderator)).status).toBe(401);
        expect((await replace(ADMIN_TOKEN, 'no-such-event')).status).toBe(404);
        expect(mod.socket.connected).toBe(true);

        const res = await replace(ADMIN_TOKEN);
        expect(res.status).toBe(200);
        const fresh = (await res.json()) as typeof t.ev;
        expect(fresh.event).toEqual(t.ev.event);
        expect(fresh.secrets.moderator).not.toBe(t.ev.secrets.moderator);
        expect(fresh.links.moderator).toBe(`http://tribune.test/m/${t.ev.event.id}#k=${fresh.secrets.moderator}`);
        expect(Object.keys(fresh.links.interpreters)).toEqual(['fr', 'es', 'he']);

        await eventually(() => expect(closed(mod) && closed(interpreter)).toBe(true));
        expect(phone.socket.connected).toBe(true);
        expect(await refusal(t.url, { eventId: t.ev.event.id, token: t.ev.secrets.moderator, deviceId: 'device-0001' })).toBe('AUTH_FAILED');
        expect(await refusal(t.url, { eventId: t.ev.event.id, token: t.ev.secrets.interpreters.es, deviceId: 'device-0001' })).toBe('AUTH_FAILED');
        const again = await open({ eventId: t.ev.event.id, token: fresh.secrets.moderator });
        expect(await again.send('agenda:next')).toEqual({ ok: true });
      });

      it('joins by code, case-insensitively, and serves the QR code', async () => {
        const res = await fetch(`${t.url}/api/join/${t.ev.event.code.toLowerCase()}`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual(t.ev.event);
        const missing = await fetch(`${t.url}/api/join/NOPE99`);
        expect(missing.status).toBe(404);
        expect((await missing.json()).error.code).toBe('NOT_FOUND');
        const link = await fetch(`${t.url}/api/join/${t.ev.event.code.toLowerCase()}/link`);
        expect(await link.json()).toEqual({ url: `http://tribune.test/e/${t.ev.event.code}` });
        const qr = await fetch(`${t.url}/api/join/${t.ev.event.code}/qr.svg`);
        expect(qr.headers.get('content-type')).toMatch(/image\/svg\+xml/);
        expect(await qr.text()).toMatch(/^<svg/);
      });
    });

    describe('handshake', () => {
      it('refuses an unknown event, a wrong token and a bad device id with their codes', async () => {
        expect(await refusal(t.url, { code: 'ZZZZZZ', deviceId: 'device-0001' })).toBe('NOT_FOUND');
        expect(await refusal(t.url, { eventId: t.ev.event.id, token: 'nope', deviceId: 'device-0001' })).toBe('AUTH_FAILED');
        expect(await refusal(t.url, { code: t.ev.event.code, deviceId: 'x' })).toBe('INVALID_PAYLOAD');
        expect(await refusal(t.url, { deviceId: 'device-0001' })).toBe('INVALID_PAYLOAD');
      });

      it('reads the handshake leniently where the contract says so: unknown names NOT_FOUND, odd tokens AUTH_FAILED, odd hints ignored', async () => {
        const device = { deviceId: 'device-0001' };
        for (const eventId of ['no such event!', 'x'.repeat(60), 'f'.repeat(64)]) expect(await refusal(t.url, { ...device, eventId })).toBe('NOT_FOUND');
        expect(await refusal(t.url, { ...device, code: 'C'.repeat(25) })).toBe('NOT_FOUND');
        for (const token of ['', 'k'.repeat(300)]) expect(await refusal(t.url, { ...device, eventId: t.ev.event.id, token })).toBe('AUTH_FAILED');
        for (const odd of [{ lang: 'x'.repeat(25), table: 't'.repeat(50) }, { lang: 42, table: { id: 't1' } }]) {
          const phone = await attendee(odd);
          await eventually(() => expect(phone.latest().event.code).toBe(t.ev.event.code));
          expect(await phone.send('lang:set', { lang: 'es' })).toEqual({ ok: true }); // a working attendee
        }
        expect((await fetch(`${t.url}/api/join/%20${t.ev.event.code}%20`)).status).toBe(200); // a code typed with spaces
        expect(t.ev.event.theme).toBe(''); // no theme given: "", so every field of the event is there
        const themed = await createTestEvent(t.url, { ...sampleSetup, theme: 'Centre historique' });
        expect(themed.event.theme).toBe('Centre historique');
      });

      it('sends the whole state on connect, to any role', async () => {
        const a = await attendee({ lang: 'xx', table: 'nope' });
        const s = a.latest();
        expect(s.event.code).toBe(t.ev.event.code);
        expect(s.agenda.map((i) => i.id)).toEqual(['aix', 'granada', 'coimbra']);
        expect(s.stage.phase).toBe('waiting');
        expect(typeof s.serverTime).toBe('number');
        const p = await open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
        expect(p.latest().rev).toBeGreaterThanOrEqual(s.rev);
      });
    });

    describe('moderator commands', () => {
      it('Next reaches every phone with a higher rev, and the ack says ok', async () => {
        const m = await moderator();
        const phones = await Promise.all([attendee(), attendee({ table: 't1' })]);
        const before = m.latest().rev;
        expect(await m.send('agenda:next')).toEqual({ ok: true });
        for (const phone of phones) {
          await eventually(() => expect(phone.latest().stage.itemId).toBe('aix'));
          expect(phone.latest().rev).toBeGreaterThan(before);
          expect(phone.latest().stage.timer.running).toBe(true);
        }
      });

      it("an attendee's or projector's agenda:next is FORBIDDEN whatever the payload, and changes nothing", async () => {
        const a = await attendee();
        const p = await open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
        // Presence of the attendee is published on its own schedule: let it land first.
        await eventually(async () => expect((await t.store.getState(t.ev.event.id))!.audience.connected).toBe(1));
        const rev = (await t.store.getState(t.ev.event.id))!.rev;
        expect(await a.send('agenda:next')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await a.send('agenda:go', 'garbage')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await p.send('timer:start')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        const i = await open({ eventId: t.ev.event.id, token: t.ev.secrets.interpreters.es });
        expect(await i.send('phase:set', { phase: 'break' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await i.send('lang:set', { lang: 'fr' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        // Even past the command rate limit, the answer is FORBIDDEN, never RATE_LIMITED.
        const burst = await Promise.all(Array.from({ length: 45 }, () => a.send('agenda:next')));
        expect(burst.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array(45).fill('FORBIDDEN'));
        expect((await t.store.getState(t.ev.event.id))!.rev).toBe(rev);
      });

      it('malformed payloads are INVALID_PAYLOAD and change nothing; a command without ack is dropped', async () => {
        const m = await moderator();
        const rev = (await t.store.getState(t.ev.event.id))!.rev;
        expect(await m.send('agenda:go', { itemId: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        expect(await m.send('timer:extend', { seconds: 601 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        expect(await m.send('phase:set', { phase: 'party' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        expect(await m.send('agenda:go', { itemId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        // Without a payload, a command reads as `{}`: agenda:next needs nothing more.
        const bare = await new Promise((resolve) => (m.socket as unknown as { emit(e: string, cb: (a: unknown) => void): void }).emit('timer:pause', resolve));
        expect(bare).toMatchObject({ ok: false, error: { code: 'CONFLICT' } }); // read as {}: nothing on stage, not INVALID_PAYLOAD
        m.socket.emit('agenda:next', {} as never, undefined as never);
        (m.socket as unknown as { emit(e: string, p: unknown): void }).emit('agenda:next', {});
        (m.socket as unknown as { emit(e: string, p: unknown, cb: () => void): void }).emit('no:such:event', {}, () => {});
        // An acked command afterwards proves the dropped ones were processed first (in order) and did nothing.
        expect(await m.send('timer:start')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
        expect((await t.store.getState(t.ev.event.id))!.rev).toBe(rev);
      });

      it('drives timer, slides, phase and projector, with CONFLICT where the state forbids it', async () => {
        const m = await moderator();
        expect(await m.send('slide:next')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
        expect(await m.send('agenda:go', { itemId: 'granada' })).toEqual({ ok: true });
        expect(await m.send('timer:pause')).toEqual({ ok: true });
        expect(await m.send('timer:extend', { seconds: 60 })).toEqual({ ok: true });
        expect(await m.send('slide:next')).toEqual({ ok: true });
        expect(await m.send('slide:goto', { page: 7 })).toEqual({ ok: true });
        expect(await m.send('phase:set', { phase: 'qa' })).toEqual({ ok: true });
        expect(await m.send('projector:show', { mode: 'join' })).toEqual({ ok: true });
        await eventually(() => {
          const s = m.latest();
          expect(s.stage).toMatchObject({ itemId: 'granada', phase: 'qa', slide: { itemId: 'granada', page: 7 } });
          expect(s.stage.timer).toMatchObject({ running: false, plannedMs: 660_000 });
          expect(s.projector).toEqual({ mode: 'join', questionId: null });
        });
        expect(await m.send('agenda:next')).toEqual({ ok: true }); // coimbra
        expect(await m.send('agenda:next')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
        const stored = (await t.store.getState(t.ev.event.id))!;
        expect(stored.agenda.map((i) => i.status)).toEqual(['planned', 'done', 'live']);
      });

      it('agenda:update keeps history and refuses to remove the live item', async () => {
        const m = await moderator();
        await m.send('agenda:go', { itemId: 'aix' });
        const items = [
          { id: 'aix', speaker: 'Aix speaker', delegation: 'Aix', title: 'Centre', plannedSeconds: 600 },
          { speaker: 'New speaker', delegation: 'Bath', title: 'Heritage', plannedSeconds: 300 },
        ];
        expect(await m.send('agenda:update', { items })).toEqual({ ok: true });
        await eventually(() => expect(m.latest().agenda.map((i) => i.speaker)).toEqual(['Aix speaker', 'New speaker']));
        expect(m.latest().agenda[0]!.status).toBe('live');
        expect(await m.send('agenda:update', { items: items.slice(1) })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      });

      it('lang:set accepts the event languages only', async () => {
        const a = await attendee();
        expect(await a.send('lang:set', { lang: 'es' })).toEqual({ ok: true });
        expect(await a.send('lang:set', { lang: 'de' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      });
    });

    describe('presence', () => {
      it('counts attendees per table, coalesced: a join storm of N phones costs far fewer than N states', async () => {
        const m = await moderator();
        const seen = m.states.length;
        const N = 40;
        await Promise.all(Array.from({ length: N }, (_, i) => attendee({ table: i % 2 ? 't1' : 't2' })));
        await eventually(() => expect(m.latest().audience).toEqual({ connected: N, byTable: { t1: N / 2, t2: N / 2 } }));
        expect(m.states.length - seen).toBeLessThan(N / 4);
        clients.filter((c) => c !== m).forEach((c) => c.close());
        await eventually(() => expect(m.latest().audience.connected).toBe(0));
      });
    });

    describe('faults', () => {
      it('a phone that reconnects after missing changes gets the current state at once', async () => {
        const m = await moderator();
        const a = await attendee();
        a.socket.disconnect();
        await m.send('agenda:next');
        await m.send('slide:next');
        a.socket.connect();
        await eventually(() => expect(a.latest().stage.slide).toEqual({ itemId: 'aix', page: 2 }));
      });

      it('a restart on the same data keeps the state, and rev goes on increasing', async () => {
        const m = await moderator();
        await m.send('agenda:next');
        await m.send('slide:goto', { page: 5 });
        const rev = (await t.store.getState(t.ev.event.id))!.rev;
        m.close();
        await t.restart();
        const again = await moderator();
        const s = again.latest();
        expect(s.stage).toMatchObject({ itemId: 'aix', slide: { page: 5 } });
        expect(s.rev).toBeGreaterThanOrEqual(rev);
        expect(await again.send('slide:next')).toEqual({ ok: true });
        await eventually(() => expect(again.latest().rev).toBeGreaterThan(s.rev));
      });
    });
  });
}
