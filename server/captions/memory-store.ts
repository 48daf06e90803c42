/**
 * The embedded captions store: in memory, with its own journal DATA_DIR/captions.ndjson appended
 * synchronously before a promise resolves, and replayed at open.
 *
 * `seq` across restarts: interim captions take a seq without being stored, so the counter cannot be
 * rebuilt from the finals alone. It is reserved in blocks instead: before handing out a seq past the
 * reserved mark, a `reserve` line moves the mark one block further. After a restart the counter
 * starts at the highest mark seen, above every seq ever sent.
 *
 * Every final segment is kept (the report's transcript needs them all), each in its latest version.
 * The journal stays bounded: at open, and whenever it holds far more lines than live facts (the
 * superseded versions of corrected segments, old reserve marks), it is rewritten with one line per
 * segment, one reserve mark per language, the glossaries and the display choices, then renamed
 * into place whole (a crash mid-rewrite leaves the old journal).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { replayJournal, rewriteJournal } from '../store/journal.ts';
import type { Caption, CaptionDisplay, Glossary } from '../../shared/captions.ts';
import {
  DEFAULT_CAPTION_STORE_OPTIONS,
  sumCaptionPresence,
  type CaptionPresence,
  type CaptionStore,
  type CaptionStoreOptions,
  transcriptLine,
} from './store.ts';

const JOURNAL = 'captions.ndjson';
const SEQ_BLOCK = 100;

type Entry =
  /** `a`: when the segment was first fixed (compacted lines of corrected segments carry it). */
  | { t: 'final'; e: string; ord: number; c: Caption; a?: number }
  | { t: 'reserve'; e: string; lang: string; upTo: number }
  | { t: 'glossary'; e: string; g: Glossary }
  | { t: 'display'; e: string; d: CaptionDisplay };

interface Lang {
  seq: number;
  reserved: number;
  ord: number;
  segments: Map<string, { ord: number; itemId: string | null }>;
  /** Every final segment by ordinal: its latest version and when it was first fixed (the transcript). */
  finals: Map<number, { c: Caption; at: number }>;
  /** Per item ('' = none): its latest segments by ordinal (≤ historyItems), each its latest version. */
  items: Map<string, Map<number, Caption>>;
  /**
   * Every final version stored, by increasing seq (caption resume reads it from the end). A version
   * a correction replaced stays until the index is rebuilt; `replaced` counts them.
   */
  bySeq: { seq: number; ord: number }[];
  replaced: number;
}

export interface MemoryCaptionStoreOptions extends Partial<CaptionStoreOptions> {
  dataDir?: string;
  /** Lines beyond twice the live facts that trigger a rewrite of the journal while running. */
  compactSlack?: number;
}

