/**
 * Two Tribune servers on one Redis (separate backends, adapters and ports): a deck uploaded
 * through A is announced to phones on B, and B serves every page image A rendered.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { DeckUploaded } from '../shared/deck.ts';
import { makePdf } from './helpers/pdf.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { connect, createTestEvent, type Client, type TestServer } from './helpers/server.ts';

const up = await requireRedis();

describe.skipIf(!up || !popplerAvailable)('slides across two server processes on one Redis', () => {
  const { servers, clients } = useRedisPair<Client>('slides-multi');

  it('a deck uploaded on A reaches phones on B, and B serves its pages', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const moderatorB = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const phoneB = await connect(b.url, { code: ev.event.code, table: 't1' });
    clients.push(moderatorB, phoneB);

    const res = await fetch(`${a.url}/api/events/${ev.event.id}/items/aix/deck`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': 'application/pdf' },
      body: new Uint8Array(makePdf(4)),
    });
    expect(res.status).toBe(201);
    const { base } = (await res.json()) as DeckUploaded;
    await eventually(() => expect(phoneB.latest().agenda[0]!.slides).toEqual({ pageCount: 4, base }));

    // The slide pointer moved on B is bounded by the deck uploaded on A.
    expect(await moderatorB.send('agenda:go', { itemId: 'aix' })).toEqual({ ok: true });
    expect(await moderatorB.send('slide:goto', { page: 4 })).toEqual({ ok: true });
    expect(await moderatorB.send('slide:next')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await eventually(() => expect(phoneB.latest().stage.slide).toEqual({ itemId: 'aix', page: 4 }));

    for (let page = 1; page <= 4; page++) {
      for (const size of ['phone', 'screen']) {
        const [fromA, fromB] = await Promise.all([a, b].map((s) => fetch(`${s.url}${base}/${page}?size=${size}`)));
        expect(fromA!.status).toBe(200);
        expect(fromB!.status).toBe(200);
        expect(Buffer.from(await fromB!.arrayBuffer())).toEqual(Buffer.from(await fromA!.arrayBuffer()));
      }
    }
    for (const s of [a, b]) expect((await fetch(`${s.url}${base}/5?size=phone`)).status).toBe(404);
  });
});
