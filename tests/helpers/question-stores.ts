/**
 * Both questions stores on their own, for the store contract suites: the embedded journal (a temp
 * DATA_DIR) and Redis (a unique key prefix, deleted afterwards).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createMemoryQuestionStore } from '../../server/questions/memory-store.ts';
import { createRedisQuestionStore } from '../../server/questions/redis-store.ts';
import type { QuestionStore } from '../../server/questions/store.ts';
import { createKeys } from '../../server/store/keys.ts';
import { connectOrFail, storeClientOptions } from '../../server/store/redis.ts';
import { REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './redis.ts';

export interface QuestionStoreKind {
  name: 'memory' | 'redis';
  available: boolean;
  newLocation(): string;
  /** Opening the same location again is a restart (or, on Redis, a second process). */
  open(location: string): Promise<{ store: QuestionStore; close(): Promise<void>; redis?: Redis }>;
  cleanup(location: string): Promise<void>;
  sharedByProcesses: boolean;
}

export const questionStoreKinds: QuestionStoreKind[] = [
  {
    name: 'memory',
    available: true,
    newLocation: () => fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-questions-')),
    open: async (dir) => {
      const store = createMemoryQuestionStore({ dataDir: dir });
      return { store, close: () => store.close() };
    },
    cleanup: async (dir) => fs.rmSync(dir, { recursive: true, force: true }),
    sharedByProcesses: false,
  },
  {
    name: 'redis',
    available: await requireRedis(),
    newLocation: () => uniquePrefix('questions'),
    open: async (prefix) => {
      const redis = new Redis(REDIS_URL, storeClientOptions());
      redis.on('error', () => {});
      await connectOrFail(redis, REDIS_URL);
      const store = createRedisQuestionStore(redis, createKeys(prefix));
      return {
        store,
        redis,
        close: async () => {
          await store.close();
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    },
    cleanup: (prefix) => deleteKeys(prefix),
    sharedByProcesses: true,
  },
];
