/**
 * Data an older Tribune stored for the report (before the event log), carried into the log once, at
 * open: the embedded `DATA_DIR/report.ndjson` (then renamed `report.ndjson.imported`) and, on
 * Redis, the `…:report:peak` and `…:report:summary` hashes (then deleted). Each event's data becomes
 * one `report.import` entry; importing twice (a crash in between) changes nothing, since peaks only
 * rise and a summary is set to the same text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SummaryEntry } from '../../shared/report.ts';
import type { BackendContext } from '../backend.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { replayJournal } from '../store/journal.ts';
import { call, scanKeys } from '../store/redis.ts';
import type { ReportState } from './rules.ts';

type OldLine = { t: 'peak'; e: string; f: Record<string, number> } | { t: 'summary'; e: string; lang: string; s: SummaryEntry | null };

export async function importOldReports(ctx: BackendContext, logs: EventLogs): Promise<number> {
  const found = new Map<string, ReportState>();
  const of = (e: string) => {
    let s = found.get(e);
    if (!s) found.set(e, (s = { peaks: {}, summaries: {} }));
    return s;
  };
  if (ctx.kind === 'memory') {
    if (!ctx.dataDir) return 0;
    const file = path.join(ctx.dataDir, 'report.ndjson');
    if (!fs.existsSync(file)) return 0;
    replayJournal<OldLine>(file, (line) => {
      const s = of(line.e);
      if (line.t === 'peak') for (const [f, n] of Object.entries(line.f)) s.peaks[f] = Math.max(s.peaks[f] ?? 0, n);
      else if (line.s) s.summaries[line.lang] = line.s;
      else delete s.summaries[line.lang];
    });
    for (const [eventId, state] of found) await logs.append(eventId, { kind: 'report.import', payload: state });
    fs.renameSync(file, `${file}.imported`);
    return found.size;
  }
  const { redis, keys } = ctx;
  const old = [...(await scanKeys(redis, `${keys.prefix}:{*}:report:peak`)), ...(await scanKeys(redis, `${keys.prefix}:{*}:report:summary`))];
  for (const key of old) {
    const eventId = key.slice(key.indexOf('{') + 1, key.indexOf('}'));
    const raw = await call(redis.hgetall(key));
    const s = of(eventId);
    if (key.endsWith(':report:peak')) for (const [f, n] of Object.entries(raw)) s.peaks[f] = Number(n);
    else for (const [lang, json] of Object.entries(raw)) s.summaries[lang] = JSON.parse(json) as SummaryEntry;
  }
  for (const [eventId, state] of found) await logs.append(eventId, { kind: 'report.import', payload: state });
  if (old.length) await call(redis.del(...old));
  return found.size;
}
