/**
 * The questions domain's rules, written once: a pure, deterministic reducer folded over the event's
 * log (server/log) by every process. It decides what each entry does — one vote per device, the
 * per-device limits, id conflicts, votes only on live questions — and answers the verdict the ack
 * carries. A refusal throws before anything changes.
 *
 * Time is the entry's `at` (stamped once, when it was appended), never the clock, and each entry
 * carries the limit it was checked against: replaying the log, anywhere, gives the same verdicts.
 *
 * Entries (`device` and `table` on the entry are the acting device and its table):
 *   questions.ask       {record, limit}       a new question (the same id from its device: the stored one)
 *   questions.vote      {id, value, limit}    1 up-votes, 0 withdraws (device, table)
 *   questions.moderate  {id, status}
 *   questions.rate      {target, indicator, score, limit}   a later score replaces (device, table)
 *   questions.import    what an older version stored (import.ts), whole values
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Question, QuestionStatus } from '../../shared/questions.ts';
import type { DomainLog, Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';
import { RankIndex } from './rank-index.ts';

// ---------------------------------------------------------------------------------------------
// The domain's types.

/** What the state keeps of a question: the wire fields but the per-device ones, plus its device. */
export interface QuestionRecord extends Omit<Question, 'mine' | 'voted'> {
  /** The asking device. Never sent on the wire (it is what makes a vote or a retry that device's). */
  device: string;
}

/** At most `max` acts per device within a fixed window of `windowMs` (from the first act). */
export interface Limit {
  max: number;
  windowMs: number;
}

/**
 * The ranked lists a page is read from (most votes, then oldest, then id: `compareRank`): one per
 * status, and `public`, the `live` and `answered` questions together (what phones see).
 */
export type RankedList = QuestionStatus | 'public';

/** The verdict of `questions.ask`; `created` is false when its device retried an id: the stored question. */
export interface AskResult {
  question: QuestionRecord;
  created: boolean;
}

/** The verdict of `questions.vote`; `changed`: the count moved (a repeated vote or a withdrawal without a vote does not). */
export interface VoteResult {
  question: QuestionRecord;
  changed: boolean;
  voted: boolean;
}

/** The verdict of `questions.moderate` (the same status: nothing changed). */
export interface ModerateResult {
  question: QuestionRecord;
  previous: QuestionStatus;
}

/** The verdict of `questions.rate`: the score it replaced. */
export interface RateResult {
  previous: number | null;
}

// ---------------------------------------------------------------------------------------------
// Refusals, and the fields the aggregates are kept under.

const limitReasons = { questions: 'tooManyQuestions', votes: 'tooManyVotes', ratings: 'tooManyRatings' } as const;
export const rateLimited = (what: keyof typeof limitReasons) =>
  new TribuneError(ErrorCode.RATE_LIMITED, `too many ${what} from this device, wait a moment`, limitReasons[what]);
export const questionNotFound = () => new TribuneError(ErrorCode.NOT_FOUND, 'no such question', 'noQuestion');
export const idTaken = () => new TribuneError(ErrorCode.CONFLICT, 'this question id is used by another device', 'questionIdTaken');
export const notLive = (status: string) =>
  new TribuneError(ErrorCode.CONFLICT, `only live questions take votes (this one is ${status})`, 'votesLiveOnly', { status });

/** Histogram field of the aggregates: `<target>|<indicator>|<score>` (ids never hold `|`). */
export const countField = (target: string, indicator: string, score: number) => `${target}|${indicator}|${score}`;
/** Field of one (target, indicator): `<target>|<indicator>`. */
export const ratingField = (target: string, indicator: string) => `${target}|${indicator}`;
/** Participation counter fields: `q:<table>`, `v:<table>`, `r:<table>` (empty table: none). */
export type ActKind = 'q' | 'v' | 'r';
export const actField = (kind: ActKind, table: string | null) => `${kind}:${table ?? ''}`;

/** The lists a question of this status is ranked in. */
export const listsOf = (status: QuestionStatus): RankedList[] =>
  status === 'live' || status === 'answered' ? [status, 'public'] : [status];

// ---------------------------------------------------------------------------------------------
// State and entries.

/** A device's fixed window of one act: `count` acts since it opened, until `resetAt` (entry time). */
interface Window {
  count: number;
  resetAt: number;
}

