/**
 * Captions an older Tribune stored (before the event log), carried into the log once, at open:
 * the embedded `DATA_DIR/captions.ndjson` (then renamed `captions.ndjson.imported`) and, on Redis,
 * the `…:{<eventId>}:captions:*` keys (then deleted). Each language becomes `captions.import`
 * entries of at most CHUNK segments (in the order they were first fixed, each its latest version,
 * with the seq mark the old counter had reached), the glossary and display one more. Importing twice
 * (a crash in between) changes nothing: a segment id already folded is skipped, the glossary and the
 * display are taken only when the event has none, a mark only rises.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Caption, CaptionDisplay, Glossary } from '../../shared/captions.ts';
import type { BackendContext } from '../backend.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { replayJournal } from '../store/journal.ts';
import { call, scanKeys } from '../store/redis.ts';
import { FINAL_OPTIONS, type ImportPayload, type SavedSegment } from './rules.ts';

const CHUNK = 1000;

/** The old embedded journal's lines (memory-store.ts before the log). */
type OldLine =
  | { t: 'final'; e: string; ord: number; c: Caption; a?: number }
  | { t: 'reserve'; e: string; lang: string; upTo: number }
  | { t: 'glossary'; e: string; g: Glossary }
  | { t: 'display'; e: string; d: CaptionDisplay };

interface OldLang {
  /** Ordinal → the segment's latest version and when it was first fixed. */
  finals: Map<number, { c: Caption; first: number }>;
  /** The old counter's highest value or mark: every seq it handed out is at or below it. */
  mark: number;
}

interface OldEvent {
  langs: Map<string, OldLang>;
  glossary?: Glossary;
  display?: CaptionDisplay;
}

function collector() {
  const found = new Map<string, OldEvent>();
  const event = (e: string) => {
    let ev = found.get(e);
    if (!ev) found.set(e, (ev = { langs: new Map() }));
    return ev;
  };
  const lang = (e: string, l: string) => {
    const langs = event(e).langs;
    let s = langs.get(l);
    if (!s) langs.set(l, (s = { finals: new Map(), mark: 0 }));
    return s;
  };
  return { found, event, lang };
}

async function appendAll(logs: EventLogs, found: Map<string, OldEvent>) {
  for (const [eventId, ev] of found) {
    for (const [lang, old] of ev.langs) {
      const finals = [...old.finals].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
      // The log places segments by the seq of their first version, which the old stores did not
      // keep: a key that never decreases along their ordinals and is at most each one's seq.
      const orders: number[] = [];
      for (let i = finals.length - 1, next = Infinity; i >= 0; i--) next = orders[i] = Math.min(finals[i]!.c.seq, next);
      const segments = finals.map(({ c, first }, i): SavedSegment => [c.id, c.itemId, c.seq, c.text, c.source, c.at, first, orders[i]!]);
      const base = { lang, reserved: old.mark, historyItems: FINAL_OPTIONS.historyItems };
      for (let i = 0; i === 0 || i < segments.length; i += CHUNK) {
        const payload: ImportPayload = { ...base, segments: segments.slice(i, i + CHUNK) };
        await logs.append(eventId, { kind: 'captions.import', payload });
      }
    }
    if (ev.glossary || ev.display) {
      const payload: ImportPayload = { ...(ev.glossary ? { glossary: ev.glossary } : {}), ...(ev.display ? { display: ev.display } : {}) };
      await logs.append(eventId, { kind: 'captions.import', payload });
    }
  }
}

