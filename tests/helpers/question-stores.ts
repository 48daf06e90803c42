/**
 * The questions store on both log backends, for the store contract suites: the embedded journal
 * (a temp DATA_DIR) and a Redis Stream per event (a unique key prefix, deleted afterwards). One
 * store implementation (server/questions/store.ts); what differs is where its log lives. Snapshots
 * are taken every few entries, so restarts and catch-ups go through snapshot + tail.
 */
import { createMemoryEphemeral, createRedisEphemeral } from '../../server/log/ephemeral.ts';
import { questionsReducer } from '../../server/questions/rules.ts';
import { createQuestionStore, type QuestionStore } from '../../server/questions/store.ts';
import { createKeys } from '../../server/store/keys.ts';
import { openStoreClient } from '../../server/store/redis.ts';
import { REDIS_URL } from './redis.ts';
import { storeKinds } from './stores.ts';

export interface QuestionStoreKind {
  name: 'memory' | 'redis';
  available: boolean;
  newLocation(): string;
  /** Opening the same location again is a restart (or, on Redis, a second process). */
  open(location: string): Promise<{ store: QuestionStore; close(): Promise<void> }>;
  cleanup(location: string): Promise<void>;
  sharedByProcesses: boolean;
}

/** A snapshot every this many entries of an event (the server's default is 1000). */
const SNAPSHOT_EVERY = 20;

export const questionStoreKinds: QuestionStoreKind[] = storeKinds.map((kind) => ({
  name: kind.name,
  available: kind.available,
  newLocation: () => kind.newLocation(),
  async open(location) {
    const logs = await kind.openLogs(location, [questionsReducer], { snapshotEvery: SNAPSHOT_EVERY });
    if (kind.name === 'memory') return { store: createQuestionStore(logs, createMemoryEphemeral()), close: () => logs.close() };
    // The broadcast slots are shared through Redis, on a connection of their own.
    const redis = await openStoreClient(REDIS_URL);
    return {
      store: createQuestionStore(logs, createRedisEphemeral(redis, createKeys(location))),
      async close() {
        await logs.close();
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  },
  cleanup: (location) => kind.cleanup(location),
  sharedByProcesses: kind.name === 'redis',
}));
