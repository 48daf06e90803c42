/**
 * Quick polls end to end: a real server on port 0 with every domain, real sockets, on both stores.
 * Roles, bounds and codes; drafts seen by moderators and the projector only; one ballot per device
 * replaced while open with exact totals; results hidden from the room until revealed; `mine` only in
 * the vote's reply and the snapshot; coalesced counts; the projector's `poll` mode; the report.
 */
import { pollsReducer } from '../server/polls/rules.ts';
import { csvCell } from '../server/report/files.ts';
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Poll } from '../shared/polls.ts';
import type { Report } from '../shared/report.ts';
import { connectP } from './helpers/polls.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`quick polls on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connectP);
    const { open } = t;
    const moderator = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const projector = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
    const attendee = (extra: Record<string, unknown> = {}) => open({ code: t.ev.event.code, ...extra });

    it('only moderators create and drive polls; bounds and unknown polls answer the contract codes', async () => {
      const mod = await moderator();
      const phone = await attendee();
      const proj = await projector();
      const ok = { question: 'Piétonniser le centre ?', options: ['Oui', 'Non'] };
      expect(await phone.send('poll:create', ok)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await proj.send('poll:create', ok)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const bad = [
        { ...ok, options: ['Oui'] },
        { ...ok, options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
        { ...ok, question: 'x'.repeat(301) },
        { ...ok, question: '   ' },
        { ...ok, options: ['Oui', 'x'.repeat(121)] },
        { ...ok, options: ['Oui', ''] },
        { ...ok, multiple: 'yes' },
        { options: ['a', 'b'] },
      ];
      for (const payload of bad) expect(await mod.send('poll:create', payload)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      const ten = { question: 'q'.repeat(300), options: Array.from({ length: 10 }, (_, i) => `${i}`.repeat(120).slice(0, 120)) };
      const created = await mod.send('poll:create', ten);
      expect(created).toMatchObject({ ok: true, data: { id: expect.any(String) } });
      const id = (created as { data: { id: string } }).data.id;
      for (const cmd of ['poll:open', 'poll:close', 'poll:reveal']) {
        expect(await phone.send(cmd, { id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await mod.send(cmd, { id: 'no-such-poll' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
      expect(await phone.send('poll:vote', { id: 'no-such-poll', choices: [0] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      // A draft takes no ballot and cannot be closed.
      expect(await phone.send('poll:vote', { id, choices: [0] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await mod.send('poll:close', { id })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect((await t.backend.logs.state(t.ev.event.id, pollsReducer)).polls.get(id)?.status).toBe('draft');
    });

    it('a draft reaches moderators and the projector only; once open, everyone, without results until revealed', async () => {
      const mod = await moderator();
      const proj = await projector();
      const phone = await attendee();
      const id = await mod.create('Quel quartier piétonniser ?', ['Albaicín', 'Centro', 'Realejo']);
      await eventually(() => {
        expect(mod.view.get(id)).toMatchObject({ status: 'draft', results: [0, 0, 0], total: 0, revealed: false, multiple: false });
        expect(proj.view.get(id)?.status).toBe('draft');
      });
      expect((await attendee()).view.has(id)).toBe(false);
      expect((await moderator()).view.get(id)?.status).toBe('draft');

      expect(await mod.send('poll:open', { id })).toMatchObject({ ok: true });
      await eventually(() => expect(phone.view.get(id)).toMatchObject({ status: 'open', results: null, total: 0 }));
      // Nothing about the draft ever reached the phone.
      expect(phone.received.every((p) => p.status !== 'draft')).toBe(true);

      const voter = await attendee();
      const ack = await voter.send('poll:vote', { id, choices: [1] });
      expect(ack).toMatchObject({ ok: true, data: { id, total: 1, results: null, mine: [1], revealed: false } });
      await eventually(() => {
        expect(mod.view.get(id)).toMatchObject({ total: 1, results: [0, 1, 0] });
        expect(proj.view.get(id)).toMatchObject({ total: 1, results: [0, 1, 0] });
        expect(phone.view.get(id)).toMatchObject({ total: 1, results: null });
      });
      // A moderator's own ballot is answered with the results.
      expect(await mod.send('poll:vote', { id, choices: [2] })).toMatchObject({ ok: true, data: { results: [0, 1, 1], mine: [2] } });

      expect(await mod.send('poll:reveal', { id })).toMatchObject({ ok: true });
      await eventually(() => expect(phone.view.get(id)).toMatchObject({ revealed: true, results: [0, 1, 1], total: 2 }));
      expect((await attendee()).view.get(id)).toMatchObject({ revealed: true, results: [0, 1, 1] });
      // Room broadcasts never carry anyone's ballot.
      expect([...phone.received, ...voter.received, ...mod.received].every((p) => p.mine === undefined)).toBe(true);
    });

    it('one ballot per device, replaced while open, counted exactly; `mine` in the snapshot per device', async () => {
      const mod = await moderator();
      const single = await mod.create('Une voiture par famille ?', ['Oui', 'Non', 'Sans avis']);
      const multi = await mod.create('Quelles priorités ?', ['Logement', 'Commerces', 'Tourisme', 'Transports'], true);
      await mod.send('poll:open', { id: single });
      await mod.send('poll:open', { id: multi });
      const phones = await Promise.all(Array.from({ length: 30 }, (_, i) => attendee({ table: i % 2 ? 't1' : 't2' })));
      const acks = await Promise.all(phones.map((p, i) => p.send('poll:vote', { id: single, choices: [i % 3] })));
      expect(acks.every((a) => a.ok)).toBe(true);
      // The same device on a second socket replaces its ballot; choices it already gave change nothing.
      const twins = await Promise.all(phones.slice(0, 6).map((p) => attendee({ deviceId: p.deviceId })));
      await Promise.all(twins.map((tw) => tw.send('poll:vote', { id: single, choices: [2] })));
      expect(await phones[2]!.send('poll:vote', { id: single, choices: [2] })).toMatchObject({ ok: true, data: { mine: [2], total: 30 } });
      // before: 10/10/10; devices 0,1,3,4 move to 2 (2 and 5 were there already).
      await eventually(() => expect(mod.view.get(single)).toMatchObject({ total: 30, results: [8, 8, 14] }));

      // Multiple choice: any set of distinct options; bad choices are INVALID_PAYLOAD.
      expect(await phones[0]!.send('poll:vote', { id: multi, choices: [0, 3] })).toMatchObject({ ok: true, data: { mine: [0, 3] } });
      expect(await phones[1]!.send('poll:vote', { id: multi, choices: [3] })).toMatchObject({ ok: true });
      for (const choices of [[0, 0], [4], [], [-1], [1.5], 'x']) {
        expect(await phones[2]!.send('poll:vote', { id: multi, choices })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      }
      expect(await phones[2]!.send('poll:vote', { id: single, choices: [0, 1] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      await eventually(() => expect(mod.view.get(multi)).toMatchObject({ total: 2, results: [1, 0, 0, 2] }));

      // Closed: no ballot, nothing changes; the count stays.
      expect(await mod.send('poll:close', { id: single })).toMatchObject({ ok: true, data: { status: 'closed' } });
      expect(await phones[0]!.send('poll:vote', { id: single, choices: [1] })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

      const again = await attendee({ deviceId: phones[0]!.deviceId });
      expect(again.view.get(single)).toMatchObject({ mine: [2], status: 'closed', results: null, total: 30 });
      expect(again.view.get(multi)).toMatchObject({ mine: [0, 3] });
      const stranger = await attendee();
      expect(stranger.view.get(single)?.mine).toBeUndefined();
      expect((await t.backend.logs.state(t.ev.event.id, pollsReducer)).polls.get(single)?.counts).toEqual([8, 8, 14]);
    });

    it('counts are coalesced: a burst of ballots costs a few broadcasts, the last one exact', async () => {
      const mod = await moderator();
      const id = await mod.create('Un tramway ?', ['Oui', 'Non']);
      await mod.send('poll:open', { id });
      const watcher = await attendee();
      await eventually(() => expect(watcher.view.get(id)?.status).toBe('open'));
      const phones = await Promise.all(Array.from({ length: 80 }, () => attendee()));
      const acks = await Promise.all(phones.map((p, i) => p.send('poll:vote', { id, choices: [i % 4 === 0 ? 1 : 0] })));
      expect(acks.every((a) => a.ok)).toBe(true);
      await eventually(() => expect(mod.view.get(id)).toMatchObject({ total: 80, results: [60, 20] }));
      await eventually(() => expect(watcher.view.get(id)?.total).toBe(80));
      const counts = watcher.received.filter((p) => p.id === id && p.total > 0).length;
      // One broadcast per ballot would be 80.
      expect(counts).toBeLessThan(20);
    });

    it('the projector shows a poll that exists; Report.polls lists every poll in creation order, in the CSV too', async () => {
      const mod = await moderator();
      const proj = await projector();
      const first = await mod.create('Premier, "avec" virgule, ?', ['=1+1', 'Non']);
      const second = await mod.create('Second', ['A', 'B', 'C'], true);
      expect(await mod.send('projector:show', { mode: 'poll', pollId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(await mod.send('projector:show', { mode: 'poll' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(await mod.send('projector:show', { mode: 'poll', pollId: first })).toEqual({ ok: true });
      await eventually(() => expect(proj.latest().projector).toMatchObject({ mode: 'poll', pollId: first, questionId: null }));
      expect(await mod.send('projector:show', { mode: 'queue' })).toEqual({ ok: true });
      await eventually(() => expect(proj.latest().projector.mode).toBe('queue'));
      expect(proj.latest().projector.pollId ?? null).toBeNull();

      await mod.send('poll:open', { id: first });
      const phone = await attendee();
      await phone.send('poll:vote', { id: first, choices: [1] });
      const get = async (key: string, file = '') => {
        const res = await fetch(`${t.url}/api/events/${t.ev.event.id}/report${file}`, { headers: { authorization: `Bearer ${key}` } });
        expect(res.status).toBe(200);
        return res;
      };
      const report = (await (await get(t.ev.secrets.moderator)).json()) as Report;
      expect(report.polls).toEqual([
        { id: first, question: 'Premier, "avec" virgule, ?', options: ['=1+1', 'Non'], multiple: false, status: 'open', revealed: false, total: 1, results: [0, 1] },
        { id: second, question: 'Second', options: ['A', 'B', 'C'], multiple: true, status: 'draft', revealed: false, total: 0, results: [0, 0, 0] },
      ]);
      // The report key's readers see what the room saw: no drafts.
      expect(((await (await get(t.ev.secrets.report!)).json()) as Report).polls.map((p) => p.id)).toEqual([first]);
      // An id may begin with '-': the CSV cell then carries the formula guard, like any other.
      const csv = await (await get(t.ev.secrets.moderator, '/polls.csv')).text();
      expect(csv.split('\r\n')).toEqual([
        'poll_id,question,choice,status,revealed,ballots,option_index,option,votes',
        `${csvCell(first)},"Premier, ""avec"" virgule, ?",single,open,no,1,0,"'=1+1",0`,
        `${csvCell(first)},"Premier, ""avec"" virgule, ?",single,open,no,1,1,Non,1`,
        `${csvCell(second)},Second,multiple,draft,no,0,0,A,0`,
        `${csvCell(second)},Second,multiple,draft,no,0,1,B,0`,
        `${csvCell(second)},Second,multiple,draft,no,0,2,C,0`,
        '',
      ]);
    });

    it('polls survive a restart of the server on the same store location', async () => {
      const mod = await moderator();
      const id = await mod.create('Après redémarrage ?', ['Oui', 'Non']);
      await mod.send('poll:open', { id });
      const phones = await Promise.all(Array.from({ length: 5 }, () => attendee()));
      await Promise.all(phones.map((p, i) => p.send('poll:vote', { id, choices: [i % 2] })));
      await mod.send('poll:reveal', { id });
      const deviceId = phones[1]!.deviceId;
      await t.restart();
      const back = await attendee({ deviceId });
      expect(back.view.get(id)).toMatchObject({ status: 'open', revealed: true, total: 5, results: [3, 2], mine: [1] });
    });
  });
}

export type { Poll };
