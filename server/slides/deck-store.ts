/**
 * Where rendered page images live, so that any server process serves any page:
 *
 * - embedded store (DATA_DIR): files `DATA_DIR/decks/<eventId>/<hash>/<page>-<size>.jpg` and
 *   `deck.json` ({pageCount}). A deck is written into a `.part-…` folder and renamed into place
 *   whole, so a crash mid-write leaves no half deck under its name. Without DATA_DIR: in memory.
 * - Redis: one binary string per page image under the event's hash tag (keys.ts `slides`), then
 *   the deck's page count, written last: a deck whose count is readable is complete.
 *
 * Decks are content-addressed (`hash` = SHA-256 of the render profile and the uploaded bytes), so
 * a deck is written at most once and never changes: readers may cache it forever.
 *
 * Each deck has a stored time (deck.json's mtime; a sorted set on Redis), renewed when the same
 * bytes are uploaded again, so that the slides domain can remove decks no item uses any more once
 * they are older than a grace period (domain.ts `prune`), without racing an upload in progress.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PageSize } from '../../shared/deck.ts';
import { isKeySafe, type Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';

/** Reads one rendered page image (from the render's temporary folder). */
export type PageSource = (page: number, size: PageSize) => Promise<Buffer>;

export interface DeckStore {
  readonly kind: 'memory' | 'redis';
  /** The page count of a deck stored whole, or null. */
  pageCount(eventId: string, hash: string): Promise<number | null>;
  /** Stores every page (phone and screen) from `source`, then the page count; resolves once stored. */
  put(eventId: string, hash: string, pageCount: number, source: PageSource): Promise<void>;
  /** One page image, or null (unknown deck, page 0 or past the last page). */
  get(eventId: string, hash: string, page: number, size: PageSize): Promise<Buffer | null>;
  /** A stored deck was uploaded again: its stored time becomes now. */
  touch(eventId: string, hash: string): Promise<void>;
  /** The event's stored decks, with the time (ms epoch) each was stored or last touched. */
  list(eventId: string): Promise<StoredDeck[]>;
  /** Deletes a deck: its page count first (so it reads as absent at once), then its pages. */
  remove(eventId: string, hash: string): Promise<void>;
  close(): Promise<void>;
}

export interface StoredDeck {
  hash: string;
  storedAt: number;
}

export const DECK_HASH = /^[0-9a-f]{16,64}$/;

/** Whether an event id, hash and page can name a stored page at all (else: nothing to look up). */
function nameable(eventId: string, hash: string, page: number): boolean {
  return isKeySafe(eventId) && DECK_HASH.test(hash) && Number.isInteger(page) && page >= 1;
}

const SIZES: readonly PageSize[] = ['phone', 'screen'];

// ---------------------------------------------------------------------------------------------

export function createMemoryDeckStore(options: { dataDir?: string } = {}): DeckStore {
  const root = options.dataDir ? path.join(options.dataDir, 'decks') : null;
  const held = new Map<string, Buffer>(); // without DATA_DIR
  const counts = new Map<string, number>();
  const storedAt = new Map<string, number>(); // without DATA_DIR
  const memKey = (eventId: string, hash: string, page: number, size: PageSize) => `${eventId}/${hash}/${page}/${size}`;
  const deckDir = (eventId: string, hash: string) => path.join(root!, eventId, hash);
  const fileName = (page: number, size: PageSize) => `${page}-${size}.jpg`;

  async function readCount(eventId: string, hash: string): Promise<number | null> {
    const known = counts.get(`${eventId}/${hash}`);
    if (known !== undefined || !root) return known ?? null;
    try {
      const meta = JSON.parse(await fs.promises.readFile(path.join(deckDir(eventId, hash), 'deck.json'), 'utf8')) as { pageCount: number };
      counts.set(`${eventId}/${hash}`, meta.pageCount);
      return meta.pageCount;
    } catch {
      return null;
    }
  }

  return {
    kind: 'memory',
    async pageCount(eventId, hash) {
      if (!nameable(eventId, hash, 1)) return null;
      return readCount(eventId, hash);
    },
    async put(eventId, hash, pageCount, source) {
      if (!nameable(eventId, hash, 1)) throw new Error('invalid deck name');
      if ((await readCount(eventId, hash)) !== null) return;
      if (!root) {
        for (let page = 1; page <= pageCount; page++) {
          for (const size of SIZES) held.set(memKey(eventId, hash, page, size), await source(page, size));
        }
        counts.set(`${eventId}/${hash}`, pageCount);
        storedAt.set(`${eventId}/${hash}`, Date.now());
        return;
      }
      const parent = path.join(root, eventId);
      const part = path.join(parent, `.part-${hash}-${randomBytes(4).toString('hex')}`);
      await fs.promises.mkdir(part, { recursive: true });
      try {
        for (let page = 1; page <= pageCount; page++) {
          for (const size of SIZES) await fs.promises.writeFile(path.join(part, fileName(page, size)), await source(page, size));
        }
        await fs.promises.writeFile(path.join(part, 'deck.json'), JSON.stringify({ pageCount }));
        try {
          await fs.promises.rename(part, deckDir(eventId, hash));
        } catch (err) {
          // Another upload of the same bytes got there first: its deck is this one.
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
        }
      } finally {
        await fs.promises.rm(part, { recursive: true, force: true });
      }
      counts.set(`${eventId}/${hash}`, pageCount);
    },
    async get(eventId, hash, page, size) {
      if (!nameable(eventId, hash, page)) return null;
      if (!root) return held.get(memKey(eventId, hash, page, size)) ?? null;
      const count = await readCount(eventId, hash);
      if (count === null || page > count) return null;
      try {
        return await fs.promises.readFile(path.join(deckDir(eventId, hash), fileName(page, size)));
      } catch {
        return null;
      }
    },
    async touch(eventId, hash) {
      if ((await readCount(eventId, hash)) === null) return;
      const now = new Date();
      if (!root) storedAt.set(`${eventId}/${hash}`, now.getTime());
      else await fs.promises.utimes(path.join(deckDir(eventId, hash), 'deck.json'), now, now).catch(() => {});
    },
    async list(eventId) {
      if (!isKeySafe(eventId)) return [];
      if (!root) {
        return [...storedAt].filter(([k]) => k.startsWith(`${eventId}/`)).map(([k, at]) => ({ hash: k.slice(eventId.length + 1), storedAt: at }));
      }
      const names = await fs.promises.readdir(path.join(root, eventId)).catch(() => [] as string[]);
      const found: StoredDeck[] = [];
      for (const hash of names.filter((n) => DECK_HASH.test(n))) {
        const stat = await fs.promises.stat(path.join(deckDir(eventId, hash), 'deck.json')).catch(() => null);
        if (stat) found.push({ hash, storedAt: stat.mtimeMs });
      }
      return found;
    },
    async remove(eventId, hash) {
      if (!nameable(eventId, hash, 1)) return;
      const count = await readCount(eventId, hash);
      counts.delete(`${eventId}/${hash}`);
      storedAt.delete(`${eventId}/${hash}`);
      if (!root) {
        for (let page = 1; page <= (count ?? 0); page++) for (const size of SIZES) held.delete(memKey(eventId, hash, page, size));
        return;
      }
      // deck.json first: a deck without it reads as absent, even if removing the rest fails.
      await fs.promises.rm(path.join(deckDir(eventId, hash), 'deck.json'), { force: true });
      await fs.promises.rm(deckDir(eventId, hash), { recursive: true, force: true });
    },
    async close() {},
  };
}