export interface QuestionsState {
  /** In the order they were first stored. Records are replaced on change, never edited in place. */
  questions: Map<string, QuestionRecord>;
  /** Each ranked list in order (derived: rebuilt at load). */
  ranks: Record<RankedList, RankIndex>;
  /** device → ids of the questions it asked (derived). */
  asked: Map<string, Set<string>>;
  /** question id → devices that up-vote it. */
  voters: Map<string, Set<string>>;
  /** `target|indicator` → device → score. */
  ratings: Map<string, Map<string, number>>;
  /** `target|indicator|score` → how many devices gave it (derived). */
  counts: Map<string, number>;
  /** `actField` → count. */
  participation: Map<string, number>;
  /** `<act>|<device>` → its current window. */
  windows: Map<string, Window>;
}

/** What an older version had stored for one event, carried in as whole values (import.ts). */
export interface ImportedQuestions {
  /** Each question with the devices that up-vote it. */
  questions: [QuestionRecord, string[]][];
  /** `target|indicator` → [device, score] pairs. */
  ratings: [string, [string, number][]][];
  participation: [string, number][];
}

export type QuestionsEntry =
  | { kind: 'questions.ask'; payload: { record: QuestionRecord; limit: Limit } }
  | { kind: 'questions.vote'; payload: { id: string; value: 0 | 1; limit: Limit }; device: string; table: string | null }
  | { kind: 'questions.moderate'; payload: { id: string; status: QuestionStatus } }
  | { kind: 'questions.rate'; payload: { target: string; indicator: string; score: number; limit: Limit }; device: string; table: string | null }
  | { kind: 'questions.import'; payload: ImportedQuestions };

export type QuestionsVerdict = AskResult | VoteResult | ModerateResult | RateResult | number;

/**
 * The domain's store: its entries appended (each resolves with its verdict above, or rejects with
 * the refusal), its state read with every acknowledged entry folded in (read.ts selects from it).
 */
export type QuestionsLog = DomainLog<QuestionsState, QuestionsEntry>;

/** The state as JSON: what is not derived, Maps as arrays in their order. */
interface Saved {
  v: 1;
  questions: [QuestionRecord, string[]][];
  ratings: [string, [string, number][]][];
  participation: [string, number][];
  windows: [string, number, number][];
}

// ---------------------------------------------------------------------------------------------

const emptyRanks = (): Record<RankedList, RankIndex> => ({
  public: new RankIndex(),
  pending: new RankIndex(),
  live: new RankIndex(),
  answered: new RankIndex(),
  dismissed: new RankIndex(),
});

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  return s;
}

/** Stores a question's new copy and moves it in the ranked lists. */
function put(s: QuestionsState, next: QuestionRecord) {
  const prev = s.questions.get(next.id);
  if (prev) for (const list of listsOf(prev.status)) s.ranks[list].remove(prev);
  s.questions.set(next.id, next);
  for (const list of listsOf(next.status)) s.ranks[list].add(next);
  if (!prev) setOf(s.asked, next.device).add(next.id);
}

/** Sets a device's score; returns the one it replaces. */
function setRating(s: QuestionsState, field: string, device: string, score: number): number | undefined {
  let byDevice = s.ratings.get(field);
  if (!byDevice) s.ratings.set(field, (byDevice = new Map()));
  const previous = byDevice.get(device);
  byDevice.set(device, score);
  if (previous !== undefined) add(s.counts, `${field}|${previous}`, -1);
  add(s.counts, `${field}|${score}`, 1);
  return previous;
}

/**
 * Counts one act in the device's fixed window (opened by its first act, `windowMs` long, in entry
 * time); RATE_LIMITED past `max`, leaving the window as it was (a refused act changes nothing).
 */
function take(s: QuestionsState, act: string, device: string, at: number, limit: Limit, what: Parameters<typeof rateLimited>[0]) {
  const key = `${act}|${device}`;
  const w = s.windows.get(key);
  const open = w && at < w.resetAt;
  const count = (open ? w.count : 0) + 1;
  if (count > limit.max) throw rateLimited(what);
  if (open) w.count = count;
  else s.windows.set(key, { count, resetAt: at + limit.windowMs });
}

function ask(s: QuestionsState, at: number, { record, limit }: { record: QuestionRecord; limit: Limit }): AskResult {
  const existing = s.questions.get(record.id);
  if (existing) {
    if (existing.device !== record.device) throw idTaken();
    return { question: existing, created: false };
  }
  take(s, 'ask', record.device, at, limit, 'questions');
  const question = { ...record };
  put(s, question);
  add(s.participation, actField('q', record.table), 1);
  return { question, created: true };
}

