/**
 * The debate floor end to end: a real server on port 0 with every domain, real sockets, against
 * both stores (PROTOCOL.md "The debate floor: requests to speak").
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '../shared/errors.ts';
import type { Report } from '../shared/report.ts';
import { eventually } from './helpers/eventually.ts';
import { connect, newDeviceId, type Client } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

/** Short enough for a test to see a request leave; a real evening waits 2 minutes. */
const LEAVE_MS = 800;

const idOf = (ack: Ack) => {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return (ack.data as { id: string }).id;
};
const codeOf = (ack: Ack) => (ack.ok ? 'ok' : ack.error.code);
const queueOf = (c: Client) => c.latest().floor?.queue.map((r) => r.id) ?? [];

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`the debate floor on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connect, (location) => kind.openBackend(location, { floor: { leaveMs: LEAVE_MS } }));
    const moderator = () => t.open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const projector = () => t.open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
    const phone = (extra: Record<string, unknown> = {}) => t.open({ code: t.ev.event.code, ...extra });

    it('a new event has a closed, empty floor; closed, a request is refused with CONFLICT', async () => {
      const p = await phone({ table: 't1' });
      expect(p.latest().floor).toEqual({ open: false, queue: [], current: null });
      expect(codeOf(await p.send('floor:request', { kind: 'speak' }))).toBe('CONFLICT');
      const mod = await moderator();
      expect(mod.latest().floor).toEqual({ open: false, queue: [], current: null });
    });

    it('queues by kind then arrival, a point of order jumps the queue, asking again answers the same id', async () => {
      const mod = await moderator();
      const proj = await projector();
      expect(await mod.send('floor:open', { open: true })).toEqual({ ok: true });
      const revOpen = (await eventually(() => {
        expect(mod.latest().floor?.open).toBe(true);
        return mod.latest();
      })).rev;
      // Opening again changes nothing.
      expect(await mod.send('floor:open', { open: true })).toEqual({ ok: true });

      const a = await phone({ table: 't1' });
      const b = await phone({ table: 't2' });
      const c = await phone();
      const idA = idOf(await a.send('floor:request', { kind: 'speak', name: '  Ana  ' }));
      const idB = idOf(await b.send('floor:request', { kind: 'reply' }));
      const idC = idOf(await c.send('floor:request', { kind: 'order', name: 'Chen' }));
      // Asking again, whatever the kind or name, answers the open request and changes nothing.
      expect(idOf(await a.send('floor:request', { kind: 'order', name: 'Other' }))).toBe(idA);
      await eventually(() => expect(queueOf(proj)).toEqual([idC, idB, idA]));
      const floor = proj.latest().floor!;
      expect(floor.queue[0]).toMatchObject({ id: idC, kind: 'order', table: null, name: 'Chen' });
      expect(floor.queue[2]).toMatchObject({ id: idA, kind: 'speak', table: 't1', name: 'Ana' });
      expect(typeof floor.queue[2]!.at).toBe('number');
      expect(proj.latest().rev).toBeGreaterThanOrEqual(revOpen + 3);
      // Phones never receive another device's id.
      expect(JSON.stringify(c.latest())).not.toContain(a.socket.auth && (a.socket.auth as { deviceId: string }).deviceId);

      // A name over 60 characters, an unknown kind: INVALID_PAYLOAD.
      const d = await phone();
      expect(codeOf(await d.send('floor:request', { kind: 'speak', name: 'x'.repeat(61) }))).toBe('INVALID_PAYLOAD');
      expect(codeOf(await d.send('floor:request', { kind: 'shout' }))).toBe('INVALID_PAYLOAD');
    });

    it('give and done: the turn starts, a give ends the running turn, the report counts turns per table', async () => {
      const mod = await moderator();
      await mod.send('floor:open', { open: true });
      const a = await phone({ table: 't1' });
      const b = await phone({ table: 't2' });
      const c = await phone();
      const idA = idOf(await a.send('floor:request', { kind: 'speak', name: 'Ana' }));
      const idB = idOf(await b.send('floor:request', { kind: 'speak' }));
      const idC = idOf(await c.send('floor:request', { kind: 'speak' }));

      expect(await mod.send('floor:give', { id: idA })).toEqual({ ok: true });
      const given = await eventually(() => {
        const cur = a.latest().floor?.current;
        expect(cur?.id).toBe(idA);
        return cur!;
      });
      expect(given).toMatchObject({ id: idA, kind: 'speak', table: 't1', name: 'Ana', plannedMs: 120_000 });
      expect(queueOf(a)).toEqual([idB, idC]);
      expect(await mod.send('floor:extend', { seconds: 60 })).toEqual({ ok: true });
      await eventually(() => expect(a.latest().floor?.current?.plannedMs).toBe(180_000));

      // The second give ends A's turn; done ends B's.
      expect(await mod.send('floor:give', { id: idB })).toEqual({ ok: true });
      expect(await mod.send('floor:done', {})).toEqual({ ok: true });
      const ended = await eventually(() => {
        expect(mod.latest().floor?.current).toBeNull();
        return mod.latest();
      });
      expect(ended.floor?.queue.map((r) => r.id)).toEqual([idC]);
      // An id not in the queue (given already) → NOT_FOUND; dismiss of one that is → gone.
      expect(codeOf(await mod.send('floor:give', { id: idA }))).toBe('NOT_FOUND');
      expect(codeOf(await mod.send('floor:dismiss', { id: 'no-such-id' }))).toBe('NOT_FOUND');
      expect(await mod.send('floor:dismiss', { id: idC })).toEqual({ ok: true });
      await eventually(() => expect(queueOf(c)).toEqual([]));

      const res = await fetch(`${t.url}/api/events/${t.ev.event.id}/report`, { headers: { authorization: `Bearer ${t.ev.secrets.report}` } });
      const report = (await res.json()) as Report;
      expect(report.floor.map((r) => [r.table, r.turns])).toEqual([
        ['t1', 1],
        ['t2', 1],
      ]);
      expect(report.floor.every((r) => r.spokenMs >= 0)).toBe(true);
      const csv = await fetch(`${t.url}/api/events/${t.ev.event.id}/report/floor-turns.csv`, { headers: { authorization: `Bearer ${t.ev.secrets.report}` } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      const lines = (await csv.text()).trim().split('\r\n');
      expect(lines[0]).toBe('table_id,table,turns,spoken_seconds');
      expect(lines[1]).toMatch(/^t1,Grenade,1,\d+$/);
      expect(lines[2]).toMatch(/^t2,Pérouse,1,\d+$/);
    });

    it('roles: an attendee cannot give, open, end or dismiss; a moderator or projector cannot ask', async () => {
      const mod = await moderator();
      await mod.send('floor:open', { open: true });
      const p = await phone({ table: 't1' });
      const id = idOf(await p.send('floor:request', { kind: 'speak' }));
      for (const [cmd, payload] of [
        ['floor:give', { id }],
        ['floor:open', { open: false }],
        ['floor:done', {}],
        ['floor:dismiss', { id }],
        ['floor:extend', { seconds: 60 }],
      ] as const) {
        expect(codeOf(await p.send(cmd, payload))).toBe('FORBIDDEN');
      }
      expect(codeOf(await mod.send('floor:request', { kind: 'speak' }))).toBe('FORBIDDEN');
      expect(codeOf(await (await projector()).send('floor:request', { kind: 'speak' }))).toBe('FORBIDDEN');
      expect(queueOf(mod)).toEqual([id]);
      expect(mod.latest().floor?.current).toBeNull();
    });

    it('withdraw takes out the device’s own request, from any of its sockets', async () => {
      const mod = await moderator();
      await mod.send('floor:open', { open: true });
      const deviceId = newDeviceId();
      const tab1 = await phone({ deviceId, table: 't1' });
      const tab2 = await phone({ deviceId, table: 't1' });
      const other = await phone();
      const mine = idOf(await tab1.send('floor:request', { kind: 'speak' }));
      const theirs = idOf(await other.send('floor:request', { kind: 'speak' }));
      expect(idOf(await tab2.send('floor:request', { kind: 'reply' }))).toBe(mine);
      expect(await tab2.send('floor:withdraw', {})).toEqual({ ok: true });
      await eventually(() => expect(queueOf(mod)).toEqual([theirs]));
      // Nothing to withdraw: nothing changes.
      expect(await tab2.send('floor:withdraw', {})).toEqual({ ok: true });
    });

    it('a request leaves once every socket of its device has been gone for the leave time', async () => {
      const mod = await moderator();
      await mod.send('floor:open', { open: true });
      const stay = newDeviceId();
      const stayTab1 = await phone({ deviceId: stay, table: 't1' });
      const stayTab2 = await phone({ deviceId: stay, table: 't1' });
      const gone = await phone({ table: 't2' });
      const idStay = idOf(await stayTab1.send('floor:request', { kind: 'speak' }));
      const idGone = idOf(await gone.send('floor:request', { kind: 'speak' }));
      // One of the staying device's two sockets closes, then the other device's only one.
      stayTab1.close();
      gone.close();
      await eventually(() => expect(queueOf(mod)).toEqual([idStay]), { timeout: 15_000 });
      // The device that kept a socket keeps its request; once its last socket closes, it leaves too.
      expect(queueOf(mod)).toEqual([idStay]);
      stayTab2.close();
      await eventually(() => expect(queueOf(mod)).toEqual([]), { timeout: 15_000 });
    });

    it('the floor survives a restart: acknowledged requests and the turn are kept', async () => {
      const mod = await moderator();
      await mod.send('floor:open', { open: true });
      const a = await phone({ table: 't1' });
      const b = await phone({ table: 't2' });
      const idA = idOf(await a.send('floor:request', { kind: 'speak' }));
      const idB = idOf(await b.send('floor:request', { kind: 'order' }));
      await mod.send('floor:give', { id: idA });
      await t.restart((location) => kind.openBackend(location, { floor: { leaveMs: 60_000 } }));
      const again = await moderator();
      expect(again.latest().floor).toMatchObject({ open: true, queue: [{ id: idB }], current: { id: idA, table: 't1' } });
    });
  });
}
