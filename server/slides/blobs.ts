/**
 * Where page images are kept, and nothing else (decks.ts says which decks exist): files
 * `DATA_DIR/decks/<eventId>/<hash>/<page>-<size>.jpg`, memory without DATA_DIR, or one binary
 * string per image on Redis (keys.ts `slides.page`). Names are checked by decks.ts before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PageSize } from '../../shared/deck.ts';
import type { Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';

export interface PageBlobs {
  readonly kind: 'memory' | 'redis';
  put(eventId: string, hash: string, page: number, size: PageSize, bytes: Buffer): Promise<void>;
  get(eventId: string, hash: string, page: number, size: PageSize): Promise<Buffer | null>;
  /** Removes a deck's images (pages 1 to `pageCount`). */
  remove(eventId: string, hash: string, pageCount: number): Promise<void>;
}

const SIZES: readonly PageSize[] = ['phone', 'screen'];

export function fileBlobs(dataDir: string): PageBlobs {
  const dir = (eventId: string, hash: string) => path.join(dataDir, 'decks', eventId, hash);
  const file = (eventId: string, hash: string, page: number, size: PageSize) => path.join(dir(eventId, hash), `${page}-${size}.jpg`);
  return {
    kind: 'memory',
    async put(eventId, hash, page, size, bytes) {
      // Renamed into place: a reader never sees half an image, even while the same deck is written twice.
      const target = file(eventId, hash, page, size);
      const tmp = `${target}.${randomBytes(4).toString('hex')}.part`;
      await fs.promises.mkdir(dir(eventId, hash), { recursive: true });
      await fs.promises.writeFile(tmp, bytes);
      await fs.promises.rename(tmp, target);
    },
    get: (eventId, hash, page, size) => fs.promises.readFile(file(eventId, hash, page, size)).catch(() => null),
    remove: (eventId, hash) => fs.promises.rm(dir(eventId, hash), { recursive: true, force: true }),
  };
}

export function memoryBlobs(): PageBlobs {
  const held = new Map<string, Buffer>();
  const name = (eventId: string, hash: string, page: number, size: PageSize) => `${eventId}/${hash}/${page}/${size}`;
  return {
    kind: 'memory',
    put: async (eventId, hash, page, size, bytes) => void held.set(name(eventId, hash, page, size), bytes),
    get: async (eventId, hash, page, size) => held.get(name(eventId, hash, page, size)) ?? null,
    async remove(eventId, hash, pageCount) {
      for (let page = 1; page <= pageCount; page++) for (const size of SIZES) held.delete(name(eventId, hash, page, size));
    },
  };
}

export function redisBlobs(redis: Redis, keys: Keys): PageBlobs {
  return {
    kind: 'redis',
    put: (eventId, hash, page, size, bytes) => call(redis.set(keys.slides.page(eventId, hash, page, size), bytes)).then(() => {}),
    get: (eventId, hash, page, size) => call(redis.getBuffer(keys.slides.page(eventId, hash, page, size))),
    async remove(eventId, hash, pageCount) {
      const names = Array.from({ length: pageCount }, (_, i) => SIZES.map((s) => keys.slides.page(eventId, hash, i + 1, s))).flat();
      // In slices: a long deck's names in one command would be a large one.
      for (let i = 0; i < names.length; i += 100) await call(redis.unlink(...names.slice(i, i + 100)));
    },
  };
}