function vote(s: QuestionsState, e: Entry, { id, value, limit }: { id: string; value: 0 | 1; limit: Limit }): VoteResult {
  const q = s.questions.get(id);
  const device = e.device ?? '';
  if (!q) throw questionNotFound();
  if (q.status !== 'live') throw notLive(q.status);
  // Counted whether or not it changes anything (a repeated vote is still an act).
  take(s, 'vote', device, e.at, limit, 'votes');
  const voters = s.voters.get(id);
  const had = voters?.has(device) ?? false;
  if (had === (value === 1)) return { question: q, changed: false, voted: value === 1 };
  if (value === 1) setOf(s.voters, id).add(device);
  else voters!.delete(device);
  const delta = value === 1 ? 1 : -1;
  const question = { ...q, votes: q.votes + delta, rev: q.rev + 1 };
  put(s, question);
  add(s.participation, actField('v', e.table ?? null), delta);
  return { question, changed: true, voted: value === 1 };
}

function moderate(s: QuestionsState, { id, status }: { id: string; status: QuestionStatus }): ModerateResult {
  const q = s.questions.get(id);
  if (!q) throw questionNotFound();
  if (q.status === status) return { question: q, previous: q.status };
  const question = { ...q, status, rev: q.rev + 1 };
  put(s, question);
  return { question, previous: q.status };
}

function rate(s: QuestionsState, e: Entry, p: { target: string; indicator: string; score: number; limit: Limit }): RateResult {
  const device = e.device ?? '';
  take(s, 'rate', device, e.at, p.limit, 'ratings');
  const previous = setRating(s, ratingField(p.target, p.indicator), device, p.score);
  // Participation counts (target, indicator) pairs rated, not scores given.
  if (previous === undefined) add(s.participation, actField('r', e.table ?? null), 1);
  return { previous: previous ?? null };
}

/** Whole values: importing the same data twice leaves the state as once. */
function importOld(s: QuestionsState, p: ImportedQuestions): number {
  for (const [record, devices] of p.questions) {
    put(s, { ...record });
    s.voters.set(record.id, new Set(devices));
  }
  for (const [field, scores] of p.ratings) for (const [device, score] of scores) setRating(s, field, device, score);
  for (const [field, n] of p.participation) s.participation.set(field, n);
  return p.questions.length;
}

export const questionsReducer: Reducer<QuestionsState, QuestionsVerdict> = {
  name: 'questions',
  initial: () => ({
    questions: new Map(),
    ranks: emptyRanks(),
    asked: new Map(),
    voters: new Map(),
    ratings: new Map(),
    counts: new Map(),
    participation: new Map(),
    windows: new Map(),
  }),

  apply(state, entry) {
    const e = entry as Entry & QuestionsEntry;
    switch (e.kind) {
      case 'questions.ask':
        return ask(state, e.at, e.payload);
      case 'questions.vote':
        return vote(state, e, e.payload);
      case 'questions.moderate':
        return moderate(state, e.payload);
      case 'questions.rate':
        return rate(state, e, e.payload);
      case 'questions.import':
        return importOld(state, e.payload);
      default: {
        const never: never = e;
        throw new TribuneError(ErrorCode.INTERNAL, `unknown questions entry ${(never as Entry).kind}`);
      }
    }
  },

  save(state): Saved {
    return {
      v: 1,
      questions: [...state.questions.values()].map((q) => [q, [...(state.voters.get(q.id) ?? [])]]),
      ratings: [...state.ratings].map(([field, byDevice]) => [field, [...byDevice]]),
      participation: [...state.participation],
      windows: [...state.windows].map(([key, w]) => [key, w.count, w.resetAt]),
    };
  },

  load(json) {
    const saved = json as Saved;
    const state = questionsReducer.initial();
    // Fresh objects: the snapshot a backend keeps must not change as this state does.
    for (const [q, devices] of saved.questions) {
      state.questions.set(q.id, { ...q });
      setOf(state.asked, q.device).add(q.id);
      if (devices.length) state.voters.set(q.id, new Set(devices));
    }
    const byList = new Map<RankedList, QuestionRecord[]>();
    for (const q of state.questions.values()) for (const list of listsOf(q.status)) setOfArray(byList, list).push(q);
    for (const [list, qs] of byList) state.ranks[list] = RankIndex.from(qs);
    for (const [field, scores] of saved.ratings) for (const [device, score] of scores) setRating(state, field, device, score);
    for (const [field, n] of saved.participation) state.participation.set(field, n);
    for (const [key, count, resetAt] of saved.windows) state.windows.set(key, { count, resetAt });
    return state;
  },
};

function setOfArray<K, V>(map: Map<K, V[]>, key: K): V[] {
  let a = map.get(key);
  if (!a) map.set(key, (a = []));
  return a;
}
