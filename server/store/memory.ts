/**
 * The embedded live store: `createMemoryStore` is the whole live store on its own embedded log
 * (tests, tools); the server opens the store on the backend's shared log (backend.ts).
 */
import { reducers } from '../reducers.ts';
import { createMemoryEphemeral } from '../log/ephemeral.ts';
import { createEventLogs } from '../log/event-logs.ts';
import { createMemoryLog } from '../log/memory-log.ts';
import { createStore } from './store.ts';
import type { Store } from './types.ts';

export interface MemoryStoreOptions {
  /** Folder of the log; absent: nothing is persisted (tests of pure behaviour). */
  dataDir?: string;
}

/**
 * After a restart of the embedded server, the phones it counted are gone (they will reconnect):
 * every event's audience goes back to zero and its audio channels off air, as a change (rev + 1), or clients holding that rev
 * would ignore it.
 */
export async function forgetAudience(store: Store): Promise<void> {
  for (const record of await store.listEvents()) {
    const state = await store.getState(record.id);
    if (state && state.audience.connected > 0) await store.change(record.id, 'audience', { audience: { connected: 0, byTable: {} } });
    // Nobody publishes or listens to a process that just started: every channel is off air.
    if (state && Object.values(state.audio).some((c) => c.onAir || c.listeners > 0)) await store.change(record.id, 'audio', { audio: {} });
  }
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
