/**
 * The embedded store: state in memory, every change appended to a journal under DATA_DIR
 * before the promise resolves. A process killed with -9 loses nothing acknowledged: the
 * write() has reached the kernel. At start the journal is replayed, then compacted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { LiveState } from '../../shared/schemas.ts';
import { replayJournal, rewriteJournal } from './journal.ts';
import { sameAudience, sumPresence } from './presence.ts';
import type { EventRecord, PresenceCounts, Store } from './types.ts';

type JournalEntry =
  | { t: 'event'; record: EventRecord; state: LiveState }
  | { t: 'state'; id: string; state: LiveState }
  | { t: 'record'; record: EventRecord };

export interface MemoryStoreOptions {
  /** Folder of the journal; absent: nothing is persisted (tests of pure behaviour). */
  dataDir?: string;
}

const JOURNAL = 'journal.ndjson';

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const records = new Map<string, EventRecord>();
  const states = new Map<string, LiveState>();
  const codes = new Map<string, string>();
  const presence = new Map<string, Map<string, PresenceCounts>>();
  let fd: number | null = null;

  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, JOURNAL);
    replayJournal<JournalEntry>(file, apply);
    // Presence is of sockets that no longer exist after a restart; they will reconnect. A changed
    // audience is a state change (rev + 1), or clients holding that rev would ignore it.
    for (const [id, s] of states) {
      if (s.audience.connected > 0) states.set(id, { ...s, audience: { connected: 0, byTable: {} }, rev: s.rev + 1 });
    }
    compact(file);
    fd = fs.openSync(file, 'a');
  }

  function apply(entry: JournalEntry) {
    if (entry.t === 'event') {
      records.set(entry.record.id, entry.record);
      codes.set(entry.record.code, entry.record.id);
      states.set(entry.record.id, entry.state);
    } else if (entry.t === 'record') {
      records.set(entry.record.id, entry.record);
    } else {
      states.set(entry.id, entry.state);
    }
  }

  function compact(file: string) {
    rewriteJournal(
      file,
      [...records.values()].map((record): JournalEntry => ({ t: 'event', record, state: states.get(record.id)! })),
    );
  }

  function write(entry: JournalEntry) {
    if (fd !== null) fs.writeSync(fd, JSON.stringify(entry) + '\n');
    apply(entry);
  }

  function commit(id: string, next: LiveState): LiveState {
    write({ t: 'state', id, state: next });
    return next;
  }

  return {
    kind: 'memory',
    async createEvent(record, state) {
      if (codes.has(record.code)) throw new TribuneError(ErrorCode.CONFLICT, 'join code in use');
      write({ t: 'event', record, state });
    },
    async getEvent(id) {
      return records.get(id) ?? null;
    },
    async findEventIdByCode(code) {
      return codes.get(code.toUpperCase()) ?? null;
    },
    async countEvents() {
      return records.size;
    },
    async listEvents() {
      return [...records.values()];
    },
    async setSecretHashes(id, secretHashes) {
      const current = records.get(id);
      if (!current) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
      const record = { ...current, secretHashes };
      write({ t: 'record', record });
      return record;
    },
    async getState(id) {
      return states.get(id) ?? null;
    },
    async update(id, change) {
      const current = states.get(id);
      if (!current) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
      const next = change(current);
      if (next === current) return null;
      return commit(id, { ...next, rev: current.rev + 1 });
    },
    async publishPresence(id, processId, counts) {
      const current = states.get(id);
      if (!current) return null;
      let perProcess = presence.get(id);
      if (!perProcess) presence.set(id, (perProcess = new Map()));
      perProcess.set(processId, counts);
      const audience = sumPresence(perProcess.values());
      if (sameAudience(audience, current.audience)) return null;
      return commit(id, { ...current, audience, rev: current.rev + 1 });
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
