/**
 * The real entry point (`tsx server/main.ts`) on each store, killed with SIGKILL while phones vote:
 * after a restart every acknowledged question, vote, status and rating is there.
 */
import { describe, expect, it } from 'vitest';
import type { Question } from '../shared/questions.ts';
import { answerWithin, killMidStream, kill9, useMainProcesses } from './helpers/process.ts';
import { connectQ, type QClient } from './helpers/questions.ts';
import { createTestEvent } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';

const main = useMainProcesses();

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`the server process on the ${kind.name} store, killed with SIGKILL`, () => {
    it('keeps every acknowledged question, vote and rating', async () => {
      const env = main.envOn(kind);
      const first = await main.start(env);
      const ev = await createTestEvent(first.url);
      const clients: QClient[] = [];
      const open = async (auth: Record<string, unknown>) => {
        const c = await connectQ(first.url, auth);
        clients.push(c);
        return c;
      };
      const mod = await open({ eventId: ev.event.id, token: ev.secrets.moderator });
      expect(await mod.send('event:moderation', { mode: 'post' })).toEqual({ ok: true });
      const phones = await Promise.all(Array.from({ length: 12 }, (_, i) => open({ code: ev.event.code, table: i % 2 ? 't1' : 't2' })));
      const asked = await Promise.all(phones.slice(0, 4).map((p, i) => p.ask(`Question ${i}`)));
      const ids = asked.map((a) => (a.ok ? (a.data as Question).id : ''));
      const pending = await phones[5]!.ask('Dismiss me');
      await mod.send('question:moderate', { id: ids[3], status: 'answered' });
      await Promise.all(phones.map((p, i) => p.send('rating:set', { target: 'aix', indicator: 'relevance', score: (i % 5) + 1 })));

      // Every phone keeps voting (and withdrawing) while the server is killed mid-stream.
      const acked = new Map<string, number>(); // question id → votes in the last acknowledged answer, by rev
      const ackedRev = new Map<string, number>();
      await killMidStream(first, phones, async (p, i, n) => {
        const id = ids[(i + n) % 3]!;
        const a = await answerWithin(p.socket, 'question:vote', { id, value: n % 3 === 2 ? 0 : 1 });
        if (!a?.ok) return false;
        const q = a.data as Question;
        if (q.rev > (ackedRev.get(id) ?? 0)) {
          ackedRev.set(id, q.rev);
          acked.set(id, q.votes);
        }
        return true;
      });
      clients.forEach((c) => c.close());

      const second = await main.start(env);
      const after = await connectQ(second.url, { eventId: ev.event.id, token: ev.secrets.moderator });
      try {
        const byId = new Map(after.snapshots[0]!.map((q) => [q.id, q]));
        for (const id of ids.slice(0, 3)) {
          // Every acknowledged state of a question survived: its rev is at least the last one acknowledged.
          expect(byId.get(id)!.rev).toBeGreaterThanOrEqual(ackedRev.get(id) ?? 1);
          if (byId.get(id)!.rev === ackedRev.get(id)) expect(byId.get(id)!.votes).toBe(acked.get(id));
        }
        expect(byId.get(ids[3]!)?.status).toBe('answered');
        expect(byId.get(pending.ok ? (pending.data as Question).id : '')?.status).toBe('live');
        expect(after.ratings[0]).toEqual({ aix: { relevance: { count: 12, mean: 33 / 12, histogram: [3, 3, 2, 2, 2] } } });
        expect(after.latest().event.moderation).toBe('post');
        // The vote sets survived with the counts: a full recount from each device's own view agrees.
        let voted = 0;
        for (const p of phones) {
          const again = await connectQ(second.url, { code: ev.event.code, deviceId: p.deviceId });
          voted += [...again.view.values()].filter((q) => q.voted && ids.slice(0, 3).includes(q.id)).length;
          again.close();
        }
        expect(voted).toBe(ids.slice(0, 3).reduce((n, id) => n + byId.get(id)!.votes, 0));
      } finally {
        after.close();
        await kill9(second.child);
      }
    }, 60_000);
  });
}
