/**
 * The captions domain's rules: a pure reducer folded from the event's log (server/log). Every
 * process folds the same entries in the same order and reaches the same captions.
 *
 * Entries (`captions.<what>`):
 *   final    a final caption, with the `seq` taken for it (seqs.ts says why the seq comes from
 *            outside) and the options it was stored under (the correction window, the
 *            history size), so that a replay decides exactly as the first fold did
 *   reserve  seqs up to `upTo` may be handed out (interim ones are never logged: after a restart the
 *            embedded counter starts again above the highest mark)
 *   glossary the event's glossary, replaced whole
 *   display  the projector's caption languages
 *   import   what the version before the log had stored (import.ts): segments of one language,
 *            its seq mark, the glossary, the display
 *
 * State, per language: every final segment, each its latest version, in the order of its first
 * version's seq (the transcript), by id (corrections), per item its latest `historyItems` segments
 * (`captions:history`), and an index of versions by seq (caption resume). A correction is allowed
 * while the segment is one of the last `correctable` of its language.
 * Time comes from the payload (the `at` the server stamped when the caption arrived), never a clock.
 */
import { CAPTION_LIMITS } from '../../shared/caption-limits.ts';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Caption, CaptionDisplay, CaptionSource, Glossary, GlossaryEntry } from '../../shared/captions.ts';
import type { TranscriptLine } from '../../shared/report.ts';
import type { Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';

/** One final segment: its latest version, when it was first fixed, and where it sits. */
interface Segment {
  caption: Caption;
  /** When the segment was first fixed (the transcript's time). */
  first: number;
  /**
   * Its place among the language's segments: the seq of its first version. Finals take their seq
   * before they are appended, so two appended at once may reach the log in the other order; placing
   * segments by seq keeps the order every screen shows (and the one the old stores kept).
   */
  order: number;
}

export interface LangCaptions {
  /** The highest seq of a final folded. */
  seq: number;
  /** The highest reserve mark: no seq above max(seq, reserved) was ever handed out. */
  reserved: number;
  /** Every final segment, by `order` (the transcript). */
  segments: Segment[];
  byId: Map<string, Segment>;
  /** Per item (`''`: none): its latest segments by `order`, at most historyItems (`captions:history`). */
  items: Map<string, Segment[]>;
  /**
   * Every version folded, by increasing seq (`seqs[i]` is a version of `versions[i]`); a version a
   * later correction replaced stays until the index is rebuilt (`replaced` counts them).
   */
  seqs: number[];
  versions: Segment[];
  replaced: number;
}

export interface CaptionsState {
  langs: Map<string, LangCaptions>;
  glossary: Glossary | null;
  display: CaptionDisplay | null;
}

/**
 * A saved segment: `[id, itemId, seq, text, source, at, first?, order?]` — `first` omitted when it
 * is `at`, `order` when it is `seq` (a segment never corrected).
 */
export type SavedSegment = [string, string | null, number, string, CaptionSource, number, number?, number?];

/** A final caption as a handler has it (before its seq is taken). */
export interface FinalInput {
  lang: string;
  id: string;
  /** The item on stage now; a correction keeps the segment's original item. */
  itemId: string | null;
  text: string;
  source: CaptionSource;
  at: number;
}

/** The options a final is decided under (carried by its entry, so that a replay decides the same). */
export interface FinalOptions {
  /** A final for a known id is a correction when the segment is one of the last this many. */
  correctable: number;
  /** Segments kept per item for `captions:history`. */
  historyItems: number;
}

export const FINAL_OPTIONS: FinalOptions = {
  correctable: CAPTION_LIMITS.correctableSegments,
  historyItems: CAPTION_LIMITS.historyItems,
};

/** A final as its entry carries it: with its seq and the options it was decided under. */
export interface FinalPayload extends FinalInput, FinalOptions {
  seq: number;
}

export interface ImportPayload {
  lang?: string;
  /** By `order`; ids already known are skipped (importing twice). */
  segments?: SavedSegment[];
  reserved?: number;
  historyItems?: number;
  /** Taken only when the event has none yet. */
  glossary?: Glossary;
  display?: CaptionDisplay;
}

export type CaptionsEntry =
  | { kind: 'captions.final'; payload: FinalPayload }
  | { kind: 'captions.reserve'; payload: { lang: string; upTo: number } }
  | { kind: 'captions.glossary'; payload: { entries: GlossaryEntry[]; at: number } }
  | { kind: 'captions.display'; payload: CaptionDisplay }
  | { kind: 'captions.import'; payload: ImportPayload };

function newLang(): LangCaptions {
  return { seq: 0, reserved: 0, segments: [], byId: new Map(), items: new Map(), seqs: [], versions: [], replaced: 0 };
}

function langOf(state: CaptionsState, lang: string): LangCaptions {
  let l = state.langs.get(lang);
  if (!l) state.langs.set(lang, (l = newLang()));
  return l;
}

const itemKey = (itemId: string | null) => itemId ?? '';

/** Inserts a segment by `order`, after those of equal order (almost always at the end). */
function insertByOrder(list: Segment[], seg: Segment) {
  let i = list.length;
  while (i > 0 && list[i - 1]!.order > seg.order) i--;
  if (i === list.length) list.push(seg);
  else list.splice(i, 0, seg);
}

/** Adds a version to the resume index, at its place by seq. */
function indexVersion(l: LangCaptions, seq: number, seg: Segment) {
  let i = l.seqs.length;
  while (i > 0 && l.seqs[i - 1]! > seq) i--;
  if (i === l.seqs.length) {
    l.seqs.push(seq);
    l.versions.push(seg);
  } else {
    l.seqs.splice(i, 0, seq);
    l.versions.splice(i, 0, seg);
  }
}

/** The resume index from the segments alone: one version each. */
function reindex(l: LangCaptions) {
  const order = [...l.segments].sort((a, b) => a.caption.seq - b.caption.seq);
  l.seqs = order.map((s) => s.caption.seq);
  l.versions = order;
  l.replaced = 0;
}

/** A new segment, in its item's history (of which only the latest `cap` stay). */
function addSegment(l: LangCaptions, seg: Segment, cap: number) {
  insertByOrder(l.segments, seg);
  l.byId.set(seg.caption.id, seg);
  const key = itemKey(seg.caption.itemId);
  let list = l.items.get(key);
  if (!list) l.items.set(key, (list = []));
  insertByOrder(list, seg);
  if (list.length > cap) list.splice(0, list.length - cap);
  indexVersion(l, seg.caption.seq, seg);
  if (seg.caption.seq > l.seq) l.seq = seg.caption.seq;
}

/** Whether the segment is one of the language's last `n`. */
function isRecent(l: LangCaptions, seg: Segment, n: number): boolean {
  for (let i = l.segments.length - 1; i >= 0 && i >= l.segments.length - n; i--) if (l.segments[i] === seg) return true;
  return false;
}

const invalid = (message: string) => new TribuneError(ErrorCode.INVALID_PAYLOAD, message);
const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

function applyFinal(state: CaptionsState, p: FinalPayload): Caption {
  if (typeof p.lang !== 'string' || !p.lang || typeof p.id !== 'string' || !p.id) throw invalid('a final caption needs a language and an id');
  if (typeof p.text !== 'string' || !isCount(p.seq) || p.seq === 0 || !isCount(p.correctable) || !isCount(p.historyItems)) {
    throw invalid('a final caption needs a text, a seq and its options');
  }
  const l = langOf(state, p.lang);
  const current = l.byId.get(p.id);
  if (current && !isRecent(l, current, p.correctable)) {
    throw new TribuneError(ErrorCode.CONFLICT, 'this segment is too old to correct', 'segmentTooOld');
  }
  const caption: Caption = {
    lang: p.lang,
    id: p.id,
    itemId: current ? current.caption.itemId : p.itemId,
    seq: p.seq,
    text: p.text,
    final: true,
    source: p.source,
    at: p.at,
  };
  if (!current) {
    addSegment(l, { caption, first: p.at, order: p.seq }, p.historyItems);
    return caption;
  }
  if (p.seq > l.seq) l.seq = p.seq;
  // Of two versions appended at once, the state keeps the one with the highest seq, as every
  // client does (it keeps, per id, the highest): a lower one arriving last changes nothing.
  if (p.seq < current.caption.seq) return caption;
  current.caption = caption;
  indexVersion(l, caption.seq, current);
  if (++l.replaced > l.segments.length + 1000) reindex(l);
  return caption;
}

function applyImport(state: CaptionsState, p: ImportPayload) {
  if (p.lang !== undefined) {
    const l = langOf(state, p.lang);
    const cap = p.historyItems ?? 200;
    for (const saved of p.segments ?? []) {
      if (l.byId.has(saved[0])) continue;
      addSegment(l, segmentOf(p.lang, saved), cap);
    }
    if (isCount(p.reserved) && p.reserved > l.reserved) l.reserved = p.reserved;
  }
  if (p.glossary && !state.glossary) state.glossary = p.glossary;
  if (p.display && !state.display) state.display = p.display;
}

function segmentOf(lang: string, [id, itemId, seq, text, source, at, first, order]: SavedSegment): Segment {
  return { caption: { lang, id, itemId, seq, text, final: true, source, at }, first: first ?? at, order: order ?? seq };
}

function savedOf({ caption: c, first, order }: Segment): SavedSegment {
  const saved: SavedSegment = [c.id, c.itemId, c.seq, c.text, c.source, c.at];
  if (first !== c.at || order !== c.seq) saved.push(first);
  if (order !== c.seq) saved.push(order);
  return saved;
}

export const captionsReducer: Reducer<CaptionsState, unknown> = {
  name: 'captions',
  initial: () => ({ langs: new Map(), glossary: null, display: null }),
  apply(state, entry: Entry) {
    const e = entry as Entry & CaptionsEntry;
    switch (e.kind) {
      case 'captions.final':
        return applyFinal(state, e.payload);
      case 'captions.reserve': {
        if (typeof e.payload.lang !== 'string' || !isCount(e.payload.upTo)) throw invalid('a reserve mark needs a language and a count');
        const l = langOf(state, e.payload.lang);
        if (e.payload.upTo > l.reserved) l.reserved = e.payload.upTo;
        return undefined;
      }
      case 'captions.glossary': {
        const glossary: Glossary = { entries: e.payload.entries, updatedAt: e.payload.at };
        state.glossary = glossary;
        return glossary;
      }
      case 'captions.display':
        state.display = { langs: e.payload.langs };
        return undefined;
      case 'captions.import':
        applyImport(state, e.payload);
        return undefined;
      default:
        throw invalid(`unknown captions entry ${(e as Entry).kind}`);
    }
  },
  save(state) {
    const langs: Record<string, unknown> = {};
    for (const [lang, l] of state.langs) {
      const position = new Map(l.segments.map((seg, i) => [seg, i]));
      langs[lang] = {
        seq: l.seq,
        reserved: l.reserved,
        segments: l.segments.map(savedOf),
        items: [...l.items].map(([key, list]) => [key, list.map((seg) => position.get(seg)!)]),
      };
    }
    return { langs, glossary: state.glossary, display: state.display };
  },
  load(json) {
    const saved = json as {
      langs: Record<string, { seq: number; reserved: number; segments: SavedSegment[]; items: [string, number[]][] }>;
      glossary: Glossary | null;
      display: CaptionDisplay | null;
    };
    const state: CaptionsState = { langs: new Map(), glossary: saved.glossary, display: saved.display };
    for (const [lang, s] of Object.entries(saved.langs)) {
      const l = newLang();
      l.seq = s.seq;
      l.reserved = s.reserved;
      l.segments = s.segments.map((seg) => segmentOf(lang, seg));
      for (const seg of l.segments) l.byId.set(seg.caption.id, seg);
      l.items = new Map(s.items.map(([key, positions]) => [key, positions.map((i) => l.segments[i]!)]));
      reindex(l);
      state.langs.set(lang, l);
    }
    return state;
  },
};

/** The entry of a final caption that took `seq` (seqs.ts). Its verdict is the stored Caption. */
export function finalEntry(input: FinalInput, seq: number, options: FinalOptions = FINAL_OPTIONS): CaptionsEntry {
  const { lang, id, itemId, text, source, at } = input;
  return { kind: 'captions.final', payload: { lang, id, itemId, text, source, at, seq, ...options } };
}

/** Reads of the folded state (the selectors handlers and the report use). */

/** The latest version of each of the item's latest segments, oldest first. */
export function historyOf(state: CaptionsState, lang: string, itemId: string | null): Caption[] {
  const l = state.langs.get(lang);
  return (l?.items.get(itemKey(itemId)) ?? []).map((seg) => seg.caption);
}

/** What `sinceOf` answers (caption resume). */
export interface Resumed {
  items: Caption[];
  truncated: boolean;
}

/**
 * Caption resume: every final segment of a language whose latest version has a seq above `after`,
 * whatever its item, in that version, lowest seq first; past `limit`, the latest `limit` and
 * `truncated`. A correction takes a new seq, so one made after `after` is in.
 */
export function sinceOf(state: CaptionsState, lang: string, after: number, limit: number): Resumed {
  const l = state.langs.get(lang);
  const items: Caption[] = [];
  if (!l) return { items, truncated: false };
  // From the newest back to `after`: what a phone missed costs what it missed, not the evening.
  for (let i = l.seqs.length - 1; i >= 0; i--) {
    const seq = l.seqs[i]!;
    if (seq <= after) break;
    const c = l.versions[i]!.caption;
    if (c.seq !== seq) continue; // a version a later correction replaced
    if (items.length === limit) return { items: items.reverse(), truncated: true };
    items.push(c);
  }
  return { items: items.reverse(), truncated: false };
}

/**
 * The report's transcript: every final segment of a language ever stored, each its latest version,
 * in the order segments were first fixed (by the seq of their first version); `at` is when the
 * segment was first fixed.
 */
export function transcriptOf(state: CaptionsState, lang: string): TranscriptLine[] {
  return (state.langs.get(lang)?.segments ?? []).map(({ caption: c, first }) => ({
    itemId: c.itemId,
    id: c.id,
    text: c.text,
    source: c.source,
    at: first,
  }));
}

/** The event's glossary (empty until one is set). */
export function glossaryOf(state: CaptionsState): Glossary {
  return state.glossary ?? { entries: [], updatedAt: 0 };
}
