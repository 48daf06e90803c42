/**
 * The evening's report end to end, on both stores: a real server on port 0, real sockets that
 * run an evening through the protocol, then `GET /api/events/:id/report` and its downloads read
 * as another program would (tests/helpers/report-files.ts). Keys, bad input, restarts, summaries
 * and machine drafts against a local LibreTranslate stand-in.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../shared/report.ts';
import { openBackend } from '../server/backend.ts';
import { fakeTranslator, record } from './helpers/captions.ts';
import { playEvening } from './helpers/evening.ts';
import { eventually } from './helpers/eventually.ts';
import { REDIS_URL } from './helpers/redis.ts';
import { csvRecords, parseSrt, parseVtt } from './helpers/report-files.ts';
import { ADMIN_TOKEN, refusal } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`the report on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, record); // each test's event: fr (floor), es, he; tables t1, t2; items aix, granada, coimbra
    const { open } = t;
    const moderator = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const ok = async (p: Promise<unknown>) => expect(await p).toMatchObject({ ok: true });

    const get = (path: string, key: string | null = t.ev.secrets.report, init: RequestInit = {}) =>
      fetch(`${t.url}/api/events/${t.ev.event.id}/report${path}`, {
        ...init,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(init.headers ?? {}) },
      });
    const report = async (key?: string, query = ''): Promise<Report> => {
      const res = await get(query, key);
      expect(res.status).toBe(200);
      return (await res.json()) as Report;
    };
    const putSummary = (lang: string, text: string, key = t.ev.secrets.moderator) =>
      get(`/summary/${lang}`, key, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

    const runEvening = () => playEvening(open, t.ev);

    it('holds the whole evening: times, transcripts with corrections, questions, evaluation, audience peak, summary', async () => {
      const { q1, q2 } = await runEvening();
      expect((await putSummary('fr', 'Une soirée riche.\n\nÀ refaire.')).status).toBe(200);
      const r = await report();

      expect(r.final).toBe(true);
      expect(r.event.id).toBe(t.ev.event.id);
      const [aix, granada, coimbra] = r.agenda;
      expect(aix).toMatchObject({ id: 'aix', status: 'done', plannedSeconds: 600, startedAt: expect.any(Number) });
      expect(granada).toMatchObject({ id: 'granada', status: 'done', startedAt: expect.any(Number) });
      expect(coimbra).toMatchObject({ id: 'coimbra', status: 'planned', spokenMs: 0, startedAt: null });
      expect(granada!.startedAt!).toBeGreaterThanOrEqual(aix!.startedAt!);
      expect(r.startedAt).toBe(aix!.startedAt);
      expect(aix!.spokenMs).toBeGreaterThan(0);
      expect(r.delegations.map((d) => d.delegation)).toEqual(['Aix-en-Provence', 'Granada', 'Coimbra']);
      expect(r.delegations[0]).toEqual({ delegation: 'Aix-en-Provence', plannedSeconds: 600, spokenMs: aix!.spokenMs });

      expect(Object.keys(r.transcript).sort()).toEqual(['es', 'fr', 'he']);
      expect(r.transcript.fr!.map((l) => [l.id, l.itemId, l.text, l.source])).toEqual([
        ['fr-1', 'aix', 'Bonsoir à toutes et à tous', 'human'],
        ['fr-2', 'aix', 'Le centre <historique> & ses "usages"', 'human'],
      ]);
      expect(r.transcript.fr![0]!.at).toBeLessThanOrEqual(r.transcript.fr![1]!.at);
      expect(r.transcript.he!.map((l) => [l.id, l.itemId])).toEqual([
        ['he-1', 'aix'],
        ['he-2', 'granada'],
      ]);
      expect(r.transcript.es).toEqual([]);

      // Dismissed left out; most votes first; answered marked.
      expect(r.questions.map((q) => [q.id, q.votes, q.status])).toEqual([
        [q2, 3, 'live'],
        [q1, 1, 'answered'],
      ]);
      expect(r.questions[1]).toMatchObject({ table: 't1', itemId: 'aix', lang: 'fr', author: null });
      expect(r.questions[0]).not.toHaveProperty('device');

      expect(r.ratings.aix!.relevance).toEqual({ count: 2, mean: 3, histogram: [0, 1, 0, 1, 0] });
      expect(r.ratings.event!.atmosphere).toMatchObject({ count: 1, mean: 5 });
      expect(r.participation.byTable.t1).toEqual({ questions: 2, votes: 3, ratings: 2 });
      expect(r.participation.byTable.t2).toEqual({ questions: 1, votes: 1, ratings: 1 });
      expect(r.audience).toEqual({ peak: 4, peakByTable: { t1: 3, t2: 1 } });
      expect(r.summary.fr).toMatchObject({ text: 'Une soirée riche.\n\nÀ refaire.', source: 'human' });

      // `?lang=` keeps one transcript; report.json is the report itself.
      expect(Object.keys((await report(undefined, '?lang=he')).transcript)).toEqual(['he']);
      expect((await report(undefined, '?transcript=none')).transcript).toEqual({});
      const file = await get('/report.json');
      expect(file.headers.get('content-type')).toMatch(/^application\/json/);
      expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="tribune-.*-report\.json"/);
      expect({ ...((await file.json()) as Report), generatedAt: 0 }).toEqual({ ...r, generatedAt: 0 });
    });

    it('downloads read as WebVTT, SubRip and RFC 4180 CSV; no cell can run as a formula', async () => {
      const { q1, q2 } = await runEvening();
      const r = await report();

      const vttRes = await get('/transcript.vtt?lang=fr');
      expect(vttRes.status).toBe(200);
      expect(vttRes.headers.get('content-type')).toMatch(/^text\/vtt/);
      expect(vttRes.headers.get('content-disposition')).toMatch(/filename="tribune-[a-z0-9]+-transcript-fr\.vtt"/);
      const vtt = parseVtt(await vttRes.text());
      expect(vtt.map((c) => [c.id, c.text])).toEqual([
        ['fr-1', 'Bonsoir à toutes et à tous'],
        ['fr-2', 'Le centre <historique> & ses "usages"'],
      ]);
      expect(vtt[0]!.notes.join(' ')).toContain('Aix speaker');
      const zero = r.startedAt!;
      vtt.forEach((c, n) => {
        expect(c.start).toBe(Math.max(0, r.transcript.fr![n]!.at - zero));
        expect(c.end).toBeGreaterThan(c.start);
        if (n) expect(c.start).toBeGreaterThanOrEqual(vtt[n - 1]!.start);
      });

      const srt = parseSrt(await (await get('/transcript.srt?lang=he')).text());
      expect(srt.map((c) => c.text)).toEqual(['ערב טוב לכולם', 'גרנדה מדברת']);
      // No language: the floor language's.
      expect(parseVtt(await (await get('/transcript.vtt')).text())).toHaveLength(2);

      const questions = csvRecords(await (await get('/questions.csv')).text());
      expect(questions.map((q) => q.id)).toEqual([q2, q1]);
      // A formula-looking question is kept whole but starts with ', so a spreadsheet shows it as text.
      expect(questions[0]!.text).toBe(`'=HYPERLINK("http://evil.test"), et "le bruit",\nla nuit ?`);
      expect(questions[0]).toMatchObject({ votes: '3', status: 'live', table: 'Pérouse', table_id: 't2' });
      expect(questions[1]).toMatchObject({ votes: '1', status: 'answered', speaker: 'Aix speaker', text: 'Combien de places de stationnement ?' });

      const ratings = csvRecords(await (await get('/ratings.csv')).text());
      expect(ratings).toContainEqual(expect.objectContaining({ target: 'aix', indicator: 'relevance', count: '2', mean: '3', score_2: '1', score_4: '1' }));
      expect(ratings).toContainEqual(expect.objectContaining({ target: 'event', indicator: 'atmosphere', count: '1', score_5: '1' }));

      const times = csvRecords(await (await get('/speaking-time.csv')).text());
      const aixRow = times.find((row) => row.kind === 'item' && row.item_id === 'aix')!;
      expect(aixRow).toMatchObject({ speaker: 'Aix speaker', planned_seconds: '600', status: 'done' });
      expect(new Date(aixRow.started_at!).getTime()).toBe(r.agenda[0]!.startedAt);
      expect(times.filter((row) => row.kind === 'delegation').map((row) => row.delegation)).toEqual(['Aix-en-Provence', 'Granada', 'Coimbra']);
      for (const file of ['questions.csv', 'ratings.csv', 'speaking-time.csv']) {
        expect((await get(`/${file}`)).headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      }
    });

    it('keys: the moderator, the report key and the admin token read; the report key writes nothing and opens no socket', async () => {
      expect((await get('', t.ev.secrets.moderator)).status).toBe(200);
      expect((await get('', ADMIN_TOKEN)).status).toBe(200);
      expect((await get('', t.ev.secrets.report)).status).toBe(200);
      expect((await get('/questions.csv', t.ev.secrets.report)).status).toBe(200);
      for (const key of [null, 'wrong', t.ev.secrets.projector, t.ev.secrets.interpreters.fr!]) {
        const res = await get('', key);
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUTH_FAILED');
        expect((await get('/report.json', key)).status).toBe(401);
      }
      expect((await putSummary('fr', 'Non', t.ev.secrets.report)).status).toBe(401);
      expect((await report()).summary).toEqual({});
      expect(await refusal(t.url, { eventId: t.ev.event.id, token: t.ev.secrets.report, deviceId: 'device-report-1' })).toBe('AUTH_FAILED');
      expect(t.ev.links.report).toBe(`http://tribune.test/r/${t.ev.event.id}#k=${t.ev.secrets.report}`);

      // New links: the old report key stops working, the new one works.
      const renewed = (await (
        await fetch(`${t.url}/api/events/${t.ev.event.id}/secrets`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      ).json()) as { secrets: { report: string } };
      expect((await get('')).status).toBe(401);
      expect((await get('', renewed.secrets.report)).status).toBe(200);
    });

    it('bad input: unknown event, file or language is 404; a bad summary is 400 and changes nothing', async () => {
      const other = await fetch(`${t.url}/api/events/nosuchevent/report`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(other.status).toBe(404);
      for (const path of ['/transcript.txt', '/secrets.json', '/transcript.vtt?lang=xx', '/transcript.srt?lang=de', '?lang=zz']) {
        const res = await get(path);
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
      }
      expect((await putSummary('fr', 'Bien')).status).toBe(200);
      expect((await putSummary('de', 'Gut')).status).toBe(404);
      const bad = await get('/summary/fr', t.ev.secrets.moderator, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"text": 5}' });
      expect(bad.status).toBe(400);
      expect((await putSummary('fr', 'x'.repeat(20_001))).status).toBe(400);
      expect((await report()).summary.fr!.text).toBe('Bien');
      // Empty text removes a language's summary.
      expect((await putSummary('fr', '  ')).status).toBe(200);
      expect((await report()).summary).toEqual({});
    });

    it('a restart changes no report', async () => {
      await runEvening();
      expect((await putSummary('he', 'סיכום')).status).toBe(200);
      const before = await report();
      t.clients.splice(0).forEach((c) => c.close());
      await t.restart();
      const after = await report();
      expect({ ...after, generatedAt: 0 }).toEqual({ ...before, generatedAt: 0 });
    });

    it('the report is live during the event: the item on stage counts its running time', async () => {
      const m = await moderator();
      await ok(m.send('agenda:go', { itemId: 'aix' }));
      const r1 = await report(t.ev.secrets.moderator);
      expect(r1.final).toBe(false);
      expect(r1.agenda[0]).toMatchObject({ status: 'live', startedAt: expect.any(Number) });
      await eventually(async () => expect((await report()).agenda[0]!.spokenMs).toBeGreaterThan(r1.agenda[0]!.spokenMs));
    });
  });
}

describe.skipIf(!storeKinds[0]!.available)('machine drafts of the summary', () => {
  it('translates a summary paragraph by paragraph into a labelled, editable draft', async () => {
    const translator = await fakeTranslator(({ q, target }) => ({ text: `[${target}] ${q}` }));
    const kind = storeKinds.find((k) => k.name === (storeKinds[1]!.available ? 'redis' : 'memory'))!;
    const location = kind.newLocation();
    const backend = await openBackend(
      kind.name === 'memory'
        ? { kind: 'memory', dataDir: location, translateUrl: translator.url }
        : { kind: 'redis', url: REDIS_URL, prefix: location, translateUrl: translator.url },
    );
    const { startBackendServer, createTestEvent } = await import('./helpers/server.ts');
    const server = await startBackendServer(backend);
    try {
      const ev = await createTestEvent(server.url);
      const call = (path: string, body: unknown, method = 'POST') =>
        fetch(`${server.url}/api/events/${ev.event.id}/report/summary/${path}`, {
          method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ev.secrets.moderator}` },
          body: JSON.stringify(body),
        });
      // Nothing to translate yet.
      expect((await call('es/draft', { from: 'fr' })).status).toBe(404);
      expect((await call('fr', { text: 'Première partie.\n\nSeconde partie.' }, 'PUT')).status).toBe(200);
      const res = await call('es/draft', { from: 'fr' });
      expect(res.status).toBe(200);
      const { summary } = (await res.json()) as Report;
      expect(summary.es).toMatchObject({ text: '[es] Première partie.\n\n[es] Seconde partie.', source: 'machine' });
      expect(translator.requests.map((r) => [r.source, r.target, r.format])).toEqual([
        ['fr', 'es', 'text'],
        ['fr', 'es', 'text'],
      ]);
      const r = (await (await fetch(`${server.url}/api/events/${ev.event.id}/report`, { headers: { authorization: `Bearer ${ev.secrets.report}` } })).json()) as Report;
      expect(r.machineDrafts).toBe(true);
      expect(r.summary.es!.source).toBe('machine');
      // Edited and saved by a person: it is theirs.
      expect((await call('es', { text: 'Primera parte, revisada.' }, 'PUT')).status).toBe(200);
      const after = (await (await fetch(`${server.url}/api/events/${ev.event.id}/report`, { headers: { authorization: `Bearer ${ev.secrets.report}` } })).json()) as Report;
      expect(after.summary.es).toMatchObject({ text: 'Primera parte, revisada.', source: 'human' });
    } finally {
      await server.close();
      await backend.close();
      await translator.close();
      await kind.cleanup(location);
    }
  });
});

describe('report requests are bounded per address', () => {
  it('past a burst, one address gets 429 RATE_LIMITED; every answer is whole', async () => {
    const kind = storeKinds[0]!;
    const location = kind.newLocation();
    const backend = await kind.openBackend(location);
    const { startBackendServer, createTestEvent } = await import('./helpers/server.ts');
    const server = await startBackendServer(backend);
    try {
      const ev = await createTestEvent(server.url);
      // 500 at once: the burst is 120 and the refill 20 per second, so these cannot all pass.
      const statuses = await Promise.all(
        Array.from({ length: 500 }, () =>
          fetch(`${server.url}/api/events/${ev.event.id}/report/speaking-time.csv`, { headers: { authorization: `Bearer ${ev.secrets.report}` } }).then(
            async (r) => [r.status, r.status === 429 ? ((await r.json()) as { error: { code: string } }).error.code : await r.text()] as const,
          ),
        ),
      );
      const ok = statuses.filter(([s]) => s === 200);
      const limited = statuses.filter(([s]) => s === 429);
      expect(ok.length).toBeGreaterThanOrEqual(120);
      expect(limited.length).toBeGreaterThan(0);
      expect(ok.length + limited.length).toBe(500);
      expect(new Set(limited.map(([, code]) => code))).toEqual(new Set(['RATE_LIMITED']));
      // Every answered file is the same file.
      expect(new Set(ok.map(([, body]) => body)).size).toBe(1);
    } finally {
      await server.close();
      await backend.close();
      await kind.cleanup(location);
    }
  });
});
