/**
 * Report readers see only what the room saw (PROTOCOL v2), on both stores: with the report key —
 * sent to cities outside the room — the report, questions.csv and report.json hold the `live` and
 * `answered` questions and never one awaiting approval; with the moderator's key or the admin
 * token, the pending ones too, marked `pending`. Requests with both kinds of key at once share
 * report builds, and each still gets its own set.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../server/report/files.ts';
import type { Report } from '../shared/report.ts';
import { record } from './helpers/captions.ts';
import { csvRecords, parseCsv } from './helpers/report-files.ts';
import { ADMIN_TOKEN } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const ok = async (p: Promise<unknown>) => expect(await p).toMatchObject({ ok: true });

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`report readers on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, record); // pre-moderation: questions wait for approval

    /** Four questions: live, answered, dismissed, and one still awaiting approval. */
    async function askFour() {
      const m = await t.open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
      const phone = await t.open({ code: t.ev.event.code, table: 't1' });
      const ask = async (text: string) =>
        ((await phone.send('question:ask', { id: randomBytes(12).toString('base64url'), text })) as { data: { id: string } }).data.id;
      const live = await ask('Approuvée');
      const answered = await ask('Répondue');
      const dismissed = await ask('Écartée');
      const pending = await ask('En attente de validation');
      await ok(m.send('question:moderate', { id: live, status: 'live' }));
      await ok(m.send('question:moderate', { id: answered, status: 'live' }));
      await ok(m.send('question:moderate', { id: answered, status: 'answered' }));
      await ok(m.send('question:moderate', { id: dismissed, status: 'dismissed' }));
      return { live, answered, pending };
    }

    const get = (key: string, path = '') =>
      fetch(`${t.url}/api/events/${t.ev.event.id}/report${path}`, { headers: { authorization: `Bearer ${key}` } });
    const questionsOf = async (key: string, path: string) => {
      const res = await get(key, path);
      expect(res.status).toBe(200);
      if (path === '/questions.csv') return csvRecords(await res.text()).map((r) => [r.id, r.status]);
      return ((await res.json()) as Report).questions.map((q) => [q.id, q.status]);
    };
    /**
     * `[id, status]` rows as `path` holds them, sorted: questions.csv writes each id through csvCell,
     * as the server does (an id may begin with "-": its cell then carries the formula guard).
     */
    const asIn = (path: string, rows: string[][]) =>
      (path === '/questions.csv' ? rows.map(([id, status]) => [parseCsv(csvCell(id!))[0]![0]!, status!]) : rows).sort();

    it('the report key reads live and answered questions only; the moderator and the admin also read pending ones, marked', async () => {
      const q = await askFour();
      const room = [
        [q.live, 'live'],
        [q.answered, 'answered'],
        [q.pending, 'pending'],
      ].sort();
      const seenByRoom = room.filter(([, status]) => status !== 'pending');
      for (const path of ['', '?transcript=none', '/questions.csv', '/report.json']) {
        expect((await questionsOf(t.ev.secrets.report, path)).sort(), `report key ${path}`).toEqual(asIn(path, seenByRoom));
        expect((await questionsOf(t.ev.secrets.moderator, path)).sort(), `moderator ${path}`).toEqual(asIn(path, room));
        expect((await questionsOf(ADMIN_TOKEN, path)).sort(), `admin ${path}`).toEqual(asIn(path, room));
      }
    });

    it('readers of both kinds asking at once, sharing builds, each get their own set', async () => {
      const q = await askFour();
      const keys = Array.from({ length: 24 }, (_, n) => [t.ev.secrets.report, t.ev.secrets.moderator, ADMIN_TOKEN][n % 3]!);
      const answers = await Promise.all(keys.map((key) => get(key, '?transcript=none').then(async (r) => (await r.json()) as Report)));
      answers.forEach((r, n) => {
        const ids = r.questions.map((x) => x.id);
        if (keys[n] === t.ev.secrets.report) expect(ids, `request ${n}`).not.toContain(q.pending);
        else expect(ids, `request ${n}`).toContain(q.pending);
        expect(ids).toEqual(expect.arrayContaining([q.live, q.answered]));
      });
    });
  });
}