// ---------------------------------------------------------------------------------------------

/** Pages written per round trip: a few MB per pipeline keeps each one well under the command timeout. */
const PAGES_PER_BATCH = 6;

export function createRedisDeckStore(redis: Redis, keys: Keys): DeckStore {
  return {
    kind: 'redis',
    async pageCount(eventId, hash) {
      if (!nameable(eventId, hash, 1)) return null;
      const raw = await call(redis.get(keys.slides.deck(eventId, hash)));
      return raw === null ? null : Number(raw);
    },
    async put(eventId, hash, pageCount, source) {
      if (!nameable(eventId, hash, 1)) throw new Error('invalid deck name');
      if ((await this.pageCount(eventId, hash)) !== null) return;
      for (let first = 1; first <= pageCount; first += PAGES_PER_BATCH) {
        const batch = redis.pipeline();
        for (let page = first; page < first + PAGES_PER_BATCH && page <= pageCount; page++) {
          for (const size of SIZES) batch.set(keys.slides.page(eventId, hash, page, size), await source(page, size));
        }
        const replies = await call(batch.exec());
        const failed = replies?.find(([err]) => err);
        if (!replies || failed) await call(Promise.reject(failed?.[0] ?? new Error('pipeline aborted')));
      }
      // Written last: a deck whose page count is readable is complete.
      await call(redis.set(keys.slides.deck(eventId, hash), String(pageCount)));
      await call(redis.zadd(keys.slides.decks(eventId), Date.now(), hash));
    },
    async get(eventId, hash, page, size) {
      if (!nameable(eventId, hash, page)) return null;
      return call(redis.getBuffer(keys.slides.page(eventId, hash, page, size)));
    },
    async touch(eventId, hash) {
      if ((await this.pageCount(eventId, hash)) === null) return;
      await call(redis.zadd(keys.slides.decks(eventId), Date.now(), hash));
    },
    async list(eventId) {
      if (!isKeySafe(eventId)) return [];
      const flat = await call(redis.zrange(keys.slides.decks(eventId), '0', '-1', 'WITHSCORES'));
      const found: StoredDeck[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) found.push({ hash: flat[i]!, storedAt: Number(flat[i + 1]) });
      return found;
    },
    async remove(eventId, hash) {
      if (!nameable(eventId, hash, 1)) return;
      const count = Number((await call(redis.getdel(keys.slides.deck(eventId, hash)))) ?? 0);
      for (let first = 1; first <= count; first += PAGES_PER_BATCH * 8) {
        const names: string[] = [];
        for (let page = first; page < first + PAGES_PER_BATCH * 8 && page <= count; page++) {
          for (const size of SIZES) names.push(keys.slides.page(eventId, hash, page, size));
        }
        await call(redis.unlink(...names));
      }
      await call(redis.zrem(keys.slides.decks(eventId), hash));
    },
    async close() {},
  };
}
