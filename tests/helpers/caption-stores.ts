/**
 * The captions store as a process opens it, on either backend (tests/helpers/stores.ts): the event
 * logs of a location folded by the captions reducer, and that process's `Ephemeral` (in memory: it
 * starts again empty at each open, as after a restart; on Redis: the location's keys). Closing the
 * store closes both, so opening the location again is a restart.
 */
import { captionsReducer } from '../../server/captions/rules.ts';
import { createCaptionStore, type CaptionStore, type CaptionStoreOptions } from '../../server/captions/store.ts';
import type { EventLogs, EventLogsOptions } from '../../server/log/event-logs.ts';
import { createMemoryEphemeral, createRedisEphemeral } from '../../server/log/ephemeral.ts';
import { createKeys } from '../../server/store/keys.ts';
import { openStoreClient } from '../../server/store/redis.ts';
import { REDIS_URL } from './redis.ts';
import type { StoreKind } from './stores.ts';

export interface OpenedCaptionStore extends CaptionStore {
  logs: EventLogs;
}

export async function openCaptionStore(
  kind: StoreKind,
  location: string,
  options: Partial<CaptionStoreOptions> = {},
  logOptions: EventLogsOptions = {},
): Promise<OpenedCaptionStore> {
  const logs = await kind.openLogs(location, [captionsReducer], logOptions);
  if (kind.name === 'memory') {
    const store = createCaptionStore(logs, createMemoryEphemeral(), options);
    return { ...store, logs, close: () => logs.close() };
  }
  const redis = await openStoreClient(REDIS_URL);
  const store = createCaptionStore(logs, createRedisEphemeral(redis, createKeys(location)), options);
  return {
    ...store,
    logs,
    async close() {
      await logs.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
