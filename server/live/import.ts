/**
 * Live states an older Tribune stored outside the event log, carried into it once, at open: the
 * embedded `DATA_DIR/journal.ndjson` (records and states; then renamed `journal.ndjson.imported`,
 * the records going into the registry) and, on Redis, each event's `state` key (then deleted with
 * its `rev` and `presence`; server/events/import.ts then takes the records). Each state becomes one `live.import`
 * entry, which the live rules ignore when the event already has a state (an import run twice).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LiveState } from '../../shared/schemas.ts';
import type { BackendContext } from '../backend.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { replayJournal } from '../store/journal.ts';
import { call } from '../store/redis.ts';
import type { EventRecord } from '../events/records.ts';
import { importRecords, oldKeys } from '../events/import.ts';
import { isKeySafe } from '../store/keys.ts';

type OldLine =
  | { t: 'event'; record: EventRecord; state: LiveState }
  | { t: 'state'; id: string; state: LiveState }
  | { t: 'record'; record: EventRecord };

export async function importOldLiveStates(ctx: BackendContext, logs: EventLogs): Promise<number> {
  if (ctx.kind === 'memory') {
    if (!ctx.dataDir) return 0;
    const file = path.join(ctx.dataDir, 'journal.ndjson');
    if (!fs.existsSync(file)) return 0;
    const old = new Map<string, EventRecord>();
    const states = new Map<string, LiveState>();
    replayJournal<OldLine>(file, (line) => {
      if (line.t === 'event') {
        old.set(line.record.id, line.record);
        states.set(line.record.id, line.state);
      } else if (line.t === 'record') old.set(line.record.id, line.record);
      else states.set(line.id, line.state);
    });
    for (const [id] of old) {
      const state = states.get(id);
      if (state) await logs.append(id, { kind: 'live.import', payload: { state } });
    }
    await importRecords(logs, [...old.values()]);
    fs.renameSync(file, `${file}.imported`);
    return old.size;
  }
  const { redis } = ctx;
  const keys = oldKeys(ctx.keys);
  let n = 0;
  for (const id of (await call(redis.smembers(keys.events))).filter(isKeySafe)) {
    const raw = await call(redis.get(keys.state(id)));
    if (!raw) continue;
    await logs.append(id, { kind: 'live.import', payload: { state: JSON.parse(raw) as LiveState } });
    await call(redis.del(keys.state(id), keys.rev(id), keys.presence(id)));
    n++;
  }
  return n;
}
