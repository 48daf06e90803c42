/**
 * The questions domain's log, with no backend (its rules and reads as plain functions) and on both
 * log backends: the embedded journal (a temp DATA_DIR) and a Redis Stream per event (a unique key
 * prefix, deleted afterwards). On a backend snapshots are taken every few entries, so restarts and
 * catch-ups go through snapshot + tail.
 */
import { createMemoryEphemeral, createRedisEphemeral, type Ephemeral } from '../../server/log/ephemeral.ts';
import { domainLog } from '../../server/log/event-logs.ts';
import type { Entry } from '../../server/log/types.ts';
import { questionsReducer, type QuestionsEntry, type QuestionsLog, type QuestionsState } from '../../server/questions/rules.ts';
import { createKeys } from '../../server/store/keys.ts';
import { openStoreClient } from '../../server/store/redis.ts';
import { REDIS_URL } from './redis.ts';
import { storeKinds } from './stores.ts';

/**
 * One event's questions folded here, no log: `append` stamps an entry (seq, `at`: the clock given,
 * default a fixed one) and applies it through the reducer, returning its verdict or throwing its
 * refusal, as `QuestionsLog.append` resolves or rejects.
 */
export function questionsFold(clock: () => number = () => 1_764_100_000_000) {
  const state: QuestionsState = questionsReducer.initial();
  let seq = 0;
  return {
    state,
    append<V>(entry: QuestionsEntry, at = clock()): V {
      return questionsReducer.apply(state, { ...entry, seq: ++seq, at } as Entry) as V;
    },
  };
}

export interface QuestionLogKind {
  name: 'memory' | 'redis';
  available: boolean;
  newLocation(): string;
  /** Opening the same location again is a restart (or, on Redis, a second process). */
  open(location: string): Promise<{ log: QuestionsLog; ephemeral: Ephemeral; close(): Promise<void> }>;
  cleanup(location: string): Promise<void>;
  sharedByProcesses: boolean;
}

/** A snapshot every this many entries of an event (the server's default is 1000). */
const SNAPSHOT_EVERY = 20;

export const questionLogKinds: QuestionLogKind[] = storeKinds.map((kind) => ({
  name: kind.name,
  available: kind.available,
  newLocation: () => kind.newLocation(),
  async open(location) {
    const logs = await kind.openLogs(location, [questionsReducer], { snapshotEvery: SNAPSHOT_EVERY });
    const log = domainLog<QuestionsState, QuestionsEntry>(logs, questionsReducer);
    if (kind.name === 'memory') return { log, ephemeral: createMemoryEphemeral(), close: () => logs.close() };
    // The broadcast slots are shared through Redis, on a connection of their own.
    const redis = await openStoreClient(REDIS_URL);
    return {
      log,
      ephemeral: createRedisEphemeral(redis, createKeys(location)),
      async close() {
        await logs.close();
        await redis.quit().catch(() => redis.disconnect());
      },
    };
  },
  cleanup: (location) => kind.cleanup(location),
  sharedByProcesses: kind.name === 'redis',
}));
