/**
 * The questions domain's store: questions, votes, ratings, participation counters and the
 * per-device limits. One interface, two implementations (memory-store.ts with its own journal,
 * redis-store.ts with Lua scripts), one contract suite (tests/questions.contract.test.ts).
 *
 * Every write is stored before its promise resolves: nothing is acknowledged before it is kept.
 * Refusals are TribuneErrors: NOT_FOUND, CONFLICT, RATE_LIMITED (and UNAVAILABLE on Redis).
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type {
  IndicatorSummary,
  MyRatings,
  Participation,
  Question,
  QuestionStatus,
  RatingSummary,
  TableActivity,
} from '../../shared/questions.ts';

/** What the store keeps of a question: the wire fields but the per-device ones, plus its device. */
export interface QuestionRecord extends Omit<Question, 'mine' | 'voted'> {
  /** The asking device. Never sent on the wire (it is what makes a vote or a retry that device's). */
  device: string;
}

/** At most `max` acts per device within a fixed window of `windowMs` (from the first act). */
export interface Limit {
  max: number;
  windowMs: number;
}

export interface AskInput {
  eventId: string;
  record: QuestionRecord;
  limit: Limit;
}

export interface AskResult {
  question: QuestionRecord;
  /** False when the same device retried an id it had already used: the stored question. */
  created: boolean;
}

export interface VoteInput {
  eventId: string;
  id: string;
  device: string;
  value: 0 | 1;
  /** The voter's table (participation); null: none. */
  table: string | null;
  limit: Limit;
}

export interface VoteResult {
  question: QuestionRecord;
  /** Whether the count changed (a second up-vote or a withdrawal without a vote does not). */
  changed: boolean;
  voted: boolean;
}

export interface ModerateResult {
  question: QuestionRecord;
  previous: QuestionStatus;
}

export interface RateInput {
  eventId: string;
  device: string;
  table: string | null;
  target: string;
  indicator: string;
  score: number;
  limit: Limit;
}

/**
 * The ranked lists a page is read from (most votes, then oldest, then id: `compareRank`): one per
 * status, and `public`, the `live` and `answered` questions together (what phones see).
 */
export type RankedList = QuestionStatus | 'public';

/** The lists a question of this status is ranked in. */
export const listsOf = (status: QuestionStatus): RankedList[] =>
  status === 'live' || status === 'answered' ? [status, 'public'] : [status];

export interface StoredPage {
  items: QuestionRecord[];
  /** How many questions the list holds. */
  total: number;
}

