/**
 * The captions store: one implementation over the event's log (server/log) and what processes share
 * that is not history (`Ephemeral`). The rules are the reducer in rules.ts; this module appends
 * entries, reads the folded state, and hands out seqs. Contract suite: tests/captions.store.test.ts.
 *
 * What is kept: final captions only (interim ones are relayed, never stored), per event and
 * language, with segment ordinals so that a correction replaces a segment in place; the glossary;
 * the projector's caption languages. Not history, so not in the log: the `seq` counter per language
 * (`Ephemeral.next`) and each process's per-language presence (`Ephemeral.presence`).
 *
 * Seqs. Every caption sent, interim or final, takes the next seq of its language from the shared
 * counter. A final takes its seq there just before its entry is appended, and carries it in the
 * entry (the reducer cannot hand it out: interim captions take seqs from the same counter and never
 * reach the log). Consequences of taking it before the append:
 * - two finals of one language appended at once (two processes, a booth partner, a machine caption)
 *   may reach the log in another order than their seqs: the resume index is kept by seq, and of two
 *   versions of one segment the state keeps the one with the highest seq, as every client does;
 * - `lastSeq` may name a seq whose final is not folded yet (taken, its append in flight): such a
 *   final is not in the history read after it, but is sent live to the room the socket already
 *   joined (the same holds today for two finals sent by two processes in the other order);
 * - a final the reducer refuses (a correction too late) leaves a gap in the seqs; seqs only need
 *   to increase.
 * The embedded counter lives in the process: so that it starts again above every seq sent, the
 * store appends a `captions.reserve` mark before it hands out a seq past the last mark (one entry per
 * SEQ_BLOCK seqs), and a process's first seq of a language is taken above the folded mark. On Redis
 * the counter outlives processes; the same marks cost one entry per block and, for each new
 * process, a jump of at most one block.
 */
import { CAPTION_LIMITS } from '../../shared/caption-limits.ts';
import type { Caption, CaptionDisplay, CaptionSource, Glossary, GlossaryEntry } from '../../shared/captions.ts';
import type { TranscriptLine } from '../../shared/report.ts';
import type { EventLogs } from '../log/event-logs.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { captionsReducer, historyOf, sinceOf, transcriptOf, type CaptionsState, type FinalInput, type FinalPayload } from './rules.ts';

export type { FinalInput };

/** What `since` answers. */
export interface Resumed {
  items: Caption[];
  truncated: boolean;
}

/** Per-language counts of one server process's sockets. */
export interface CaptionPresence {
  phones: Record<string, number>;
  interpreters: Record<string, number>;
}

export interface CaptionStoreOptions {
  /** A final for an id already stored is a correction when the segment is one of the last this many. */
  correctableSegments: number;
  /** Finals kept per event, language and item for `captions:history`. */
  historyItems: number;
}

export interface CaptionStore {
  readonly kind: 'memory' | 'redis';
  /** The next `seq` of a language (for an interim caption, which is not stored). */
  nextSeq(eventId: string, lang: string): Promise<number>;
  /**
   * Stores a final caption with the next `seq` and returns it. A final for an id already stored
   * replaces that segment (a correction: same place, same item, new text and seq) if the segment
   * is among the last `correctableSegments` of its language, else throws CONFLICT.
   */
  appendFinal(eventId: string, input: FinalInput): Promise<Caption>;
  /** The latest version of each of the latest final segments of an item, oldest first. */
  history(eventId: string, lang: string, itemId: string | null): Promise<Caption[]>;
  /**
   * Caption resume: every final segment of a language whose latest version has a `seq` above
   * `after`, whatever its item, in that version, lowest `seq` first; with more than `limit`, the
   * latest `limit` and `truncated`. A correction takes a new seq, so one made after `after` is in.
   */
  since(eventId: string, lang: string, after: number, limit: number): Promise<Resumed>;
  /**
   * The highest `seq` known to be sent in a language (0: none yet): the shared counter's, or the
   * highest final folded (the embedded counter starts again empty after a restart).
   */
  lastSeq(eventId: string, lang: string): Promise<number>;
  /**
   * Every final segment of a language ever stored (the report's transcript), each its latest
   * version, in the order segments were first fixed (by the seq of their first version); `at` is
   * when the segment was first fixed.
   */
  transcript(eventId: string, lang: string): Promise<TranscriptLine[]>;
  getGlossary(eventId: string): Promise<Glossary>;
  setGlossary(eventId: string, entries: GlossaryEntry[], at: number): Promise<Glossary>;
  /** The projector's caption languages, or null when the moderator never chose. */
  getDisplay(eventId: string): Promise<CaptionDisplay | null>;
  setDisplay(eventId: string, display: CaptionDisplay): Promise<void>;
  /**
   * Records this process's counts for an event and returns the sum over every live process
   * (entries of processes silent for longer than the stale limit are dropped).
   */
  publishPresence(eventId: string, processId: string, counts: CaptionPresence): Promise<CaptionPresence>;
  close(): Promise<void>;
}

