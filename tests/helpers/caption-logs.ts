/**
 * The captions domain's log and seqs as a process opens them, on either backend
 * (tests/helpers/stores.ts): the event logs of a location folded by the captions reducer, and that
 * process's `Ephemeral` (in memory: it starts again empty at each open, as after a restart; on
 * Redis: the location's keys). Closing closes both, so opening the location again is a restart.
 */
import { captionsReducer, type CaptionsEntry, type CaptionsState } from '../../server/captions/rules.ts';
import { captionSeqs, type CaptionSeqs } from '../../server/captions/seqs.ts';
import { createMemoryEphemeral, createRedisEphemeral, type Ephemeral } from '../../server/log/ephemeral.ts';
import { domainLog, type DomainLog, type EventLogs, type EventLogsOptions } from '../../server/log/event-logs.ts';
import { createKeys } from '../../server/store/keys.ts';
import { openStoreClient } from '../../server/store/redis.ts';
import { REDIS_URL } from './redis.ts';
import type { StoreKind } from './stores.ts';

export interface Captions {
  /** The captions domain's log (its state read through the selectors of server/captions/rules.ts). */
  log: DomainLog<CaptionsState, CaptionsEntry>;
  seqs: CaptionSeqs;
  ephemeral: Ephemeral;
}

/** The captions of a backend's logs, as the captions domain builds them (a backend's: `backend.logs`, `backend.ephemeral`). */
export function captionsOn(logs: EventLogs, ephemeral: Ephemeral): Captions {
  const log = domainLog<CaptionsState, CaptionsEntry>(logs, captionsReducer);
  return { log, seqs: captionSeqs(log, ephemeral), ephemeral };
}

export interface OpenedCaptions extends Captions {
  logs: EventLogs;
  close(): Promise<void>;
}

export async function openCaptions(kind: StoreKind, location: string, logOptions: EventLogsOptions = {}): Promise<OpenedCaptions> {
  const logs = await kind.openLogs(location, [captionsReducer], logOptions);
  if (kind.name === 'memory') return { ...captionsOn(logs, createMemoryEphemeral()), logs, close: () => logs.close() };
  const redis = await openStoreClient(REDIS_URL);
  return {
    ...captionsOn(logs, createRedisEphemeral(redis, createKeys(location))),
    logs,
    async close() {
      await logs.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
