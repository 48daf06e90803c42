/**
 * The captions store: one interface, two implementations (memory-store.ts with its own journal,
 * redis-store.ts), one contract suite (tests/captions.store.test.ts).
 *
 * What is kept: final captions only (interim ones are relayed, never stored), per event and
 * language; the `seq` counter (every caption sent, interim or final, takes the next one, across
 * restarts and processes); segment ordinals, so that a correction replaces a segment in place;
 * the glossary; the projector's caption languages; each process's per-language presence.
 */
import { CAPTION_LIMITS } from '../../shared/caption-limits.ts';
import type { Caption, CaptionDisplay, CaptionSource, Glossary, GlossaryEntry } from '../../shared/captions.ts';
import type { TranscriptLine } from '../../shared/report.ts';

export interface FinalInput {
  lang: string;
  id: string;
  /** The item on stage now; a correction keeps the segment's original item. */
  itemId: string | null;
  text: string;
  source: CaptionSource;
  at: number;
}

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
  /** The last `seq` handed out in a language (0: none yet). */
  lastSeq(eventId: string, lang: string): Promise<number>;
  /**
   * Every final segment of a language ever stored (the report's transcript), each its latest
   * version, in the order segments were first fixed; `at` is when the segment was first fixed.
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

/** The transcript's form of a stored final. */
export const transcriptLine = (c: Caption, firstAt: number): TranscriptLine => ({
  itemId: c.itemId,
  id: c.id,
  text: c.text,
  source: c.source,
  at: firstAt,
});

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