export const DEFAULT_CAPTION_STORE_OPTIONS: CaptionStoreOptions = {
  correctableSegments: CAPTION_LIMITS.correctableSegments,
  historyItems: CAPTION_LIMITS.historyItems,
};

/** A process's presence entry older than this belongs to a process that died. */
export const CAPTION_PRESENCE_STALE_MS = 30_000;

export function sumCaptionPresence(entries: Iterable<CaptionPresence>): CaptionPresence {
  const total: CaptionPresence = { phones: {}, interpreters: {} };
  for (const e of entries) {
    for (const key of ['phones', 'interpreters'] as const) {
      for (const [lang, n] of Object.entries(e[key] ?? {})) {
        if (n > 0) total[key][lang] = (total[key][lang] ?? 0) + n;
      }
    }
  }
  return total;
}

/** Seqs reserved by one `captions.reserve` entry. */
const SEQ_BLOCK = 100;

/** `logs` and `ephemeral` belong to the backend (backend.ts), which closes them. */
export function createCaptionStore(logs: EventLogs, ephemeral: Ephemeral, options: Partial<CaptionStoreOptions> = {}): CaptionStore {
  const opts = { ...DEFAULT_CAPTION_STORE_OPTIONS, ...options };
  /** Languages (`event\0lang`) this process took a seq of: its first one is taken above the mark. */
  const seeded = new Set<string>();
  /** The reserve mark this process is appending, per language: seqs up to it wait for it. */
  const reserving = new Map<string, { upTo: number; done: Promise<unknown> }>();

  /** The state folded here (what a seq needs: a floor), read from the log only when not loaded. */
  async function folded(eventId: string): Promise<CaptionsState> {
    return logs.peek(eventId, captionsReducer) ?? logs.state(eventId, captionsReducer);
  }

  async function take(eventId: string, lang: string): Promise<number> {
    const key = `${eventId}\u0000${lang}`;
    const l = (await folded(eventId)).langs.get(lang);
    const floor = seeded.has(key) ? (l?.seq ?? 0) : Math.max(l?.seq ?? 0, l?.reserved ?? 0);
    const seq = await ephemeral.next(eventId, `seq:${lang}`, floor);
    seeded.add(key);
    // Past the mark: the next mark is in the log before this seq leaves (a restart starts above it).
    const mark = logs.peek(eventId, captionsReducer)?.langs.get(lang)?.reserved ?? 0;
    if (seq <= mark) return seq;
    let pending = reserving.get(key);
    if (!pending || seq > pending.upTo) {
      const upTo = seq + SEQ_BLOCK;
      const done = logs.append(eventId, { kind: 'captions.reserve', payload: { lang, upTo } });
      const mine = { upTo, done };
      reserving.set(key, (pending = mine));
      void done.then(
        () => reserving.get(key) === mine && reserving.delete(key),
        () => reserving.get(key) === mine && reserving.delete(key),
      );
    }
    await pending.done;
    return seq;
  }

  const state = (eventId: string) => logs.state(eventId, captionsReducer);

  return {
    kind: logs.backend.kind,
    nextSeq: take,
    async appendFinal(eventId, input) {
      const seq = await take(eventId, input.lang);
      const payload: FinalPayload = {
        lang: input.lang,
        id: input.id,
        itemId: input.itemId,
        text: input.text,
        source: input.source,
        at: input.at,
        seq,
        correctable: opts.correctableSegments,
        historyItems: opts.historyItems,
      };
      return logs.append<Caption>(eventId, { kind: 'captions.final', payload });
    },
    async history(eventId, lang, itemId) {
      return historyOf(await state(eventId), lang, itemId);
    },
    async since(eventId, lang, after, limit) {
      return sinceOf(await state(eventId), lang, after, limit);
    },
    async lastSeq(eventId, lang) {
      const [s, counter] = await Promise.all([state(eventId), ephemeral.current(eventId, `seq:${lang}`)]);
      return Math.max(s.langs.get(lang)?.seq ?? 0, counter);
    },
    async transcript(eventId, lang) {
      return transcriptOf(await state(eventId), lang);
    },
    async getGlossary(eventId) {
      return (await state(eventId)).glossary ?? { entries: [], updatedAt: 0 };
    },
    async setGlossary(eventId, entries, at) {
      return logs.append<Glossary>(eventId, { kind: 'captions.glossary', payload: { entries, at } });
    },
    async getDisplay(eventId) {
      return (await state(eventId)).display;
    },
    async setDisplay(eventId, display) {
      await logs.append(eventId, { kind: 'captions.display', payload: { langs: display.langs } });
    },
    async publishPresence(eventId, processId, counts) {
      const empty = Object.keys(counts.phones).length === 0 && Object.keys(counts.interpreters).length === 0;
      // A copy: the caller goes on counting in its own object.
      const mine = empty ? null : { phones: { ...counts.phones }, interpreters: { ...counts.interpreters } };
      return sumCaptionPresence(await ephemeral.presence<CaptionPresence>(eventId, 'captions', processId, mine, CAPTION_PRESENCE_STALE_MS));
    },
    async close() {
      // The log and the ephemeral store belong to the backend.
    },
  };
}
