/**
 * The report on two server processes sharing one Redis: an evening played with clients on both,
 * the same report from either, an audience peak summed over both, and a summary written on one
 * read on the other.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../shared/report.ts';
import { record, type Recorder } from './helpers/captions.ts';
import { eventually } from './helpers/eventually.ts';
import { requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { createTestEvent, type TestServer } from './helpers/server.ts';

const up = await requireRedis();

describe.skipIf(!up)('the report on two server processes sharing one Redis', () => {
  const { servers, tracked } = useRedisPair<Recorder>('report-multi');

  it('either process answers the same report; the audience peak counts phones on both', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const open = tracked(record);
    const report = async (url: string): Promise<Report> =>
      (await (await fetch(`${url}/api/events/${ev.event.id}/report`, { headers: { authorization: `Bearer ${ev.secrets.report}` } })).json()) as Report;

    const m = await open(a.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const fr = await open(b.url, { eventId: ev.event.id, token: ev.secrets.interpreters.fr });
    await Promise.all([
      open(a.url, { code: ev.event.code, table: 't1' }),
      open(a.url, { code: ev.event.code, table: 't1' }),
      open(b.url, { code: ev.event.code, table: 't1' }),
      open(b.url, { code: ev.event.code, table: 't2' }),
      open(b.url, { code: ev.event.code }),
    ]);
    await eventually(() => expect(m.latest().audience).toEqual({ connected: 5, byTable: { t1: 3, t2: 1 } }));
    expect(await m.send('agenda:go', { itemId: 'aix' })).toMatchObject({ ok: true });
    expect(await fr.send('caption:push', { id: 'b-1', text: 'Dit sur B', final: true })).toMatchObject({ ok: true });
    expect(await m.send('phase:set', { phase: 'ended' })).toMatchObject({ ok: true });
    const put = await fetch(`${b.url}/api/events/${ev.event.id}/report/summary/fr`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ev.secrets.moderator}` },
      body: JSON.stringify({ text: 'Écrit sur B' }),
    });
    expect(put.status).toBe(200);

    const fromA = await eventually(async () => {
      const r = await report(a.url);
      expect(r.audience).toEqual({ peak: 5, peakByTable: { t1: 3, t2: 1 } });
      return r;
    });
    expect(fromA.transcript.fr!.map((l) => l.text)).toEqual(['Dit sur B']);
    expect(fromA.summary.fr!.text).toBe('Écrit sur B');
    expect({ ...(await report(b.url)), generatedAt: 0 }).toEqual({ ...fromA, generatedAt: 0 });
  });
});
