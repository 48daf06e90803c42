/**
 * The questions domain's store: questions, votes, ratings, participation counters and the
 * per-device limits. One implementation over the event's log (server/log): every write is one
 * entry appended (`questions.*`), every read the state the domain's reducer (rules.ts) folded —
 * the rules live there, once; the backends (embedded journal, Redis Stream) only keep and order.
 * Contract suites: tests/questions.contract.test.ts, tests/questions.pages.contract.test.ts.
 *
 * Every write is stored before its promise resolves: nothing is acknowledged before it is kept.
 * Refusals are TribuneErrors: NOT_FOUND, CONFLICT, RATE_LIMITED (and UNAVAILABLE on Redis).
 * A read sees every write acknowledged before it, in any process (EventLogs.state).
 */
import type {
  IndicatorSummary,
  MyRatings,
  Participation,
  Question,
  QuestionStatus,
  RatingSummary,
  TableActivity,
} from '../../shared/questions.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { questionsReducer, type QuestionsEntry, type QuestionsState } from './rules.ts';

export { listsOf, questionNotFound } from './rules.ts';

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
   * page), whatever the number of questions (the lists are kept in the folded state). Votes and
   * status changes move a question in its lists as they are folded.
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
   * (nobody may for `windowMs`), else the ms to wait before asking again. Not history: the
   * backend's Ephemeral, not the log.
   */
  claim(eventId: string, name: string, windowMs: number): Promise<number>;
  /** Nothing to release: the log and the Ephemeral belong to the backend (backend.ts). */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Reads of the folded state.

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

const ACT_NAMES: Record<'q' | 'v' | 'r', keyof TableActivity> = { q: 'questions', v: 'votes', r: 'ratings' };

export function participationFrom(entries: Iterable<[string, number]>): Participation {
  const p: Participation = { byTable: {}, noTable: { questions: 0, votes: 0, ratings: 0 } };
  for (const [field, n] of entries) {
    const kind = field.slice(0, 1) as keyof typeof ACT_NAMES;
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

// ---------------------------------------------------------------------------------------------
// The store: writes are entries appended, reads the folded state.

const copy = (q: QuestionRecord): QuestionRecord => ({ ...q });
const byAge = (a: QuestionRecord, b: QuestionRecord) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The questions store of the backend's event logs (which must fold `questionsReducer`). */
export function createQuestionStore(logs: EventLogs, ephemeral: Ephemeral): QuestionStore {
  const state = (eventId: string): Promise<QuestionsState> => logs.state(eventId, questionsReducer);
  const append = <V>(eventId: string, entry: QuestionsEntry) => logs.append<V>(eventId, entry);
  return {
    kind: logs.backend.kind,

    async ask({ eventId, record, limit }) {
      const { question, created } = await append<AskResult>(eventId, { kind: 'questions.ask', payload: { record, limit } });
      return { question: copy(question), created };
    },

    async vote({ eventId, id, device, value, table, limit }) {
      const r = await append<VoteResult>(eventId, { kind: 'questions.vote', payload: { id, value, limit }, device, table });
      return { ...r, question: copy(r.question) };
    },

    async moderate(eventId, id, status) {
      const r = await append<ModerateResult>(eventId, { kind: 'questions.moderate', payload: { id, status } });
      return { ...r, question: copy(r.question) };
    },

    async get(eventId, id) {
      const q = (await state(eventId)).questions.get(id);
      return q ? copy(q) : null;
    },

    async list(eventId) {
      return [...(await state(eventId)).questions.values()].map(copy).sort(byAge);
    },

    async deviceVotes(eventId, device) {
      const ids: string[] = [];
      for (const [id, voters] of (await state(eventId)).voters) if (voters.has(device)) ids.push(id);
      return ids.sort();
    },

    async page(eventId, list, offset, limit) {
      const s = await state(eventId);
      const index = s.ranks[list];
      return { items: index.ids(offset, limit).map((id) => copy(s.questions.get(id)!)), total: index.size };
    },

    async deviceQuestions(eventId, device, limit = Infinity) {
      const s = await state(eventId);
      return [...(s.asked.get(device) ?? [])]
        .map((id) => s.questions.get(id)!)
        .sort((a, b) => byAge(b, a))
        .slice(0, limit)
        .map(copy);
    },

    async votedAmong(eventId, device, ids) {
      const { voters } = await state(eventId);
      return new Set(ids.filter((id) => voters.get(id)?.has(device)));
    },

    async rate({ eventId, device, table, target, indicator, score, limit }) {
      return append<{ previous: number | null }>(eventId, {
        kind: 'questions.rate',
        payload: { target, indicator, score, limit },
        device,
        table,
      });
    },

    async ratingSummary(eventId) {
      return summaryFromCounts((await state(eventId)).counts);
    },

    async deviceRatings(eventId, device) {
      const mine: [string, number][] = [];
      for (const [field, byDevice] of (await state(eventId)).ratings) {
        const score = byDevice.get(device);
        if (score !== undefined) mine.push([field, score]);
      }
      return myRatingsFrom(mine);
    },

    async participation(eventId) {
      return participationFrom((await state(eventId)).participation);
    },

    claim(eventId, name, windowMs) {
      return ephemeral.claim(eventId, `questions:${name}`, windowMs);
    },

    async close() {},
  };
}
