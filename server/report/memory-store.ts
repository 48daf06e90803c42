/**
 * The embedded report store: in memory, journaled to DATA_DIR/report.ndjson before a promise
 * resolves (a peak line only when a peak rises), replayed and compacted at open.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AudiencePeak, SummaryEntry } from '../../shared/report.ts';
import { replayJournal, rewriteJournal } from '../store/journal.ts';
import { peakFields, peakFrom, type ReportStore } from './store.ts';

const JOURNAL = 'report.ndjson';

type Entry =
  | { t: 'peak'; e: string; f: Record<string, number> }
  | { t: 'summary'; e: string; lang: string; s: SummaryEntry | null };

export function createMemoryReportStore(options: { dataDir?: string } = {}): ReportStore {
  const peaks = new Map<string, Map<string, number>>();
  const summaries = new Map<string, Map<string, SummaryEntry>>();
  let fd: number | null = null;

  function apply(entry: Entry) {
    if (entry.t === 'peak') {
      let p = peaks.get(entry.e);
      if (!p) peaks.set(entry.e, (p = new Map()));
      for (const [f, n] of Object.entries(entry.f)) p.set(f, Math.max(p.get(f) ?? 0, n));
    } else {
      let s = summaries.get(entry.e);
      if (!s) summaries.set(entry.e, (s = new Map()));
      if (entry.s) s.set(entry.lang, entry.s);
      else s.delete(entry.lang);
    }
  }

  function write(entry: Entry) {
    if (fd !== null) fs.writeSync(fd, JSON.stringify(entry) + '\n');
    apply(entry);
  }

  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, JOURNAL);
    replayJournal<Entry>(file, apply);
    const live: Entry[] = [
      ...[...peaks].map(([e, p]): Entry => ({ t: 'peak', e, f: Object.fromEntries(p) })),
      ...[...summaries].flatMap(([e, s]) => [...s].map(([lang, entry]): Entry => ({ t: 'summary', e, lang, s: entry }))),
    ];
    rewriteJournal(file, live);
    fd = fs.openSync(file, 'a');
  }

  return {
    kind: 'memory',
    async recordAudience(eventId, audience) {
      const current = peaks.get(eventId);
      const raised = peakFields(audience).filter(([f, n]) => n > (current?.get(f) ?? 0));
      if (raised.length) write({ t: 'peak', e: eventId, f: Object.fromEntries(raised) });
    },
    async audiencePeak(eventId): Promise<AudiencePeak> {
      return peakFrom(peaks.get(eventId) ?? []);
    },
    async summaries(eventId) {
      return Object.fromEntries(summaries.get(eventId) ?? []);
    },
    async setSummary(eventId, lang, entry) {
      write({ t: 'summary', e: eventId, lang, s: entry });
    },
    async close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