export async function importOldCaptions(ctx: BackendContext, logs: EventLogs): Promise<number> {
  const { found, event, lang } = collector();
  if (ctx.kind === 'memory') {
    if (!ctx.dataDir) return 0;
    const file = path.join(ctx.dataDir, 'captions.ndjson');
    if (!fs.existsSync(file)) return 0;
    // As the old store replayed it: a later line of an ordinal is a later version of its segment.
    replayJournal<OldLine>(file, (line) => {
      switch (line.t) {
        case 'final': {
          const s = lang(line.e, line.c.lang);
          const first = s.finals.get(line.ord)?.first ?? line.a ?? line.c.at;
          s.finals.set(line.ord, { c: line.c, first });
          s.mark = Math.max(s.mark, line.c.seq);
          break;
        }
        case 'reserve': {
          const s = lang(line.e, line.lang);
          s.mark = Math.max(s.mark, line.upTo);
          break;
        }
        case 'glossary':
          event(line.e).glossary = line.g;
          break;
        case 'display':
          event(line.e).display = line.d;
          break;
      }
    });
    await appendAll(logs, found);
    fs.renameSync(file, `${file}.imported`);
    return found.size;
  }

  const { redis, keys } = ctx;
  const old = await scanKeys(redis, `${keys.prefix}:{*}:captions:*`);
  /** Per event and language: the transcript (every segment, by ordinal) and the latest versions known by ordinal. */
  const transcripts = new Map<string, [number, { itemId?: string | null; id: string; text: string; source: Caption['source']; at: number | string }][]>();
  const versions = new Map<string, Map<number, Caption>>();
  const versionsOf = (k: string) => {
    let v = versions.get(k);
    if (!v) versions.set(k, (v = new Map()));
    return v;
  };
  const seen = (k: string, ord: number, json: string) => {
    const c = JSON.parse(json) as Caption;
    const v = versionsOf(k);
    if (Number(c.seq) > Number(v.get(ord)?.seq ?? -1)) v.set(ord, c);
  };
  for (const key of old) {
    const eventId = key.slice(key.indexOf('{') + 1, key.indexOf('}'));
    const [what, l] = key.slice(key.indexOf('}:captions:') + '}:captions:'.length).split(':') as [string, string | undefined];
    const k = `${eventId}\u0000${l}`;
    if (what === 'seq' && l) {
      const s = lang(eventId, l);
      s.mark = Math.max(s.mark, Number(await call(redis.get(key))) || 0);
    } else if (what === 'transcript' && l) {
      const flat = await call(redis.zrange(key, '0', '-1', 'WITHSCORES'));
      const lines: [number, never][] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) lines.push([Number(flat[i + 1]), JSON.parse(flat[i]!) as never]);
      transcripts.set(k, lines);
    } else if (what === 'log' && l) {
      // Every version stored (trimmed to the latest ~20 000): the seq and time of each segment's latest.
      for (const [, fields] of await call(redis.xrange(key, '-', '+'))) {
        const f: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        if (f.ord && f.caption) seen(k, Number(f.ord), f.caption);
      }
    } else if (what === 'item' && l) {
      // The latest versions of an item's latest segments (they outlive the log's trimming).
      const flat = await call(redis.zrange(key, '0', '-1', 'WITHSCORES'));
      for (let i = 0; i + 1 < flat.length; i += 2) seen(k, Number(flat[i + 1]), flat[i]!);
    } else if (what === 'glossary') {
      const raw = await call(redis.get(key));
      if (raw) event(eventId).glossary = JSON.parse(raw) as Glossary;
    } else if (what === 'display') {
      const raw = await call(redis.get(key));
      if (raw) event(eventId).display = JSON.parse(raw) as CaptionDisplay;
    }
    // ord, segments (what corrections needed) and presence (not history) are only deleted.
  }
  for (const [k, lines] of transcripts) {
    const [eventId, l] = k.split('\u0000') as [string, string];
    const s = lang(eventId, l);
    const latest = versions.get(k);
    for (const [ord, line] of lines) {
      const v = latest?.get(ord);
      const first = Number(line.at);
      // A segment whose versions were all trimmed keeps its text; its seq is unknown (0: older than any).
      const c: Caption = {
        lang: l,
        id: line.id,
        itemId: line.itemId ?? null,
        seq: v ? Number(v.seq) : 0,
        text: line.text,
        final: true,
        source: line.source,
        at: v ? Number(v.at) : first,
      };
      s.finals.set(ord, { c, first });
      s.mark = Math.max(s.mark, c.seq);
    }
  }
  await appendAll(logs, found);
  for (let i = 0; i < old.length; i += 500) await call(redis.del(...old.slice(i, i + 500)));
  return found.size;
}
