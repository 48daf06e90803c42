/**
 * The embedded live store: `createMemoryStore` is the whole live store on its own embedded log
 * (tests, tools); the server opens the store on the backend's shared log (backend.ts).
 */
import { reducers } from '../reducers.ts';
import { createMemoryEphemeral } from '../log/ephemeral.ts';
import { createEventLogs } from '../log/event-logs.ts';
import { createMemoryLog } from '../log/memory-log.ts';
import { forgetAudience } from '../live/audience.ts';
import { createStore } from './store.ts';
import type { Store } from './types.ts';

export interface MemoryStoreOptions {
  /** Folder of the log; absent: nothing is persisted (tests of pure behaviour). */
  dataDir?: string;
}

/**
 * The live store alone on its own embedded log (the server shares one log: backend.ts). Ready at
 * once: its methods wait for the audience reset of the open.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const logs = createEventLogs(createMemoryLog(options), reducers);
  const store = { ...createStore(logs, createMemoryEphemeral()), close: () => logs.close() };
  const ready = forgetAudience(store);
  const waiting = Object.entries(store).map(([name, value]) =>
    typeof value === 'function' ? [name, async (...args: unknown[]) => (await ready, (value as (...a: unknown[]) => unknown)(...args))] : [name, value],
  );
  return Object.fromEntries(waiting) as Store;
}
