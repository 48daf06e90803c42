/**
 * The real entry point (`tsx server/main.ts`) on each store, killed with SIGKILL while phones vote
 * in a poll: after a restart every acknowledged ballot is there (one per device, the last one
 * acknowledged), with the poll's status.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Ack } from '../shared/errors.ts';
import type { Poll } from '../shared/polls.ts';
import { connectP, type PClient } from './helpers/polls.ts';
import { REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './helpers/redis.ts';
import { startMain } from './helpers/process.ts';
import { createTestEvent } from './helpers/server.ts';

const redisUp = await requireRedis();
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  children.forEach((c) => c.kill('SIGKILL'));
  for (const c of cleanups) await c();
});

const kill = async (child: ChildProcess) => {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
};

const kinds = [
  {
    name: 'memory',
    available: true,
    env: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-pproc-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      return { DATA_DIR: dir };
    },
  },
  {
    name: 'redis',
    available: redisUp,
    env: () => {
      const prefix = uniquePrefix('polls-proc');
      cleanups.push(() => deleteKeys(prefix));
      return { REDIS_URL, REDIS_PREFIX: prefix };
    },
  },
];

for (const kind of kinds) {
  describe.skipIf(!kind.available)(`the server process on the ${kind.name} store, killed with SIGKILL`, () => {
    it('keeps every acknowledged ballot and the poll status', async () => {
      const env = kind.env();
      const first = await startMain(env, children);
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
      let acks = 0;
      let stop = false;
      const loops = phones.map(async (p, i) => {
        for (let n = 0; !stop; n++) {
          if (!p.socket.connected) return;
          const choices = [(i + n) % 3, ...((i + n) % 2 ? [] : [((i + n) % 3 + 1) % 3])];
          unanswered.set(p.deviceId, [...choices].sort((x, y) => x - y));
          const a = await new Promise<Ack | null>((resolve) =>
            p.socket.timeout(3000).emit('poll:vote', { id, choices }, (err: Error | null, ack: Ack) => resolve(err ? null : ack)),
          );
          if (!a || !a.ok) return;
          unanswered.delete(p.deviceId);
          lastAcked.set(p.deviceId, (a.data as Poll).mine!);
          acks++;
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
        }
      });
      await eventually(() => expect(acks).toBeGreaterThanOrEqual(60), { timeout: 15_000 });
      await kill(first.child);
      stop = true;
      await Promise.all(loops);
      clients.forEach((c) => c.close());

      const second = await startMain(env, children);
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
        await kill(second.child);
      }
    }, 60_000);
  });
}
