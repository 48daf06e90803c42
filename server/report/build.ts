/**
 * Builds the evening's `Report` from what keeps it: the live state (running order, speaking
 * times), the captions (every final segment), the questions' log (questions, ratings,
 * participation), the polls and the report's own state (audience peaks, summaries), each folded
 * from the event's log. Reads run side by side; the result depends only on what is stored (and,
 * while an item is live, on `now`).
 */
import type { Report, ReportDelegation, ReportQuestion } from '../../shared/report.ts';
import type { LiveState } from '../../shared/schemas.ts';
import { elapsedMs } from '../../shared/time.ts';
import { captionsReducer, transcriptOf } from '../captions/rules.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { pollList, pollsReducer, toReport } from '../polls/rules.ts';
import * as read from '../questions/read.ts';
import type { QuestionRecord, QuestionsLog } from '../questions/rules.ts';
import { liveReducer } from '../live/rules.ts';
import type { Store } from '../store/types.ts';
import { audiencePeakOf, reportReducer, summariesOf } from './rules.ts';

export interface ReportSources {
  core: Store;
  questions: QuestionsLog;
  /** The backend's event logs: the captions, polls, report and live states are read from them. */
  logs: EventLogs;
}

export function reportAgenda(state: LiveState, now: number): Report['agenda'] {
  return state.agenda.map((i) => ({
    id: i.id,
    speaker: i.speaker,
    delegation: i.delegation,
    title: i.title,
    language: i.language,
    plannedSeconds: i.plannedSeconds,
    spokenMs: i.status === 'live' && state.stage.itemId === i.id ? elapsedMs(state.stage.timer, now) : i.spokenMs,
    status: i.status,
    startedAt: i.startedAt ?? null,
  }));
}

/** Per delegation, in running order (first appearance); items without one share the `""` row. */
export function delegationTotals(agenda: Report['agenda']): ReportDelegation[] {
  const rows = new Map<string, ReportDelegation>();
  for (const i of agenda) {
    let row = rows.get(i.delegation);
    if (!row) rows.set(i.delegation, (row = { delegation: i.delegation, plannedSeconds: 0, spokenMs: 0 }));
    row.plannedSeconds += i.plannedSeconds;
    row.spokenMs += i.spokenMs;
  }
  return [...rows.values()];
}

/** Every question but the dismissed ones, most votes first, then oldest first. */
export function reportQuestions(records: QuestionRecord[]): ReportQuestion[] {
  return records
    .flatMap((q): ReportQuestion[] =>
      q.status === 'dismissed'
        ? []
        : [{ id: q.id, text: q.text, lang: q.lang, itemId: q.itemId, table: q.table, author: q.author, votes: q.votes, status: q.status, createdAt: q.createdAt }],
    )
    .sort((a, b) => b.votes - a.votes || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

/**
 * The report of an event, or null when there is no such event. `langs`: the transcript
 * languages to include (default: every event language).
 */
export async function buildReport(
  src: ReportSources,
  eventId: string,
  options: { langs?: string[]; now?: number; machineDrafts?: boolean } = {},
): Promise<Report | null> {
  const state = await src.core.getState(eventId);
  if (!state) return null;
  const now = options.now ?? Date.now();
  const langs = options.langs ?? state.event.languages;
  const asked = src.questions.state(eventId);
  const [captions, questions, ratings, participation, report, polls, live] = await Promise.all([
    src.logs.state(eventId, captionsReducer),
    asked.then(read.list),
    asked.then(read.ratingSummary),
    asked.then(read.participation),
    src.logs.state(eventId, reportReducer),
    src.logs.state(eventId, pollsReducer),
    src.logs.state(eventId, liveReducer),
  ]);
  const agenda = reportAgenda(state, now);
  const starts = agenda.flatMap((i) => (i.startedAt === null ? [] : [i.startedAt]));
  return {
    event: state.event,
    generatedAt: now,
    final: state.stage.phase === 'ended',
    startedAt: starts.length ? Math.min(...starts) : null,
    agenda,
    delegations: delegationTotals(agenda),
    transcript: Object.fromEntries(langs.map((l) => [l, transcriptOf(captions, l)])),
    questions: reportQuestions(questions),
    ratings,
    participation,
    floor: (live.floorBook?.tally ?? []).map((row) => ({ ...row })),
    audience: audiencePeakOf(report),
    summary: summariesOf(report),
    polls: pollList(polls).map(toReport),
    machineDrafts: options.machineDrafts ?? false,
  };
}
