/**
 * Slides end to end, against both stores: a real server on port 0, real sockets, a PDF generated
 * here, rendered by the real renderer (poppler), page images fetched over HTTP.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import type { Capabilities, DeckUploaded } from '../shared/deck.ts';
import { storeClientOptions } from '../server/store/redis.ts';
import { jpegSize, makePdf } from './helpers/pdf.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { REDIS_URL } from './helpers/redis.ts';
import { connect } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const MB = 1024 * 1024;

for (const kind of storeKinds) {
  describe.skipIf(!kind.available || !popplerAvailable)(`slides on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connect);
    let redis: Redis | null = null;
    const moderator = () => t.open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const phone = () => t.open({ code: t.ev.event.code, table: 't1' });

    const upload = (itemId: string, body: Buffer | ReadableStream<Uint8Array>, headers: Record<string, string> = {}, init: RequestInit = {}) =>
      fetch(`${t.url}/api/events/${t.ev.event.id}/items/${itemId}/deck`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.ev.secrets.moderator}`, 'content-type': 'application/pdf', ...headers },
        body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
        ...init,
      });
    const image = (base: string, page: number | string, size?: string) =>
      fetch(`${t.url}${base}/${page}${size ? `?size=${size}` : ''}`);
    const stored = async () => (await t.store.getState(t.ev.event.id))!;

    /** How many deck objects this event has in the image store (files or Redis keys). */
    async function deckObjects(): Promise<number> {
      if (kind.name === 'memory') {
        const dir = path.join(t.location, 'decks', t.ev.event.id);
        return fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
      }
      let count = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis!.scan(cursor, 'MATCH', `${t.location}:{${t.ev.event.id}}:slides:*`, 'COUNT', 500);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      return count;
    }

    beforeAll(async () => {
      if (kind.name === 'redis') {
        redis = new Redis(REDIS_URL, storeClientOptions());
        redis.on('error', () => {});
        await redis.connect();
      }
    });
    afterAll(() => {
      redis?.disconnect();
    });

    it('renders an uploaded PDF once into phone and screen pages; the state tells every client', async () => {
      const mod = await moderator();
      const att = await phone();
      const res = await upload('granada', makePdf(5));
      expect(res.status).toBe(201);
      const body = (await res.json()) as DeckUploaded;
      expect(body.pageCount).toBe(5);
      expect(body.base).toMatch(new RegExp(`^/api/events/${t.ev.event.id}/decks/[0-9a-f]{32}$`));

      const slides = { pageCount: 5, base: body.base };
      for (const c of [mod, att]) {
        await eventually(() => expect(c.latest().agenda.find((i) => i.id === 'granada')!.slides).toEqual(slides));
      }
      expect((await stored()).agenda.find((i) => i.id === 'granada')!.slides).toEqual(slides);

      const seen = new Set<string>();
      for (let page = 1; page <= 5; page++) {
        for (const [size, width] of [['phone', 1280], ['screen', 1920]] as const) {
          const r = await image(body.base, page, size);
          expect(r.status).toBe(200);
          expect(r.headers.get('content-type')).toBe('image/jpeg');
          // fetch() accepts gzip: a JPEG is compressed already and goes as it is.
          expect(r.headers.get('content-encoding')).toBeNull();
          expect(r.headers.get('cache-control')).toContain('immutable');
          const bytes = Buffer.from(await r.arrayBuffer());
          expect(jpegSize(bytes)).toEqual({ width, height: (width * 9) / 16 });
          seen.add(bytes.toString('base64'));
        }
      }
      expect(seen.size).toBe(10); // every page and size is its own image
      // No size means screen; a known ETag gets 304.
      const plain = await image(body.base, 2);
      expect(jpegSize(Buffer.from(await plain.arrayBuffer()))?.width).toBe(1920);
      // A browser revalidating (fetch() would add `Cache-Control: no-cache`, so plain http here).
      const etag = (await image(body.base, 2, 'phone')).headers.get('etag')!;
      const status = await new Promise<number>((resolve, reject) =>
        http.get(`${t.url}${body.base}/2?size=phone`, { headers: { 'if-none-match': etag } }, (r) => {
          r.resume();
          resolve(r.statusCode!);
        }).on('error', reject),
      );
      expect(status).toBe(304);
    });

    it('answers 404 past the last page and for unknown decks, 400 for an unknown size', async () => {
      const { base } = (await (await upload('aix', makePdf(2))).json()) as DeckUploaded;
      expect((await image(base, 2, 'phone')).status).toBe(200);
      for (const page of [3, 0, 99999, 'x', '1.5']) expect((await image(base, page, 'phone')).status).toBe(404);
      expect((await image(base.replace(/[0-9a-f]{4}$/, '0000'), 1, 'phone')).status).toBe(404);
      const bad = await image(base, 1, 'huge');
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.code).toBe('INVALID_PAYLOAD');
    });

    it('keeps the pointer within 1..pageCount, and a re-upload with fewer pages changes base and clamps it', async () => {
      const mod = await moderator();
      const first = (await (await upload('aix', makePdf(5))).json()) as DeckUploaded;
      expect(await mod.send('agenda:go', { itemId: 'aix' })).toEqual({ ok: true });
      expect((await mod.send('slide:prev')).ok).toBe(false);
      const past = await mod.send('slide:goto', { page: 6 });
      expect(past).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await mod.send('slide:goto', { page: 5 })).toEqual({ ok: true });
      expect(await mod.send('slide:next')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      await eventually(() => expect(mod.latest().stage.slide).toEqual({ itemId: 'aix', page: 5 }));

      const att = await phone(); // joins in the middle: the right page at once
      expect(att.latest().stage.slide).toEqual({ itemId: 'aix', page: 5 });

      const second = (await (await upload('aix', makePdf(3, { label: (n) => `v2 ${n}` }))).json()) as DeckUploaded;
      expect(second.pageCount).toBe(3);
      expect(second.base).not.toBe(first.base);
      for (const c of [mod, att]) {
        await eventually(() => {
          expect(c.latest().stage.slide).toEqual({ itemId: 'aix', page: 3 });
          expect(c.latest().agenda.find((i) => i.id === 'aix')!.slides).toEqual({ pageCount: 3, base: second.base });
        });
      }
      expect((await image(second.base, 3, 'phone')).status).toBe(200);
      expect((await image(second.base, 4, 'phone')).status).toBe(404);
    });

    it('refuses bad, unauthorised and oversized uploads, and changes nothing', async () => {
      const before = await stored();
      const expectRefused = async (res: Response, status: number, code: string, message?: RegExp) => {
        expect(res.status).toBe(status);
        const { error } = (await res.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe(code);
        if (message) expect(error.message).toMatch(message);
      };
      const pdf = makePdf(2);

      await expectRefused(await upload('aix', pdf, { authorization: '' }), 401, 'AUTH_FAILED');
      await expectRefused(await upload('aix', pdf, { authorization: `Bearer ${t.ev.secrets.projector}` }), 401, 'AUTH_FAILED');
      await expectRefused(await upload('nope', pdf), 404, 'NOT_FOUND');
      await expectRefused(await upload('aix', pdf, { 'content-type': 'image/png' }), 415, 'INVALID_PAYLOAD', /PDF/);
      await expectRefused(await upload('aix', Buffer.from('\x89PNG\r\n\x1a\n not a deck')), 415, 'INVALID_PAYLOAD', /not a PDF/);
      await expectRefused(await upload('aix', Buffer.from('hello'), { 'content-type': 'application/octet-stream' }), 415, 'INVALID_PAYLOAD');
      await expectRefused(await upload('aix', Buffer.alloc(0)), 415, 'INVALID_PAYLOAD', /empty/);
      await expectRefused(await upload('aix', makePdf(2, { encrypted: true })), 400, 'INVALID_PAYLOAD', /password/);
      await expectRefused(await upload('aix', makePdf(4).subarray(0, 700)), 400, 'INVALID_PAYLOAD', /could not be read/);
      await expectRefused(
        await upload('aix', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 0x41)])),
        400,
        'INVALID_PAYLOAD',
      );

      const caps = (await (await fetch(`${t.url}/api/capabilities`)).json()) as Capabilities;
      expect(caps.slides.maxBytes).toBe(60 * MB);
      if (!caps.slides.convert) {
        const pptx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]);
        const type = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
        await expectRefused(await upload('aix', pptx, { 'content-type': type }), 415, 'INVALID_PAYLOAD', /export .*PDF/);
        await expectRefused(await upload('aix', pptx, { 'content-type': 'application/octet-stream' }), 415, 'INVALID_PAYLOAD', /PDF/);
      }

      // 60 MB + 1: refused whether the length is declared or only found while streaming.
      const big = Buffer.alloc(60 * MB + 1, 0x20);
      big.write('%PDF-1.4\n');
      await expectRefused(await upload('aix', big), 413, 'TOO_LARGE', /60 MB/);
      const chunks = new ReadableStream<Uint8Array>({
        start(c) {
          for (let at = 0; at < big.length; at += 4 * MB) c.enqueue(big.subarray(at, at + 4 * MB));
          c.close();
        },
      });
      await expectRefused(await upload('aix', chunks, {}, { duplex: 'half' } as RequestInit), 413, 'TOO_LARGE');

      const after = await stored();
      expect(after.rev).toBe(before.rev);
      expect(after.agenda).toEqual(before.agenda);
      expect(await deckObjects()).toBe(0);
    });

    it('lets the moderator hide the projector overlay; others may not', async () => {
      const mod = await moderator();
      const proj = await t.open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
      expect(await mod.send('projector:overlay', { visible: false })).toEqual({ ok: true });
      await eventually(() => expect(proj.latest().projector.overlay).toBe(false));
      expect(await proj.send('projector:overlay', { visible: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await mod.send('projector:overlay', { visible: 'no' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(await mod.send('projector:show', { mode: 'slide' })).toEqual({ ok: true });
      await eventually(() => expect(proj.latest().projector).toEqual({ mode: 'slide', questionId: null, overlay: false }));
    });

    it("lists the running order's decks for the moderator only", async () => {
      await upload('coimbra', makePdf(1));
      const list = await fetch(`${t.url}/api/events/${t.ev.event.id}/decks`, { headers: { authorization: `Bearer ${t.ev.secrets.moderator}` } });
      expect(list.status).toBe(200);
      const { items } = (await list.json()) as { items: { id: string; slides: { pageCount: number } }[] };
      expect(items.map((i) => [i.id, i.slides.pageCount])).toEqual([['aix', 0], ['granada', 0], ['coimbra', 1]]);
      expect((await fetch(`${t.url}/api/events/${t.ev.event.id}/decks`)).status).toBe(401);
    });
  });

  describe.skipIf(!kind.available || !popplerAvailable)(`replaced decks on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, connect, (location) => kind.openBackend(location, { slides: { pruneAfterMs: 300 } }));
    const upload = async (itemId: string, pdf: Buffer) => {
      const res = await fetch(`${t.url}/api/events/${t.ev.event.id}/items/${itemId}/deck`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.ev.secrets.moderator}`, 'content-type': 'application/pdf' },
        body: new Uint8Array(pdf),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as DeckUploaded).base;
    };
    const status = async (base: string) => (await fetch(`${t.url}${base}/1?size=phone`)).status;

    it('are deleted after the grace period unless an item uses them again', async () => {
      const deck = (label: string) => makePdf(2, { label: (n) => `${label} ${n}` });
      const x = await upload('aix', deck('x'));
      const y = await upload('granada', deck('y'));
      const shared = await upload('coimbra', deck('shared'));
      expect(await upload('aix', deck('shared'))).toBe(shared); // the same bytes: the same deck, twice in use
      const z = await upload('aix', deck('z')); // x is used by nothing now
      expect(await upload('coimbra', deck('x'))).toBe(x); // … until coimbra takes it back; shared loses coimbra, keeps nothing
      const gone = await upload('coimbra', deck('w')); // now x is unused again, and shared too
      await upload('coimbra', deck('x'));
      // x back in use (coimbra), w and shared unused: after the grace period they go, the rest stays.
      await eventually(async () => {
        expect(await status(gone)).toBe(404);
        expect(await status(shared)).toBe(404);
      });
      for (const base of [x, y, z]) expect(await status(base)).toBe(200);
      // A deck that was deleted is rendered again when uploaded again.
      expect(await upload('granada', deck('w'))).toBe(gone);
      expect(await status(gone)).toBe(200);
    });
  });
}
