/** Pure helpers over questions on a screen (the store in store/questions.ts applies them). */
import { compareRank, QUESTION_PAGES } from '../../../shared/question-pages.ts';
import type { Question, QuestionStatus } from '../../../shared/questions.ts';

/**
 * The copy to keep when `q` arrives and `cur` is held (null: keep `cur`). The highest `rev` wins;
 * `mine`/`voted` absent from an update (room broadcasts) keep their value; the same `rev` again
 * only brings the per-device fields, if any. An older copy that knows them (a page read before a
 * room broadcast arrived) lends them to a held copy that does not.
 */
export function mergeQuestion(cur: Question | undefined, q: Question): Question | null {
  if (cur && q.rev < cur.rev) {
    const lend = (k: 'mine' | 'voted') => cur[k] === undefined && q[k] !== undefined;
    if (!lend('mine') && !lend('voted')) return null;
    return { ...cur, ...(lend('mine') ? { mine: q.mine } : {}), ...(lend('voted') ? { voted: q.voted } : {}) };
  }
  // The same copy again: nothing new, unless it brings a machine translation (PROTOCOL) it lacked.
  const newTranslation = q.translation != null && (cur?.translation?.lang !== q.translation.lang || cur?.translation?.text !== q.translation.text);
  if (cur && q.rev === cur.rev && q.mine === undefined && q.voted === undefined && !newTranslation) return null;
  const next: Question = { ...cur, ...q };
  if (q.mine === undefined && cur?.mine !== undefined) next.mine = cur.mine;
  if (q.voted === undefined && cur?.voted !== undefined) next.voted = cur.voted;
  return next;
}

/** The server's ranking: most voted first (ties: oldest first, then id). */
export function byVotes(list: Question[]): Question[] {
  return [...list].sort(compareRank);
}

export function newestFirst(list: Question[]): Question[] {
  return [...list].sort((a, b) => b.createdAt - a.createdAt);
}

// ---------------------------------------------------------------------------------------------
// Paging (`questions:more`): a screen holds the head of each list and loads the next page as the
// guest scrolls. Every change to a list reaches the screen as a `question` event (a vote, a new
// question, a status change), so the questions it holds at or before the last one it loaded are
// exactly the list's head: their count is where the next page starts, however the list moved.

/** A list a screen pages through: `public` (live and answered: phones) or one status (the tablet). */
export type PagedList = 'public' | QuestionStatus;

export const inList = (q: Question, list: PagedList) =>
  list === 'public' ? q.status === 'live' || q.status === 'answered' : q.status === list;

/** What the ranking reads of a question, kept as it was when loaded. */
export interface RankKey {
  id: string;
  votes: number;
  createdAt: number;
}

export interface Pager {
  /** The last question loaded of the list (its rank then); null: none yet, start at the top. */
  until: RankKey | null;
  /** Nothing more to load: the snapshot held the whole list, or a page reached its end. */
  done: boolean;
  loading: boolean;
  /** A page was refused: load again on request only (not on every scroll). */
  failed: boolean;
  /** How far before the last loaded question the next page starts (grows after a gap). */
  overlap: number;
}

/**
 * A page starts a few questions early: a copy a few hundred ms late (broadcasts are coalesced)
 * may still count at its old place. Questions loaded twice merge by id. When more moved than
 * that (a voting storm delays broadcasts for seconds), the page starts past the last loaded
 * question: that is a gap, and the next page starts further back (`afterPage`).
 */
const OVERLAP = 3;
const MAX_OVERLAP = 50;

const keyOf = (q: RankKey): RankKey => ({ id: q.id, votes: q.votes, createdAt: q.createdAt });

/** Where the next page of `list` starts, from what the screen holds. */
export function nextOffset(held: Iterable<Question>, list: PagedList, pager: Pick<Pager, 'until' | 'overlap'>): number {
  const { until } = pager;
  if (!until) return 0;
  let n = 0;
  for (const q of held) if (inList(q, list) && compareRank(q, until) <= 0) n++;
  return Math.max(0, n - pager.overlap);
}

/** The pager after a page of `items` (asked at `offset`) of a list of `total` questions. */
export function afterPage(pager: Pager, offset: number, items: Question[], total: number): Pager {
  const first = items[0];
  const last = items.at(-1);
  if (offset > 0 && first && pager.until && compareRank(first, pager.until) > 0) {
    // The page begins after the last question loaded: some may lie between. Ask again, from further back.
    return { ...pager, done: false, loading: false, failed: false, overlap: Math.min(MAX_OVERLAP, pager.overlap * 3) };
  }
  const until = last && (!pager.until || compareRank(last, pager.until) > 0) ? keyOf(last) : pager.until;
  return { until, done: offset + items.length >= total, loading: false, failed: false, overlap: OVERLAP };
}

/**
 * Each list's pager after a `questions` snapshot, from what it holds (the bounds of PROTOCOL v2).
 * Phones read `public`: their snapshot holds the first 50 live/answered questions (and their own,
 * which rank after those 50 when they are not among them). The tablet reads one list per status:
 * every pending question up to 500, then the first 100 live/answered (dismissed ones filling what
 * those leave). Each screen reads only its own lists, so one pass serves both.
 */
export function pagersFrom(snapshot: Question[]): Record<PagedList, Pager> {
  const sorted = byVotes(snapshot);
  const of = (list: PagedList) => sorted.filter((q) => inList(q, list));
  const pager = (items: Question[], whole: boolean): Pager => {
    const last = items.at(-1);
    return { until: last ? keyOf(last) : null, done: whole, loading: false, failed: false, overlap: OVERLAP };
  };
  const pub = of('public');
  const others = pub.length + of('dismissed').length;
  return {
    public: pager(pub.slice(0, QUESTION_PAGES.roomSnapshot), pub.length < QUESTION_PAGES.roomSnapshot),
    pending: pager(of('pending'), of('pending').length < QUESTION_PAGES.pendingSnapshot),
    live: pager(of('live'), pub.length < QUESTION_PAGES.othersSnapshot),
    answered: pager(of('answered'), pub.length < QUESTION_PAGES.othersSnapshot),
    dismissed: pager(of('dismissed'), others < QUESTION_PAGES.othersSnapshot),
  };
}
