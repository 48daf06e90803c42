/**
 * The embedded stores' journals: one JSON entry per line, appended (and reaching the kernel)
 * before a change is acknowledged, replayed at open, and rewritten whole with only the live
 * entries (compaction). Shared by the live store and each domain's embedded store.
 */
import fs from 'node:fs';

/**
 * Applies every entry of the journal at `file` (none when it does not exist). A line that does not
 * parse is the torn last line of a process killed mid-write, which was never acknowledged: skipped.
 */
export function replayJournal<T>(file: string, apply: (entry: T) => void): void {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let entry: T;
    try {
      entry = JSON.parse(line) as T;
    } catch {
      continue;
    }
    apply(entry);
  }
}

/**
 * Replaces the journal with `entries`: written to a temporary file, flushed to disk, then renamed
 * over the journal, so a crash at any point leaves either the old journal or the new one whole.
 */
export function rewriteJournal(file: string, entries: readonly unknown[]): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    // In chunks: a long evening's captions are tens of thousands of lines.
    for (let i = 0; i < entries.length; i += 2000) {
      fs.writeSync(fd, entries.slice(i, i + 2000).map((e) => JSON.stringify(e) + '\n').join(''));
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
