/**
 * Both store implementations, for suites that run against each. A "location" is a data folder
 * (embedded) or a key prefix (Redis): opening the same location again is a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, type Backend, type BackendConfig } from '../../server/backend.ts';
import { createEventLogs, type EventLogs, type EventLogsOptions, type Reducer } from '../../server/log/event-logs.ts';
import { createMemoryLog } from '../../server/log/memory-log.ts';
import { createRedisLog } from '../../server/log/redis-log.ts';
import { createKeys } from '../../server/store/keys.ts';
import { createMemoryStore } from '../../server/store/memory.ts';
import { createRedisStore, openStoreClient } from '../../server/store/redis.ts';
import type { Store } from '../../server/store/types.ts';
import { REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './redis.ts';

export interface StoreKind {
  name: 'memory' | 'redis';
  available: boolean;
  newLocation(): string;
  open(location: string): Promise<Store>;
  /** The live store and every domain's store on this location (with `extra` configuration). */
  openBackend(location: string, extra?: Omit<BackendConfig, 'kind'>): Promise<Backend>;
  /** The event logs alone on this location, folded by `reducers` (closing them closes their connection). */
  openLogs(location: string, reducers: Reducer<any, any>[], options?: EventLogsOptions): Promise<EventLogs>;
  cleanup(location: string): Promise<void>;
  /** The environment that runs `server/main.ts` on this location (helpers/process.ts). */
  mainEnv(location: string): Record<string, string>;
}

const redisUp = await requireRedis();

export const storeKinds: StoreKind[] = [
  {
    name: 'memory',
    available: true,
    newLocation: () => fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-test-')),
    open: async (dir) => createMemoryStore({ dataDir: dir }),
    openBackend: (dir, extra) => openBackend({ ...extra, kind: 'memory', dataDir: dir }),
    openLogs: async (dir, reducers, options) => createEventLogs(createMemoryLog({ dataDir: dir }), reducers, options),
    cleanup: async (dir) => fs.rmSync(dir, { recursive: true, force: true }),
    mainEnv: (dir) => ({ DATA_DIR: dir }),
  },
  {
    name: 'redis',
    available: redisUp,
    newLocation: () => uniquePrefix('live'),
    open: (prefix) => createRedisStore({ url: REDIS_URL, prefix }),
    openBackend: (prefix, extra) => openBackend({ ...extra, kind: 'redis', url: REDIS_URL, prefix }),
    openLogs: async (prefix, reducers, options) =>
      createEventLogs(createRedisLog(await openStoreClient(REDIS_URL), createKeys(prefix), { ownsConnection: true }), reducers, options),
    cleanup: (prefix) => deleteKeys(prefix),
    mainEnv: (prefix) => ({ REDIS_URL, REDIS_PREFIX: prefix }),
  },
];
