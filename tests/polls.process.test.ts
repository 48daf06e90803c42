/**
 * The real entry point (`tsx server/main.ts`) on each store, killed with SIGKILL while phones vote
 * in a poll: after a restart every acknowledged ballot is there (one per device, the last one
 * acknowledged), with the poll's status.
 */
import { describe, expect, it } from 'vitest';
import type { Poll } from '../shared/polls.ts';
import { connectP, type PClient } from './helpers/polls.ts';
import { answerWithin, killMidStream, kill9, useMainProcesses } from './helpers/process.ts';
import { createTestEvent } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';

const main = useMainProcesses();

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`the server process on the ${kind.name} store, killed with SIGKILL`, () => {
    it('keeps every acknowledged ballot and the poll status', async () => {
      const env = main.envOn(kind);
      const first = await main.start(env);
      const ev = await createTestEvent(first.url);
      const clients: PClient[] = [];
      const open = async (auth: Record<string, unknown>) => {
        const c = await connectP(first.url, auth);
        clients.push(c);
        return c;
      };
      const mod = await open({ eventId: ev.event.id, token: ev.secrets.moderator });
      const id = await mod.create('Garder le marché couvert ?', ['Oui', 'Non', 'Autre'], true);
      expect(await mod.send('poll:open', { id })).toMatchObject({ ok: true });
      expect(await mod.send('poll:reveal', { id })).toMatchObject({ ok: true });
      const phones = await Promise.all(Array.from({ length: 12 }, () => open({ code: ev.event.code })));

      // Every phone keeps changing its ballot while the server is killed mid-stream.
      const lastAcked = new Map<string, number[]>(); // device → its last acknowledged ballot
      const unanswered = new Map<string, number[]>(); // device → the ballot sent and never answered
      await killMidStream(first, phones, async (p, i, n) => {
        const choices = [(i + n) % 3, ...((i + n) % 2 ? [] : [((i + n) % 3 + 1) % 3])];
        unanswered.set(p.deviceId, [...choices].sort((x, y) => x - y));
        const a = await answerWithin(p.socket, 'poll:vote', { id, choices });
        if (!a?.ok) return false;
        unanswered.delete(p.deviceId);
        lastAcked.set(p.deviceId, (a.data as Poll).mine!);
        return true;
      });
      clients.forEach((c) => c.close());

      const second = await main.start(env);
      try {
        // Each device's ballot is its last acknowledged one (a ballot sent as the server died may
        // have been kept without its ack: then it is one the device sent later).
        const counts = [0, 0, 0];
        for (const p of phones) {
          const again = await connectP(second.url, { code: ev.event.code, deviceId: p.deviceId });
          const mine = again.view.get(id)?.mine;
          again.close();
          const kept = [lastAcked.get(p.deviceId), unanswered.get(p.deviceId)].filter(Boolean).map((b) => JSON.stringify(b));
          expect(kept).toContain(JSON.stringify(mine));
          for (const c of mine!) counts[c]!++;
        }
        const after = await connectP(second.url, { eventId: ev.event.id, token: ev.secrets.moderator });
        expect(after.view.get(id)).toMatchObject({ status: 'open', revealed: true, total: 12, results: counts });
        after.close();
      } finally {
        await kill9(second.child);
      }
    }, 60_000);
  });
}
