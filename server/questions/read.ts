/**
 * Reads of the questions state (rules.ts), pure: what the handlers, the pages and the report select
 * from `QuestionsLog.state(eventId)`, and the wire form of a question. Records are the state's own
 * (the reducer replaces a record on change, never edits it): a caller may keep one, never edit it.
 */
import type { IndicatorSummary, MyRatings, Participation, Question, RatingSummary, TableActivity } from '../../shared/questions.ts';
import type { QuestionRecord, QuestionsState, RankedList } from './rules.ts';

export interface StoredPage {
  items: QuestionRecord[];
  /** How many questions the list holds. */
  total: number;
}

const byAge = (a: QuestionRecord, b: QuestionRecord) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const get = (s: QuestionsState, id: string): QuestionRecord | null => s.questions.get(id) ?? null;

/** Every question, oldest first. */
export const list = (s: QuestionsState): QuestionRecord[] => [...s.questions.values()].sort(byAge);

/** Ids of the questions this device up-votes, sorted. */
export function deviceVotes(s: QuestionsState, device: string): string[] {
  const ids: string[] = [];
  for (const [id, voters] of s.voters) if (voters.has(device)) ids.push(id);
  return ids.sort();
}

/** Questions of one ranked list from `offset`, at most `limit`, with the list's size: O(log n + page). */
export function page(s: QuestionsState, list: RankedList, offset: number, limit: number): StoredPage {
  const index = s.ranks[list];
  return { items: index.ids(offset, limit).map((id) => s.questions.get(id)!), total: index.size };
}

/** The device's own questions, newest first (ties: id), at most `limit`. */
export function deviceQuestions(s: QuestionsState, device: string, limit = Infinity): QuestionRecord[] {
  return [...(s.asked.get(device) ?? [])]
    .map((id) => s.questions.get(id)!)
    .sort((a, b) => byAge(b, a))
    .slice(0, limit);
}

/** Which of `ids` this device up-votes (a page's `voted`, not the device's every vote). */
export const votedAmong = (s: QuestionsState, device: string, ids: string[]): Set<string> =>
  new Set(ids.filter((id) => s.voters.get(id)?.has(device)));

/** Count, mean and histogram per target and indicator (only those with ratings). */
export function ratingSummary(s: QuestionsState): RatingSummary {
  const summary: RatingSummary = {};
  for (const [field, n] of s.counts) {
    if (n <= 0) continue;
    const [target, indicator, given] = field.split('|');
    const score = Number(given);
    if (!target || !indicator || !(score >= 1 && score <= 5)) continue; // what an import may carry
    const entry: IndicatorSummary = ((summary[target] ??= {})[indicator] ??= { count: 0, mean: 0, histogram: [0, 0, 0, 0, 0] });
    entry.histogram[(score - 1) as 0 | 1 | 2 | 3 | 4] += n;
  }
  for (const byIndicator of Object.values(summary)) {
    for (const entry of Object.values(byIndicator)) {
      entry.count = entry.histogram.reduce((a, n) => a + n, 0);
      entry.mean = entry.histogram.reduce((a, n, i) => a + n * (i + 1), 0) / entry.count;
    }
  }
  return summary;
}

export function deviceRatings(s: QuestionsState, device: string): MyRatings {
  const mine: MyRatings = {};
  for (const [field, byDevice] of s.ratings) {
    const score = byDevice.get(device);
    if (score === undefined) continue;
    const [target, indicator] = field.split('|');
    if (target && indicator) (mine[target] ??= {})[indicator] = score;
  }
  return mine;
}

const ACTS: Partial<Record<string, keyof TableActivity>> = { q: 'questions', v: 'votes', r: 'ratings' };

/** Questions, standing votes and (target, indicator) pairs rated, by table (rules.ts `actField`). */
export function participation(s: QuestionsState): Participation {
  const p: Participation = { byTable: {}, noTable: { questions: 0, votes: 0, ratings: 0 } };
  for (const [field, n] of s.participation) {
    const name = ACTS[field.slice(0, 1)];
    if (!name || field[1] !== ':') continue;
    const table = field.slice(2);
    const row = table ? (p.byTable[table] ??= { questions: 0, votes: 0, ratings: 0 }) : p.noTable;
    row[name] += n;
  }
  return p;
}

/** The wire form of a question for one receiving device (or none: a room broadcast). */
export function toWire(record: QuestionRecord, view?: { device: string; voted: boolean }): Question {
  const { device, ...question } = record;
  if (!view) return question;
  return { ...question, mine: device === view.device, voted: view.voted };
}
