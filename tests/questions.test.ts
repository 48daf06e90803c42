/**
 * Questions, votes and ratings end to end: a real server on port 0 with every domain, real
 * sockets, against both stores.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Question } from '../shared/questions.ts';
import { connectQ, newQuestionId, type QClient } from './helpers/questions.ts';
import { newDeviceId } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const statusesOf = (c: QClient, id: string) => c.received.filter((q) => q.id === id).map((q) => q.status);

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`questions and ratings on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connectQ);
    const { open, clients } = t;
    const moderator = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const projector = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
    const attendee = (extra: Record<string, unknown> = {}) => open({ code: t.ev.event.code, ...extra });

    describe('asking', () => {
      it('pre-moderation: a pending question reaches moderators and its author only, until approved', async () => {
        const mod = await moderator();
        const author = await attendee({ table: 't1', lang: 'es' });
        const authorTab = await attendee({ deviceId: author.deviceId }); // same phone, second tab
        const other = await attendee();
        const proj = await projector();

        const ack = await author.ask('¿Cómo se financia?', { author: ' Ana ' });
        expect(ack.ok).toBe(true);
        const q = ack.ok ? ack.data! : ({} as Question);
        expect(q).toMatchObject({ text: '¿Cómo se financia?', lang: 'es', table: 't1', author: 'Ana', votes: 0, status: 'pending', mine: true, voted: false, itemId: null });
        await eventually(() => expect(mod.view.get(q.id)?.status).toBe('pending'));
        await eventually(() => expect(authorTab.view.get(q.id)).toMatchObject({ status: 'pending', mine: true }));

        // Someone joining now: the author sees it in their snapshot, another phone does not.
        const lateAuthor = await attendee({ deviceId: author.deviceId });
        const lateOther = await attendee();
        expect(lateAuthor.view.get(q.id)).toMatchObject({ status: 'pending', mine: true, voted: false });
        expect(lateOther.view.has(q.id)).toBe(false);
        const lateMod = await moderator();
        expect(lateMod.view.get(q.id)?.status).toBe('pending');

        expect(await mod.send('question:moderate', { id: q.id, status: 'live' })).toMatchObject({ ok: true, data: { status: 'live' } });
        await eventually(() => {
          expect(other.view.get(q.id)?.status).toBe('live');
          expect(proj.view.get(q.id)?.status).toBe('live');
          expect(author.view.get(q.id)).toMatchObject({ status: 'live', mine: true });
        });
        // Nobody but moderators and the author ever saw it pending.
        expect(statusesOf(other, q.id)).not.toContain('pending');
        expect(statusesOf(proj, q.id)).not.toContain('pending');
        expect(other.view.get(q.id)?.mine).toBeUndefined();
        expect((await attendee()).view.get(q.id)).toMatchObject({ status: 'live', mine: false, voted: false });
      });

      it('post-moderation (switched by the moderator): questions are live at once, for everyone', async () => {
        const mod = await moderator();
        const phone = await attendee();
        const other = await attendee();
        expect(await phone.send('event:moderation', { mode: 'post' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await mod.send('event:moderation', { mode: 'post' })).toEqual({ ok: true });
        await eventually(() => expect(phone.latest().event.moderation).toBe('post'));
        const ack = await phone.ask('Quid des commerces ?');
        expect(ack).toMatchObject({ ok: true, data: { status: 'live' } });
        const id = ack.ok ? ack.data!.id : '';
        await eventually(() => expect(other.view.get(id)?.status).toBe('live'));
        await eventually(() => expect(mod.view.get(id)?.status).toBe('live'));
        // Back to pre: new questions wait again, live ones stay live.
        expect(await mod.send('event:moderation', { mode: 'pre' })).toEqual({ ok: true });
        expect(await phone.ask('Et le stationnement ?')).toMatchObject({ ok: true, data: { status: 'pending' } });
        expect(mod.latest().event.moderation).toBe('pre');
        expect(other.view.get(id)?.status).toBe('live');
      });

      it('a retried id from the same device returns the stored question; from another device CONFLICT', async () => {
        const mod = await moderator();
        const phone = await attendee();
        const id = newQuestionId();
        const first = await phone.send('question:ask', { id, text: 'Une question' });
        const retry = await phone.send('question:ask', { id, text: 'Une question' });
        expect(first.ok && retry.ok).toBe(true);
        expect(retry).toEqual(first);
        // The same device on a new connection (a phone back from sleep): still the stored one.
        const again = await attendee({ deviceId: phone.deviceId });
        expect(await again.send('question:ask', { id, text: 'Une question' })).toEqual(first);
        const stranger = await attendee();
        expect(await stranger.send('question:ask', { id, text: 'Une question' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
        await eventually(() => expect(mod.view.has(id)).toBe(true));
        expect([...mod.view.values()].filter((q) => q.id === id)).toHaveLength(1);
        const fresh = await moderator();
        expect(fresh.snapshots[0]!.filter((q) => q.id === id)).toHaveLength(1);
      });

      it('ties a question to the item on stage by default, to the whole debate with null; bounds its text', async () => {
        const mod = await moderator();
        const phone = await attendee();
        expect(await phone.ask('x')).toMatchObject({ ok: true, data: { itemId: null } }); // nothing on stage yet
        await mod.send('agenda:next');
        expect(await phone.ask('Pour Aix')).toMatchObject({ ok: true, data: { itemId: 'aix' } });
        expect(await phone.ask('Pour tous', { itemId: null })).toMatchObject({ ok: true, data: { itemId: null } });
        expect(await phone.ask('Pour Grenade', { itemId: 'granada' })).toMatchObject({ ok: true, data: { itemId: 'granada' } });
        expect(await phone.ask('?', { itemId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        for (const bad of [
          { id: newQuestionId(), text: '   ' },
          { id: newQuestionId(), text: 'x'.repeat(501) },
          { id: newQuestionId(), text: 'ok', author: 'y'.repeat(61) },
          { id: 'not an id!', text: 'ok' },
          { text: 'no id' },
        ]) {
          expect(await phone.send('question:ask', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        }
        expect(await phone.ask('x'.repeat(500))).toMatchObject({ ok: true });
      });

      it('limits questions per device (a retry does not count), across its connections', async () => {
        const phone = await attendee();
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const ack = await phone.ask(`Question ${i}`);
          expect(ack.ok).toBe(true);
          if (ack.ok) ids.push(ack.data!.id);
        }
        expect(await phone.send('question:ask', { id: ids[0], text: 'Question 0' })).toMatchObject({ ok: true });
        const tab = await attendee({ deviceId: phone.deviceId });
        expect(await tab.ask('One too many')).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
        expect(await (await attendee()).ask('Another phone')).toMatchObject({ ok: true });
      });
    });

    describe('moderating', () => {
      it('dismissing removes a live question from phones, a pending one reaches only its author; the projector falls back', async () => {
        const mod = await moderator();
        const author = await attendee();
        const other = await attendee();
        const proj = await projector();
        await mod.send('event:moderation', { mode: 'post' });
        const live = await author.ask('Live one');
        const liveId = live.ok ? live.data!.id : '';
        await eventually(() => expect(other.view.get(liveId)?.status).toBe('live'));
        // Only a public question reaches the big screen: an unknown or pending one is NOT_FOUND.
        await mod.send('event:moderation', { mode: 'pre' });
        const held = await author.ask('Held one');
        expect(held.ok).toBe(true);
        for (const questionId of ['no-such-question', held.ok ? held.data!.id : '']) {
          expect(await mod.send('projector:show', { mode: 'question', questionId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'noQuestion' } });
        }
        expect(await mod.send('projector:show', { mode: 'question', questionId: liveId })).toEqual({ ok: true });
        await eventually(() => expect(proj.latest().projector).toMatchObject({ mode: 'question', questionId: liveId }));

        expect(await mod.send('question:moderate', { id: liveId, status: 'dismissed' })).toMatchObject({ ok: true });
        await eventually(() => {
          expect(other.view.get(liveId)?.status).toBe('dismissed');
          expect(proj.view.get(liveId)?.status).toBe('dismissed');
          expect(proj.latest().projector).toMatchObject({ mode: 'queue', questionId: null });
        });
        expect((await attendee()).view.has(liveId)).toBe(false);
        expect((await attendee({ deviceId: author.deviceId })).view.has(liveId)).toBe(false);

        await mod.send('event:moderation', { mode: 'pre' });
        const pending = await author.ask('Pending one');
        const pendingId = pending.ok ? pending.data!.id : '';
        expect(await mod.send('question:moderate', { id: pendingId, status: 'dismissed' })).toMatchObject({ ok: true });
        await eventually(() => expect(author.view.get(pendingId)).toMatchObject({ status: 'dismissed', mine: true }));
        await eventually(() => expect(mod.view.get(pendingId)?.status).toBe('dismissed'));
        expect(statusesOf(other, pendingId)).toEqual([]);
        // Moderators keep dismissed questions (they may restore one).
        expect((await moderator()).view.get(pendingId)?.status).toBe('dismissed');
        expect(await mod.send('question:moderate', { id: 'missing', status: 'live' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        expect(await mod.send('question:moderate', { id: pendingId, status: 'pending' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      });

      it('answered questions stay visible, marked', async () => {
        const mod = await moderator();
        const phone = await attendee();
        await mod.send('event:moderation', { mode: 'post' });
        const ack = await phone.ask('Answer me');
        const id = ack.ok ? ack.data!.id : '';
        expect(await mod.send('question:moderate', { id, status: 'answered' })).toMatchObject({ ok: true, data: { status: 'answered' } });
        await eventually(() => expect(phone.view.get(id)?.status).toBe('answered'));
        expect((await attendee()).view.get(id)?.status).toBe('answered');
      });

      it('only moderators moderate', async () => {
        const phone = await attendee();
        const proj = await projector();
        const ack = await phone.ask('Mine');
        const id = ack.ok ? ack.data!.id : '';
        for (const c of [phone, proj]) {
          expect(await c.send('question:moderate', { id, status: 'live' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
          expect(await c.send('question:moderate', { nonsense: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
          expect(await c.send('event:moderation', { mode: 'post' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        }
        expect((await moderator()).view.get(id)?.status).toBe('pending');
      });
    });

    describe('voting', () => {
      async function liveQuestion(mod: QClient, by: QClient) {
        const ack = await by.ask('Vote for me');
        const id = ack.ok ? ack.data!.id : '';
        await mod.send('question:moderate', { id, status: 'live' });
        return id;
      }

      it('40 phones voting at once are counted exactly; phones get coalesced counts; withdrawals count too', async () => {
        const mod = await moderator();
        const author = await attendee();
        const watcher = await attendee();
        const id = await liveQuestion(mod, author);
        const voters = await Promise.all(Array.from({ length: 40 }, (_, i) => attendee({ table: i % 2 ? 't1' : 't2' })));
        await eventually(() => expect(watcher.view.get(id)?.status).toBe('live'));
        const before = watcher.received.length;

        const acks = await Promise.all(voters.map((v) => v.send('question:vote', { id, value: 1 })));
        expect(acks.every((a) => a.ok && (a.data as Question).voted === true)).toBe(true);
        expect(new Set(acks.map((a) => (a.ok ? (a.data as Question).votes : 0))).size).toBe(40);
        await eventually(() => {
          expect(watcher.view.get(id)?.votes).toBe(40);
          expect(mod.view.get(id)?.votes).toBe(40);
        });
        // Coalesced: fewer updates than votes reached the watching phone.
        expect(watcher.received.length - before).toBeLessThan(40);

        // A repeat changes nothing; withdrawals are counted.
        expect(await voters[0]!.send('question:vote', { id, value: 1 })).toMatchObject({ ok: true, data: { votes: 40, voted: true } });
        await Promise.all(voters.slice(0, 10).map((v) => v.send('question:vote', { id, value: 0 })));
        await eventually(() => expect(watcher.view.get(id)?.votes).toBe(30));
        await eventually(() => expect(mod.participation.at(-1)?.byTable).toMatchObject({ t1: { votes: 15 }, t2: { votes: 15 } }));

        // A device's `voted` comes back with its snapshot.
        expect((await attendee({ deviceId: voters[0]!.deviceId })).view.get(id)).toMatchObject({ voted: false, votes: 30 });
        expect((await attendee({ deviceId: voters[20]!.deviceId })).view.get(id)).toMatchObject({ voted: true, votes: 30 });
      });

      it('an unknown question is NOT_FOUND, a pending or answered one CONFLICT; bad values INVALID_PAYLOAD', async () => {
        const mod = await moderator();
        const phone = await attendee();
        expect(await phone.send('question:vote', { id: 'missing', value: 1 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        const ack = await phone.ask('Pending');
        const id = ack.ok ? ack.data!.id : '';
        expect(await phone.send('question:vote', { id, value: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
        await mod.send('question:moderate', { id, status: 'answered' });
        expect(await phone.send('question:vote', { id, value: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
        expect(await phone.send('question:vote', { id, value: 2 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      });

      it('limits votes per device', async () => {
        const mod = await moderator();
        const phone = await attendee();
        const id = await liveQuestion(mod, phone);
        let refused: string | undefined;
        for (let i = 0; i < 70 && !refused; i++) {
          const a = await phone.send('question:vote', { id, value: i % 2 ? 0 : 1 });
          // The per-socket command bucket may answer RATE_LIMITED too: slow down like a phone would.
          if (!a.ok) {
            refused = a.error.code;
            break;
          }
          if (i % 20 === 19) await new Promise((r) => setTimeout(r, 2000));
        }
        expect(refused).toBe('RATE_LIMITED');
        // A new connection of the same device is still limited: the count is the device's, in the store.
        const tab = await attendee({ deviceId: phone.deviceId });
        expect(await tab.send('question:vote', { id, value: 1 })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      }, 20_000);
    });

    describe('rating', () => {
      it('ratings replace earlier ones; moderators and the projector get exact aggregates; phones their own', async () => {
        const mod = await moderator();
        const proj = await projector();
        expect(mod.ratings.at(-1)).toEqual({});
        expect(proj.ratings.at(-1)).toEqual({});
        await mod.send('agenda:next');
        const a = await attendee({ table: 't1' });
        const b = await attendee({ table: 't2' });
        const c = await attendee();
        expect(await a.send('rating:set', { target: 'aix', indicator: 'relevance', score: 5 })).toEqual({
          ok: true,
          data: { target: 'aix', indicator: 'relevance', score: 5 },
        });
        await b.send('rating:set', { target: 'aix', indicator: 'relevance', score: 2 });
        await c.send('rating:set', { target: 'aix', indicator: 'relevance', score: 4 });
        await a.send('rating:set', { target: 'aix', indicator: 'relevance', score: 3 }); // replaces 5
        await a.send('rating:set', { target: 'event', indicator: 'atmosphere', score: 4 });
        await b.send('rating:set', { target: 'event', indicator: 'smoothRunning', score: 1 });
        const expected = {
          aix: { relevance: { count: 3, mean: 3, histogram: [0, 1, 1, 1, 0] } },
          event: {
            atmosphere: { count: 1, mean: 4, histogram: [0, 0, 0, 1, 0] },
            smoothRunning: { count: 1, mean: 1, histogram: [1, 0, 0, 0, 0] },
          },
        };
        await eventually(() => {
          expect(mod.ratings.at(-1)).toEqual(expected);
          expect(proj.ratings.at(-1)).toEqual(expected);
        });
        expect(a.ratings).toEqual([]); // phones do not get the summary
        expect((await moderator()).ratings).toEqual([expected]);
        await eventually(() =>
          expect(mod.participation.at(-1)).toEqual({
            byTable: { t1: { questions: 0, votes: 0, ratings: 2 }, t2: { questions: 0, votes: 0, ratings: 2 } },
            noTable: { questions: 0, votes: 0, ratings: 1 },
          }),
        );
        // The phone's own ratings come back with its next connection.
        expect((await attendee({ deviceId: a.deviceId })).mine).toEqual([{ aix: { relevance: 3 }, event: { atmosphere: 4 } }]);
      });

      it('refuses a scope mismatch and unknown indicators (INVALID_PAYLOAD), unknown items (NOT_FOUND)', async () => {
        const phone = await attendee();
        const refused = async (payload: unknown, code: string) =>
          expect(await phone.send('rating:set', payload)).toMatchObject({ ok: false, error: { code } });
        await refused({ target: 'event', indicator: 'relevance', score: 3 }, 'INVALID_PAYLOAD');
        await refused({ target: 'aix', indicator: 'atmosphere', score: 3 }, 'INVALID_PAYLOAD');
        await refused({ target: 'aix', indicator: 'charisma', score: 3 }, 'INVALID_PAYLOAD');
        await refused({ target: 'aix', indicator: 'relevance', score: 6 }, 'INVALID_PAYLOAD');
        await refused({ target: 'aix', indicator: 'relevance', score: 2.5 }, 'INVALID_PAYLOAD');
        await refused({ target: 'nowhere', indicator: 'relevance', score: 3 }, 'NOT_FOUND');
        const mod = await moderator();
        expect(mod.ratings.at(-1)).toEqual({});
      });
    });

    it('a restart loses nothing: questions, votes, statuses, ratings, participation', async () => {
      const mod = await moderator();
      await mod.send('event:moderation', { mode: 'post' });
      const phones = await Promise.all(Array.from({ length: 6 }, (_, i) => attendee({ table: i % 2 ? 't1' : 't2' })));
      const ids: string[] = [];
      for (const p of phones.slice(0, 3)) {
        const a = await p.ask(`From ${p.deviceId}`);
        if (a.ok) ids.push(a.data!.id);
      }
      await Promise.all(phones.map((p, i) => p.send('question:vote', { id: ids[i % 3], value: 1 })));
      await mod.send('question:moderate', { id: ids[2], status: 'answered' });
      await phones[0]!.send('rating:set', { target: 'aix', indicator: 'relevance', score: 4 });
      await phones[1]!.send('rating:set', { target: 'event', indicator: 'atmosphere', score: 2 });
      const before = await moderator();
      const deviceVoted = await attendee({ deviceId: phones[4]!.deviceId });
      clients.forEach((c) => c.close());

      await t.restart();

      const after = await moderator();
      expect(after.snapshots[0]).toEqual(before.snapshots[0]);
      expect(after.ratings[0]).toEqual(before.ratings[0]);
      expect(after.participation[0]).toEqual(before.participation[0]);
      expect(after.latest().event.moderation).toBe('post');
      const phone = await attendee({ deviceId: phones[4]!.deviceId });
      expect(phone.snapshots[0]).toEqual(deviceVoted.snapshots[0]);
      expect(phone.view.get(ids[1]!)).toMatchObject({ voted: true, votes: 2 });
      // Still one vote per device, and the ids are still taken.
      expect(await phone.send('question:vote', { id: ids[1], value: 1 })).toMatchObject({ ok: true, data: { votes: 2 } });
      expect(await phone.send('question:ask', { id: ids[0], text: 'x' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    });
  });
}

// Keep the helper import used when every kind is skipped.
void newDeviceId;