export function createMemoryCaptionStore(options: MemoryCaptionStoreOptions = {}): CaptionStore {
  const opts = { ...DEFAULT_CAPTION_STORE_OPTIONS, ...options };
  const langs = new Map<string, Lang>();
  const glossaries = new Map<string, Glossary>();
  const displays = new Map<string, CaptionDisplay>();
  const presence = new Map<string, Map<string, CaptionPresence>>();
  let fd: number | null = null;

  function lang(eventId: string, l: string): Lang {
    const key = `${eventId}\u0000${l}`;
    let s = langs.get(key);
    if (!s) langs.set(key, (s = { seq: 0, reserved: 0, ord: 0, segments: new Map(), finals: new Map(), items: new Map(), bySeq: [], replaced: 0 }));
    return s;
  }

  /** The resume index from the finals alone: one entry per segment, by seq. */
  function reindex(s: Lang) {
    s.bySeq = [...s.finals].map(([ord, { c }]) => ({ seq: c.seq, ord })).sort((a, b) => a.seq - b.seq);
    s.replaced = 0;
  }

  function keep(s: Lang, ord: number, c: Caption) {
    const itemKey = c.itemId ?? '';
    let list = s.items.get(itemKey);
    if (!list) s.items.set(itemKey, (list = new Map()));
    list.set(ord, c);
    if (list.size > opts.historyItems) {
      const oldest = Math.min(...list.keys());
      list.delete(oldest);
    }
  }

  function apply(entry: Entry) {
    switch (entry.t) {
      case 'final': {
        const s = lang(entry.e, entry.c.lang);
        s.seq = Math.max(s.seq, entry.c.seq);
        s.ord = Math.max(s.ord, entry.ord);
        if (!s.segments.has(entry.c.id)) s.segments.set(entry.c.id, { ord: entry.ord, itemId: entry.c.itemId });
        const previous = s.finals.get(entry.ord);
        const first = previous?.at ?? entry.a ?? entry.c.at;
        s.finals.set(entry.ord, { c: entry.c, at: first });
        keep(s, entry.ord, entry.c);
        // Live appends come in seq order; a replayed journal does not (reindexed after the replay).
        s.bySeq.push({ seq: entry.c.seq, ord: entry.ord });
        if (previous && ++s.replaced > s.finals.size + 1000) reindex(s);
        break;
      }
      case 'reserve': {
        const s = lang(entry.e, entry.lang);
        s.reserved = Math.max(s.reserved, entry.upTo);
        break;
      }
      case 'glossary':
        glossaries.set(entry.e, entry.g);
        break;
      case 'display':
        displays.set(entry.e, entry.d);
        break;
      default: {
        const never: never = entry;
        return never;
      }
    }
  }

  const file = options.dataDir ? path.join(options.dataDir, JOURNAL) : null;
  const compactSlack = options.compactSlack ?? 10_000;
  /** Lines in the journal file now. */
  let lines = 0;

  /** One line per live fact: what a rewrite of the journal keeps. */
  function liveEntries(): Entry[] {
    const out: Entry[] = [];
    for (const [key, s] of langs) {
      const [e, l] = key.split('\u0000') as [string, string];
      out.push({ t: 'reserve', e, lang: l, upTo: Math.max(s.reserved, s.seq) });
      for (const [ord, { c, at }] of [...s.finals].sort((a, b) => a[0] - b[0])) {
        out.push(at === c.at ? { t: 'final', e, ord, c } : { t: 'final', e, ord, c, a: at });
      }
    }
    for (const [e, g] of glossaries) out.push({ t: 'glossary', e, g });
    for (const [e, d] of displays) out.push({ t: 'display', e, d });
    return out;
  }

  function liveCount(): number {
    let n = glossaries.size + displays.size;
    for (const s of langs.values()) n += 1 + s.finals.size;
    return n;
  }

  /** Rewrites the journal with the live facts only. */
  function compact() {
    if (!file) return;
    const entries = liveEntries();
    if (fd !== null) fs.closeSync(fd);
    rewriteJournal(file, entries);
    fd = fs.openSync(file, 'a');
    lines = entries.length;
  }

  if (options.dataDir && file) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    replayJournal<Entry>(file, apply);
    // Every seq handed out before the restart is ≤ its language's reserved mark.
    for (const s of langs.values()) {
      s.seq = Math.max(s.seq, s.reserved);
      s.reserved = s.seq;
      reindex(s);
    }
    compact();
  }

  function write(entry: Entry) {
    if (fd !== null) {
      fs.writeSync(fd, JSON.stringify(entry) + '\n');
      lines++;
    }
    apply(entry);
    if (fd !== null && lines > 2 * liveCount() + compactSlack) compact();
  }

  function take(eventId: string, l: string): number {
    const s = lang(eventId, l);
    if (fd !== null && s.seq + 1 > s.reserved) write({ t: 'reserve', e: eventId, lang: l, upTo: s.seq + SEQ_BLOCK });
    return ++s.seq;
  }

  return {
    kind: 'memory',
    async nextSeq(eventId, l) {
      return take(eventId, l);
    },
    async appendFinal(eventId, input) {
      const s = lang(eventId, input.lang);
      const known = s.segments.get(input.id);
      if (known && s.ord - known.ord >= opts.correctableSegments) {
        throw new TribuneError(ErrorCode.CONFLICT, 'this segment is too old to correct', 'segmentTooOld');
      }
      const ord = known ? known.ord : s.ord + 1;
      const caption: Caption = {
        lang: input.lang,
        id: input.id,
        itemId: known ? known.itemId : input.itemId,
        seq: take(eventId, input.lang),
        text: input.text,
        final: true,
        source: input.source,
        at: input.at,
      };
      write({ t: 'final', e: eventId, ord, c: caption });
      return caption;
    },
    async transcript(eventId, l) {
      return [...lang(eventId, l).finals]
        .sort((a, b) => a[0] - b[0])
        .map(([, { c, at }]) => transcriptLine(c, at));
    },
    async since(eventId, l, after, limit) {
      const s = lang(eventId, l);
      const items: Caption[] = [];
      // From the newest back to `after`: what a phone missed costs what it missed, not the evening.
      for (let i = s.bySeq.length - 1; i >= 0; i--) {
        const { seq, ord } = s.bySeq[i]!;
        if (seq <= after) break;
        const c = s.finals.get(ord)?.c;
        if (!c || c.seq !== seq) continue; // a version a later correction replaced
        if (items.length === limit) return { items: items.reverse(), truncated: true };
        items.push(c);
      }
      return { items: items.reverse(), truncated: false };
    },
    async lastSeq(eventId, l) {
      return lang(eventId, l).seq;
    },
    async history(eventId, l, itemId) {
      const list = lang(eventId, l).items.get(itemId ?? '');
      if (!list) return [];
      return [...list.entries()].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
    },
    async getGlossary(eventId) {
      return glossaries.get(eventId) ?? { entries: [], updatedAt: 0 };
    },
    async setGlossary(eventId, entries, at) {
      const g: Glossary = { entries, updatedAt: at };
      write({ t: 'glossary', e: eventId, g });
      return g;
    },
    async getDisplay(eventId) {
      return displays.get(eventId) ?? null;
    },
    async setDisplay(eventId, d) {
      write({ t: 'display', e: eventId, d });
    },
    async publishPresence(eventId, processId, counts) {
      let perProcess = presence.get(eventId);
      if (!perProcess) presence.set(eventId, (perProcess = new Map()));
      perProcess.set(processId, counts);
      return sumCaptionPresence(perProcess.values());
    },
    async close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
