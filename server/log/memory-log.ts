/**
 * The embedded log: every event's entries in one journal, `DATA_DIR/log.ndjson` (one JSON line per
 * entry, written before `append` resolves, so a `kill -9` loses nothing acknowledged), and each
 * event's latest snapshot in `DATA_DIR/log-snapshots/<eventId>.json` (written whole, then renamed).
 * At open the journal is replayed and rewritten with only the entries above each snapshot. Without
 * a `dataDir` it keeps everything in memory (tests, the bundle-size script).
 *
 * One process owns a DATA_DIR, so the log is not shared: entries are folded as they are appended.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replayJournal, rewriteJournal } from '../store/journal.ts';
import { isKeySafe } from '../store/keys.ts';
import type { Entry, LogBackend, Snapshot } from './types.ts';

const JOURNAL = 'log.ndjson';
const SNAPSHOTS = 'log-snapshots';

/** A journal line: the entry and its event. */
type Line = Entry & { e: string };

interface EventLog {
  /** The last seq handed out. */
  last: number;
  /** Entries above the snapshot, in order. */
  entries: Entry[];
  /**
   * The latest snapshot as JSON, parsed on each load: a parse per snapshot saved would cost what
   * the snapshot costs, and every loader gets objects of its own (a reducer may keep and change them).
   */
  snapshot: { seq: number; json: string } | null;
}

export function createMemoryLog(options: { dataDir?: string } = {}): LogBackend {
  const events = new Map<string, EventLog>();
  const of = (eventId: string): EventLog => {
    let log = events.get(eventId);
    if (!log) events.set(eventId, (log = { last: 0, entries: [], snapshot: null }));
    return log;
  };
  let fd: number | null = null;
  const snapshotDir = options.dataDir ? path.join(options.dataDir, SNAPSHOTS) : null;

  if (options.dataDir && snapshotDir) {
    fs.mkdirSync(snapshotDir, { recursive: true });
    for (const name of fs.readdirSync(snapshotDir)) {
      if (!name.endsWith('.json')) continue;
      const json = fs.readFileSync(path.join(snapshotDir, name), 'utf8');
      const { seq } = JSON.parse(json) as Snapshot;
      const log = of(name.slice(0, -'.json'.length));
      log.snapshot = { seq, json };
      log.last = seq;
    }
    const file = path.join(options.dataDir, JOURNAL);
    replayJournal<Line>(file, ({ e, ...entry }) => {
      const log = of(e);
      // Lines at or below the snapshot were folded into it; a line out of order cannot be ours.
      if (entry.seq !== log.last + 1) return;
      log.entries.push(entry);
      log.last = entry.seq;
    });
    rewriteJournal(
      file,
      [...events].flatMap(([e, log]) => log.entries.map((entry): Line => ({ e, ...entry }))),
    );
    fd = fs.openSync(file, 'a');
  }

  return {
    kind: 'memory',
    shared: false,
    async append(eventId, draft) {
      const log = of(eventId);
      const entry: Entry = { ...draft, seq: log.last + 1 };
      if (fd !== null) fs.writeSync(fd, JSON.stringify({ e: eventId, ...entry }) + '\n');
      log.entries.push(entry);
      log.last = entry.seq;
      return entry.seq;
    },
    async read(eventId, after, count) {
      const log = events.get(eventId);
      if (!log) return [];
      const first = log.entries[0]?.seq ?? log.last + 1;
      const from = Math.max(0, after + 1 - first);
      return log.entries.slice(from, from + count);
    },
    async loadSnapshot(eventId) {
      const snapshot = events.get(eventId)?.snapshot;
      return snapshot ? (JSON.parse(snapshot.json) as Snapshot) : null;
    },
    async saveSnapshot(eventId, seq, json) {
      const log = of(eventId);
      if (log.snapshot && log.snapshot.seq >= seq) return;
      if (!isKeySafe(eventId)) throw new Error(`invalid event id for a file name: ${JSON.stringify(eventId)}`);
      if (snapshotDir) {
        const file = path.join(snapshotDir, `${eventId}.json`);
        const tmp = `${file}.tmp`;
        const sfd = fs.openSync(tmp, 'w');
        try {
          fs.writeSync(sfd, json);
          fs.fsyncSync(sfd);
        } finally {
          fs.closeSync(sfd);
        }
        fs.renameSync(tmp, file);
      }
      log.snapshot = { seq, json };
      // The journal keeps its lines until the next open; memory drops what the snapshot holds.
      const keep = log.entries.findIndex((e) => e.seq > seq);
      log.entries = keep < 0 ? [] : log.entries.slice(keep);
    },
    async close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
