/**
 * The embedded records: every event's record in memory, appended to DATA_DIR/events.ndjson before
 * the promise resolves (a process killed with -9 loses nothing acknowledged: the write reached the
 * kernel), replayed and compacted at open. `createMemoryStore` is the whole live store on its own
 * embedded log (tests, tools); the server opens the store on the backend's shared log (backend.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { createMemoryEphemeral } from '../log/ephemeral.ts';
import { createEventLogs } from '../log/event-logs.ts';
import { createMemoryLog } from '../log/memory-log.ts';
import { liveReducer } from '../live/rules.ts';
import { replayJournal, rewriteJournal } from './journal.ts';
import { createStore } from './store.ts';
import type { EventRecord, Records, Store } from './types.ts';

export interface MemoryStoreOptions {
  /** Folder of the journal; absent: nothing is persisted (tests of pure behaviour). */
  dataDir?: string;
}

const JOURNAL = 'events.ndjson';

export function createMemoryRecords(options: MemoryStoreOptions = {}): Records {
  const records = new Map<string, EventRecord>();
  const codes = new Map<string, string>();
  let fd: number | null = null;

  const apply = (record: EventRecord) => {
    records.set(record.id, record);
    codes.set(record.code, record.id);
  };
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, JOURNAL);
    replayJournal<EventRecord>(file, apply);
    rewriteJournal(file, [...records.values()]);
    fd = fs.openSync(file, 'a');
  }
  function write(record: EventRecord) {
    if (fd !== null) fs.writeSync(fd, JSON.stringify(record) + '\n');
    apply(record);
  }

  return {
    kind: 'memory',
    async create(record) {
      if (codes.has(record.code)) throw new TribuneError(ErrorCode.CONFLICT, 'join code in use');
      write(record);
    },
    async get(id) {
      return records.get(id) ?? null;
    },
    async findIdByCode(code) {
      return codes.get(code.toUpperCase()) ?? null;
    },
    async count() {
      return records.size;
    },
    async list() {
      return [...records.values()];
    },
    async setSecretHashes(id, secretHashes) {
      const current = records.get(id);
      if (!current) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
      const record = { ...current, secretHashes };
      write(record);
      return record;
    },
    async healthy() {
      return true;
    },
    async close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
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
  const logs = createEventLogs(createMemoryLog(options), [liveReducer]);
  const records = createMemoryRecords(options);
  const store = createStore({ ...records, close: async () => (await records.close(), await logs.close()) }, logs, createMemoryEphemeral());
  const ready = forgetAudience(store);
  const waiting = Object.entries(store).map(([name, value]) =>
    typeof value === 'function' ? [name, async (...args: unknown[]) => (await ready, (value as (...a: unknown[]) => unknown)(...args))] : [name, value],
  );
  return Object.fromEntries(waiting) as Store;
}
