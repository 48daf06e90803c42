/**
 * The real entry point (`tsx server/main.ts`) on each store, killed with SIGKILL while phones vote:
 * after a restart every acknowledged question, vote, status and rating is there.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Ack } from '../shared/errors.ts';
import type { Question } from '../shared/questions.ts';
import { connectQ, type QClient } from './helpers/questions.ts';
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

const start = (env: Record<string, string>) => startMain(env, children);

const kill = async (child: ChildProcess) => {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
};

const kinds = [
  {
    name: 'memory',
    available: true,
    env: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-qproc-'));
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      return { DATA_DIR: dir };
    },
  },
  {
    name: 'redis',
    available: redisUp,
    env: () => {
      const prefix = uniquePrefix('questions-proc');
      cleanups.push(() => deleteKeys(prefix));
      return { REDIS_URL, REDIS_PREFIX: prefix };
    },
  },
];

for (const kind of kinds) {
  describe.skipIf(!kind.available)(`the server process on the ${kind.name} store, killed with SIGKILL`, () => {
    it('keeps every acknowledged question, vote and rating', async () => {
      const env = kind.env();
      const first = await start(env);
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
      let acks = 0;
      let stop = false;
      const loops = phones.map(async (p, i) => {
        for (let n = 0; !stop; n++) {
          const id = ids[(i + n) % 3]!;
          if (!p.socket.connected) return;
          // An answer that never comes (the server died) ends this phone's loop.
          const a = await new Promise<Ack | null>((resolve) =>
            p.socket.timeout(3000).emit('question:vote', { id, value: n % 3 === 2 ? 0 : 1 }, (err: Error | null, ack: Ack) =>
              resolve(err ? null : ack),
            ),
          );
          if (!a || !a.ok) return;
          const q = a.data as Question;
          if (q.rev > (ackedRev.get(id) ?? 0)) {
            ackedRev.set(id, q.rev);
            acked.set(id, q.votes);
          }
          acks++;
          await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
        }
      });
      await eventually(() => expect(acks).toBeGreaterThanOrEqual(60), { timeout: 15_000 });
      await kill(first.child);
      stop = true;
      await Promise.all(loops);
      clients.forEach((c) => c.close());

      const second = await start(env);
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
        await kill(second.child);
      }
    }, 60_000);
  });
}
