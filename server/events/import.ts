/**
 * Records an older Tribune kept outside the log, carried into the registry once, at open: the
 * embedded `DATA_DIR/events.ndjson` (one record per line, the last line of an id is its record;
 * then renamed `events.ndjson.imported`) and, on Redis, the `events` set with each event's `record`
 * and `code:<CODE>` keys (then deleted). One `records.import` entry, which takes only the records
 * whose id and code are free (an import run twice, or by two processes at once, changes nothing).
 * Runs after server/live/import.ts, which reads the same `events` set.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackendContext } from '../backend.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { replayJournal } from '../store/journal.ts';
import { isKeySafe, type Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';
import type { EventRecord } from './records.ts';
import { REGISTRY } from './records.ts';

/** The keys an older Tribune kept events in on Redis (server/live/import.ts reads them too). */
export const oldKeys = (keys: Keys) => ({
  events: `${keys.prefix}:events`,
  record: (eventId: string) => keys.eventKey(eventId, 'record'),
  code: (code: string) => `${keys.prefix}:code:${code.toUpperCase()}`,
  state: (eventId: string) => keys.eventKey(eventId, 'state'),
  rev: (eventId: string) => keys.eventKey(eventId, 'rev'),
  presence: (eventId: string) => keys.eventKey(eventId, 'presence'),
});

/** Appends the records to the registry (those it does not hold yet). */
export async function importRecords(logs: EventLogs, records: EventRecord[]): Promise<void> {
  if (records.length) await logs.append(REGISTRY, { kind: 'records.import', payload: { records } });
}

export async function importOldRecords(ctx: BackendContext, logs: EventLogs): Promise<number> {
  if (ctx.kind === 'memory') {
    const file = ctx.dataDir && path.join(ctx.dataDir, 'events.ndjson');
    if (!file || !fs.existsSync(file)) return 0;
    const byId = new Map<string, EventRecord>();
    replayJournal<EventRecord>(file, (record) => byId.set(record.id, record));
    await importRecords(logs, [...byId.values()]);
    fs.renameSync(file, `${file}.imported`);
    return byId.size;
  }
  const { redis } = ctx;
  const keys = oldKeys(ctx.keys);
  const ids = (await call(redis.smembers(keys.events))).filter(isKeySafe);
  const raw = await Promise.all(ids.map((id) => call(redis.get(keys.record(id)))));
  const records = raw.flatMap((r) => (r ? [JSON.parse(r) as EventRecord] : []));
  await importRecords(logs, records);
  for (const r of records) await call(redis.del(keys.record(r.id), keys.code(r.code)));
  await call(redis.del(keys.events));
  return records.length;
}