export interface QuestionStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Stores a new question (status and createdAt as given). The same id from the same device is
   * answered with the stored question (not counted against the limit); from another device it is
   * CONFLICT. Past the device's limit: RATE_LIMITED.
   */
  ask(input: AskInput): Promise<AskResult>;
  /** One vote per device: 1 adds it, 0 withdraws it. NOT_FOUND, CONFLICT (not live), RATE_LIMITED. */
  vote(input: VoteInput): Promise<VoteResult>;
  /** Sets a question's status (same status: nothing changes). NOT_FOUND. */
  moderate(eventId: string, id: string, status: QuestionStatus): Promise<ModerateResult>;
  get(eventId: string, id: string): Promise<QuestionRecord | null>;
  /** Every question of the event, oldest first. */
  list(eventId: string): Promise<QuestionRecord[]>;
  /** Ids of the questions this device up-votes. */
  deviceVotes(eventId: string, device: string): Promise<string[]>;
  /**
   * Questions of one ranked list from `offset`, at most `limit`, with the list's size: O(log n +
   * page) in both stores, whatever the number of questions. Votes and status changes move a
   * question in its lists as they are stored.
   */
  page(eventId: string, list: RankedList, offset: number, limit: number): Promise<StoredPage>;
  /** The device's own questions, newest first (ties: id), at most `limit` (absent: all). */
  deviceQuestions(eventId: string, device: string, limit?: number): Promise<QuestionRecord[]>;
  /** Which of `ids` this device up-votes (a snapshot's or a page's `voted`, not the device's every vote). */
  votedAmong(eventId: string, device: string, ids: string[]): Promise<Set<string>>;
  /** Stores a device's score; a later one replaces it. Returns the previous score. RATE_LIMITED. */
  rate(input: RateInput): Promise<{ previous: number | null }>;
  /** Count, mean and histogram per target and indicator (only those with ratings). */
  ratingSummary(eventId: string): Promise<RatingSummary>;
  deviceRatings(eventId: string, device: string): Promise<MyRatings>;
  participation(eventId: string): Promise<Participation>;
  /**
   * A broadcast slot shared by every server process: 0 when this caller may broadcast `name` now
   * (nobody may for `windowMs`), else the ms to wait before asking again.
   */
  claim(eventId: string, name: string, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by both implementations, so they give the same answers.

const limitReasons = { questions: 'tooManyQuestions', votes: 'tooManyVotes', ratings: 'tooManyRatings' } as const;
export const rateLimited = (what: keyof typeof limitReasons) =>
  new TribuneError(ErrorCode.RATE_LIMITED, `too many ${what} from this device, wait a moment`, limitReasons[what]);
export const questionNotFound = () => new TribuneError(ErrorCode.NOT_FOUND, 'no such question', 'noQuestion');
export const idTaken = () => new TribuneError(ErrorCode.CONFLICT, 'this question id is used by another device', 'questionIdTaken');
export const notLive = (status: string) =>
  new TribuneError(ErrorCode.CONFLICT, `only live questions take votes (this one is ${status})`, 'votesLiveOnly', { status });

/** Histogram key of the aggregate counters: `<target>|<indicator>|<score>` (ids never hold `|`). */
export const countField = (target: string, indicator: string, score: number) => `${target}|${indicator}|${score}`;
/** Key of one device's rating: `<target>|<indicator>`. */
export const ratingField = (target: string, indicator: string) => `${target}|${indicator}`;

/** Builds the summary from `<target>|<indicator>|<score>` → count entries. */
export function summaryFromCounts(entries: Iterable<[string, number]>): RatingSummary {
  const summary: RatingSummary = {};
  for (const [field, n] of entries) {
    if (n <= 0) continue;
    const [target, indicator, s] = field.split('|');
    const score = Number(s);
    if (!target || !indicator || !(score >= 1 && score <= 5)) continue;
    const byIndicator = (summary[target] ??= {});
    const entry: IndicatorSummary = (byIndicator[indicator] ??= { count: 0, mean: 0, histogram: [0, 0, 0, 0, 0] });
    entry.histogram[(score - 1) as 0 | 1 | 2 | 3 | 4] += n;
  }
  for (const byIndicator of Object.values(summary)) {
    for (const entry of Object.values(byIndicator)) {
      let count = 0;
      let sum = 0;
      entry.histogram.forEach((n, i) => {
        count += n;
        sum += n * (i + 1);
      });
      entry.count = count;
      entry.mean = count ? sum / count : 0;
    }
  }
  return summary;
}

/** `target|indicator` → score entries as MyRatings. */
export function myRatingsFrom(entries: Iterable<[string, number]>): MyRatings {
  const mine: MyRatings = {};
  for (const [field, score] of entries) {
    const [target, indicator] = field.split('|');
    if (target && indicator) (mine[target] ??= {})[indicator] = score;
  }
  return mine;
}

/** Participation counter fields: `q:<table>`, `v:<table>`, `r:<table>` (empty table: none). */
export type ActKind = 'q' | 'v' | 'r';
export const actField = (kind: ActKind, table: string | null) => `${kind}:${table ?? ''}`;

const ACT_NAMES: Record<ActKind, keyof TableActivity> = { q: 'questions', v: 'votes', r: 'ratings' };

export function participationFrom(entries: Iterable<[string, number]>): Participation {
  const p: Participation = { byTable: {}, noTable: { questions: 0, votes: 0, ratings: 0 } };
  for (const [field, n] of entries) {
    const kind = field.slice(0, 1) as ActKind;
    const table = field.slice(2);
    const name = ACT_NAMES[kind];
    if (!name || field[1] !== ':') continue;
    const row = table ? (p.byTable[table] ??= { questions: 0, votes: 0, ratings: 0 }) : p.noTable;
    row[name] += n;
  }
  return p;
}

/** The wire form of a stored question for one receiving device (or none: a room broadcast). */
export function toWire(record: QuestionRecord, view?: { device: string; voted: boolean }): Question {
  const { device, ...question } = record;
  if (!view) return question;
  return { ...question, mine: device === view.device, voted: view.voted };
}
