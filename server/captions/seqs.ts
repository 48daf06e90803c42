/**
 * Caption seqs. Every caption sent, interim or final, takes the next seq of its language from a
 * counter every process shares (`Ephemeral.next`: not history, so not in the log). A final takes
 * its seq just before its entry is appended, and carries it in the entry (rules.ts `finalEntry`):
 * the reducer cannot hand it out, interim captions take seqs from the same counter and never reach
 * the log. Consequences of taking it before the append:
 * - two finals of one language appended at once (two processes, a booth partner, a machine caption)
 *   may reach the log in another order than their seqs: the resume index is kept by seq, and of two
 *   versions of one segment the state keeps the one with the highest seq, as every client does;
 * - `last` may name a seq whose final is not folded yet (taken, its append in flight): such a
 *   final is not in the history read after it, but is sent live to the room the socket already
 *   joined (the same holds for two finals sent by two processes in the other order);
 * - a final the reducer refuses (a correction too late) leaves a gap in the seqs; seqs only need
 *   to increase.
 * The embedded counter lives in the process: so that it starts again above every seq sent, a
 * `captions.reserve` mark is appended before a seq past the last mark is handed out (one entry per
 * SEQ_BLOCK seqs), and a process's first seq of a language is taken above the folded mark. On Redis
 * the counter outlives processes; the same marks cost one entry per block and, for each new
 * process, a jump of at most one block.
 */
import type { Ephemeral } from '../log/ephemeral.ts';
import type { DomainLog } from '../log/event-logs.ts';
import type { Caption } from '../../shared/captions.ts';
import { finalEntry, type CaptionsEntry, type CaptionsState, type FinalInput, type FinalOptions } from './rules.ts';

export interface CaptionSeqs {
  /** The next seq of a language: an interim caption's, or a final's just before its entry is appended. */
  next(eventId: string, lang: string): Promise<number>;
  /**
   * The highest seq known to be sent in a language (0: none yet): the shared counter's, or the
   * highest final folded (the embedded counter starts again empty after a restart).
   */
  last(eventId: string, lang: string): Promise<number>;
  /** Appends a final with the next seq of its language; resolves with the caption as stored (the verdict). */
  appendFinal(eventId: string, input: FinalInput, options?: FinalOptions): Promise<Caption>;
}

/** Seqs reserved by one `captions.reserve` entry. */
const SEQ_BLOCK = 100;

/** `captions` and `ephemeral` belong to the backend (backend.ts), which closes them. */
export function captionSeqs(captions: DomainLog<CaptionsState, CaptionsEntry>, ephemeral: Ephemeral): CaptionSeqs {
  /** Languages (`event\0lang`) this process took a seq of: its first one is taken above the mark. */
  const seeded = new Set<string>();
  /** The reserve mark this process is appending, per language: seqs up to it wait for it. */
  const reserving = new Map<string, { upTo: number; done: Promise<unknown> }>();

  const seqs: CaptionSeqs = {
    async next(eventId, lang) {
      const key = `${eventId}\u0000${lang}`;
      // The state folded here is enough for a floor: the log is read only when it is not loaded.
      const l = (captions.peek(eventId) ?? (await captions.state(eventId))).langs.get(lang);
      const floor = seeded.has(key) ? (l?.seq ?? 0) : Math.max(l?.seq ?? 0, l?.reserved ?? 0);
      const seq = await ephemeral.next(eventId, `seq:${lang}`, floor);
      seeded.add(key);
      // Past the mark: the next mark is in the log before this seq leaves (a restart starts above it).
      const mark = captions.peek(eventId)?.langs.get(lang)?.reserved ?? 0;
      if (seq <= mark) return seq;
      let pending = reserving.get(key);
      if (!pending || seq > pending.upTo) {
        const upTo = seq + SEQ_BLOCK;
        const done = captions.append(eventId, { kind: 'captions.reserve', payload: { lang, upTo } });
        const mine = { upTo, done };
        reserving.set(key, (pending = mine));
        const forget = () => reserving.get(key) === mine && reserving.delete(key);
        void done.then(forget, forget);
      }
      await pending.done;
      return seq;
    },
    async last(eventId, lang) {
      const [s, counter] = await Promise.all([captions.state(eventId), ephemeral.current(eventId, `seq:${lang}`)]);
      return Math.max(s.langs.get(lang)?.seq ?? 0, counter);
    },
    async appendFinal(eventId, input, options) {
      return captions.append<Caption>(eventId, finalEntry(input, await seqs.next(eventId, input.lang), options));
    },
  };
  return seqs;
}
