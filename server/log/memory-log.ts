/**
 * The embedded log: every event's entries in one journal, `DATA_DIR/log.ndjson` (one JSON line per
 * entry, written before `append` resolves, so a `kill -9` loses nothing acknowledged), and each
 * event's latest snapshot in `DATA_DIR/log-snapshots/<eventId>.json` (written whole, then renamed).
 * At open, and whenever it has grown by `compactBytes` since (between two writes), the journal is
 * rewritten with only the entries above each snapshot, so a long evening's votes do not pile up on
 * disk. Without a `dataDir` it keeps everything in memory (tests, the bundle-size script).
 *
 * Group commit: the entries appended while a write is in flight go out together in the next write,
 * and each `append` resolves once its line reached the kernel. A storm of votes costs one write per
 * round, not one blocking write per vote; a failed write takes back every entry it carried.
 *
 * One process owns a DATA_DIR, so the log is not shared: entries are folded as they are appended.
 */
import fs from 'node:fs';
import path from 'node:path';
import { replayJournal, rewriteJournal } from '../store/journal.ts';
import { isKeySafe } from '../store/keys.ts';
import type { Entry, LogBackend, Snapshot } from './types.ts';

const JOURNAL = 'log.ndjson';

/** Writes `bytes` from `offset` at the end of the file (opened to append); resolves with how many were written. */
const writeAt = (fd: number, bytes: Buffer, offset: number) =>
  new Promise<number>((resolve, reject) => fs.write(fd, bytes, offset, bytes.length - offset, null, (err, n) => (err ? reject(err) : resolve(n))));
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

/** The journal is compacted once it has grown by this much since the last compaction (default 64 MB). */
const COMPACT_BYTES = 64 * 1024 * 1024;

export function createMemoryLog(options: { dataDir?: string; compactBytes?: number } = {}): LogBackend {
  const events = new Map<string, EventLog>();
  const of = (eventId: string): EventLog => {
    let log = events.get(eventId);
    if (!log) events.set(eventId, (log = { last: 0, entries: [], snapshot: null }));
    return log;
  };
  let fd: number | null = null;
  /** Bytes of the journal that hold whole, written lines (a failed write is cut back to it). */
  let written = 0;
  /** The journal's size when it is compacted next. */
  let compactAt = 0;
  /** Entries waiting for the next write, and the write in flight. */
  let queued: { log: EventLog; entry: Entry; line: string; done: (err?: Error) => void }[] = [];
  let flushing: Promise<void> | null = null;
  /** Snapshot writes per event, one at a time. */
  const saving = new Map<string, Promise<void>>();
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
    replayJournal<Line>(path.join(options.dataDir, JOURNAL), ({ e, ...entry }) => {
      const log = of(e);
      // Lines at or below the snapshot were folded into it; a line out of order cannot be ours.
      if (entry.seq !== log.last + 1) return;
      log.entries.push(entry);
      log.last = entry.seq;
    });
    compact();
  }

  /**
   * Rewrites the journal with the entries no snapshot holds (written whole, then renamed) and
   * appends to it from then on. Called at open and between two writes (nothing is in flight).
   */
  function compact() {
    const file = path.join(options.dataDir!, JOURNAL);
    rewriteJournal(
      file,
      [...events].flatMap(([e, log]) => log.entries.map((entry): Line => ({ e, ...entry }))),
    );
    const next = fs.openSync(file, 'a');
    if (fd !== null) fs.closeSync(fd);
    fd = next;
    written = fs.fstatSync(fd).size;
    compactAt = written + (options.compactBytes ?? COMPACT_BYTES);
  }

  /** Writes what is queued, then what was queued meanwhile, until nothing is. */
  async function flush() {
    while (queued.length) {
      const round = queued;
      queued = [];
      const bytes = Buffer.from(round.map((q) => q.line).join(''));
      try {
        for (let off = 0; off < bytes.length; ) off += await writeAt(fd!, bytes, off);
        written += bytes.length;
      } catch (err) {
        // None of these lines counts: cut the journal back, and give their seqs back (they are each log's tail).
        try {
          fs.ftruncateSync(fd!, written);
        } catch {}
        for (const q of [...round, ...queued].reverse()) q.log.last = Math.min(q.log.last, q.entry.seq - 1);
        for (const q of [...round, ...queued]) q.done(err as Error);
        queued = [];
        return;
      }
      for (const q of round) {
        q.log.entries.push(q.entry);
        q.done();
      }
      if (written >= compactAt) {
        try {
          compact();
        } catch {
          // The journal was left whole (rewriteJournal renames last): go on appending, try again later.
          compactAt = written + (options.compactBytes ?? COMPACT_BYTES);
        }
      }
    }
  }

  return {
    kind: 'memory',
    shared: false,
    async append(eventId, draft) {
      const log = of(eventId);
      const entry: Entry = { ...draft, seq: log.last + 1 };
      log.last = entry.seq;
      if (fd === null) {
        log.entries.push(entry);
        return entry.seq;
      }
      const line = JSON.stringify({ e: eventId, ...entry }) + '\n';
      const stored = new Promise<void>((resolve, reject) => queued.push({ log, entry, line, done: (err) => (err ? reject(err) : resolve()) }));
      flushing ??= flush().finally(() => (flushing = null));
      await stored;
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
    saveSnapshot(eventId, seq, json) {
      if (!isKeySafe(eventId)) return Promise.reject(new Error(`invalid event id for a file name: ${JSON.stringify(eventId)}`));
      // One at a time per event, off the event loop: a large state's file takes a while to reach the disk.
      const next = (saving.get(eventId) ?? Promise.resolve()).then(() => writeSnapshot(eventId, seq, json));
      const kept = next.catch(() => {});
      saving.set(eventId, kept);
      void kept.then(() => saving.get(eventId) === kept && saving.delete(eventId));
      return next;
    },
    async close() {
      await flushing;
      await Promise.all(saving.values());
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };

  async function writeSnapshot(eventId: string, seq: number, json: string) {
    const log = of(eventId);
    if (log.snapshot && log.snapshot.seq >= seq) return;
    if (snapshotDir) {
      const file = path.join(snapshotDir, `${eventId}.json`);
      const tmp = `${file}.tmp`;
      const handle = await fs.promises.open(tmp, 'w');
      try {
        await handle.writeFile(json);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(tmp, file);
    }
    log.snapshot = { seq, json };
    // The journal keeps its lines until the next open; memory drops what the snapshot holds.
    const keep = log.entries.findIndex((e) => e.seq > seq);
    log.entries = keep < 0 ? [] : log.entries.slice(keep);
  }
}
