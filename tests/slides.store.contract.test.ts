/**
 * The decks' contract (server/slides/decks.ts on the event log, images in blobs.ts), on both
 * backends (files under DATA_DIR, and Redis): a deck is readable only whole, pages past the last
 * one are absent, and a reopened store (a restart, or another process) serves the same bytes.
 * Decks an older version described outside the log (deck.json, Redis count keys) are imported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageSize } from '../shared/deck.ts';
import type { EventLogs } from '../server/log/event-logs.ts';
import { fileBlobs, redisBlobs } from '../server/slides/blobs.ts';
import { createDeckStore, type DeckStore } from '../server/slides/decks.ts';
import { decksReducer } from '../server/slides/rules.ts';
import { importOldDecks } from '../server/slides/import.ts';
import { createKeys } from '../server/store/keys.ts';
import { storeClientOptions } from '../server/store/redis.ts';
import { REDIS_URL } from './helpers/redis.ts';
import { storeKinds } from './helpers/stores.ts';

const image = (page: number, size: PageSize) => Buffer.from(`jpeg bytes of page ${page} (${size}) \u0000\u00ff binary`, 'latin1');
const source = async (page: number, size: PageSize) => image(page, size);
const HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`deck store on ${kind.name}`, () => {
    let location: string;
    const clients: Redis[] = [];
    const logs: EventLogs[] = [];
    /** A store as a restarted process opens it: the embedded folder has one owner, so the last one closes. */
    const open = async (): Promise<DeckStore> => {
      if (kind.name === 'memory') for (const l of logs.splice(0)) await l.close();
      const log = await kind.openLogs(location, [decksReducer]);
      logs.push(log);
      if (kind.name === 'memory') return createDeckStore(log, fileBlobs(location));
      const redis = new Redis(REDIS_URL, storeClientOptions());
      redis.on('error', () => {});
      await redis.connect();
      clients.push(redis);
      return createDeckStore(log, redisBlobs(redis, createKeys(location)));
    };

    beforeAll(() => {
      location = kind.newLocation();
    });
    afterAll(async () => {
      for (const l of logs) await l.close();
      clients.forEach((c) => c.disconnect());
      await kind.cleanup(location);
    });

    it('stores every page of both sizes, byte for byte, and nothing past the last page', async () => {
      const store = await open();
      expect(await store.pageCount('ev1', HASH)).toBeNull();
      expect(await store.get('ev1', HASH, 1, 'phone')).toBeNull();
      await store.put('ev1', HASH, 3, source);
      expect(await store.pageCount('ev1', HASH)).toBe(3);
      for (const page of [1, 2, 3]) {
        for (const size of ['phone', 'screen'] as const) expect(await store.get('ev1', HASH, page, size)).toEqual(image(page, size));
      }
      expect(await store.get('ev1', HASH, 4, 'phone')).toBeNull();
      expect(await store.get('ev1', HASH, 0, 'phone')).toBeNull();
      expect(await store.get('ev2', HASH, 1, 'phone')).toBeNull(); // decks belong to their event
    });

    it('serves the same deck after a reopen (restart or another process)', async () => {
      const again = await open();
      expect(await again.pageCount('ev1', HASH)).toBe(3);
      expect(await again.get('ev1', HASH, 2, 'screen')).toEqual(image(2, 'screen'));
    });

    it('writes a deck once: a second put of the same hash reads nothing', async () => {
      const store = await open();
      let reads = 0;
      await store.put('ev1', HASH, 3, async (p, s) => {
        reads++;
        return image(p, s);
      });
      expect(reads).toBe(0);
    });

    it('shows no deck when writing it failed half-way, and a later put completes it', async () => {
      const store = await open();
      const hash = 'ffff0000ffff0000ffff0000ffff0000';
      await expect(
        store.put('ev1', hash, 4, async (p, s) => {
          if (p === 3) throw new Error('render output missing');
          return image(p, s);
        }),
      ).rejects.toThrow('render output missing');
      expect(await store.pageCount('ev1', hash)).toBeNull();
      await store.put('ev1', hash, 4, source);
      expect(await store.pageCount('ev1', hash)).toBe(4);
      expect(await store.get('ev1', hash, 4, 'phone')).toEqual(image(4, 'phone'));
    });

    it('lists decks with their stored time, renews it on touch, and removes a deck whole', async () => {
      const store = await open();
      const hash = '0123456789abcdef0123456789abcdef';
      const t0 = Date.now();
      await store.put('ev3', hash, 2, source);
      const listed = await store.list('ev3');
      expect(listed.map((d) => d.hash)).toEqual([hash]);
      expect(listed[0]!.storedAt).toBeGreaterThanOrEqual(t0 - 1000);
      await store.touch('ev3', 'abababababababababababababababab'); // unknown: nothing to renew
      expect((await store.list('ev3')).length).toBe(1);
      await new Promise((r) => setTimeout(r, 20));
      await store.touch('ev3', hash);
      expect((await store.list('ev3'))[0]!.storedAt).toBeGreaterThan(listed[0]!.storedAt);
      await store.remove('ev3', hash);
      expect(await store.pageCount('ev3', hash)).toBeNull();
      expect(await store.get('ev3', hash, 1, 'phone')).toBeNull();
      expect(await store.list('ev3')).toEqual([]);
      await expect((await open()).list('ev3')).resolves.toEqual([]); // and after a reopen
      expect(await store.pageCount('ev1', HASH)).toBe(3); // other decks untouched
    });

    it('finds nothing under names that cannot be a deck', async () => {
      const store = await open();
      expect(await store.get('ev1', '../../etc', 1, 'phone')).toBeNull();
      expect(await store.get('e{v}', HASH, 1, 'phone')).toBeNull();
      expect(await store.pageCount('ev1', 'XYZ')).toBeNull();
    });
  });
}

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`decks described by the version before the log, on ${kind.name}`, () => {
    it('are carried into the log at open with their stored time, their images served where they lie', async () => {
      const location = kind.newLocation();
      const redis = new Redis(REDIS_URL, storeClientOptions());
      redis.on('error', () => {});
      const keys = createKeys(kind.name === 'redis' ? location : 'unused');
      try {
        // What that version's deck stores wrote for one deck of two pages, stored at 1 700 000 000 000.
        const at = 1_700_000_000_000;
        if (kind.name === 'memory') {
          const dir = path.join(location, 'decks', 'ev-old', HASH);
          fs.mkdirSync(dir, { recursive: true });
          for (const p of [1, 2]) for (const s of ['phone', 'screen'] as const) fs.writeFileSync(path.join(dir, `${p}-${s}.jpg`), image(p, s));
          fs.writeFileSync(path.join(dir, 'deck.json'), JSON.stringify({ pageCount: 2 }));
          fs.utimesSync(path.join(dir, 'deck.json'), at / 1000, at / 1000);
        } else {
          await redis.connect();
          for (const p of [1, 2]) for (const s of ['phone', 'screen'] as const) await redis.set(keys.slides.page('ev-old', HASH, p, s), image(p, s));
          await redis.set(keys.eventKey('ev-old', `slides:deck:${HASH}`), '2');
          await redis.zadd(keys.eventKey('ev-old', 'slides:decks'), at, HASH);
        }
        const ctx = kind.name === 'memory' ? { kind: 'memory' as const, dataDir: location } : { kind: 'redis' as const, redis, keys };
        const log = await kind.openLogs(location, [decksReducer]);
        expect(await importOldDecks(ctx, log)).toBe(1);
        expect(await importOldDecks(ctx, log)).toBe(0); // the old description is retired
        const decks = createDeckStore(log, kind.name === 'memory' ? fileBlobs(location) : redisBlobs(redis, keys));
        expect(await decks.list('ev-old')).toEqual([{ hash: HASH, storedAt: at }]);
        expect(await decks.get('ev-old', HASH, 2, 'screen')).toEqual(image(2, 'screen'));
        expect(await decks.get('ev-old', HASH, 3, 'screen')).toBeNull();
        await log.close();
      } finally {
        redis.disconnect();
        await kind.cleanup(location);
      }
    });
  });
}
