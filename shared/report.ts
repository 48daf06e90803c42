/**
 * The report's part of the wire contract (PROTOCOL.md `GET /api/events/:id/report`, its downloads,
 * the summary routes of docs/PROTOCOL.md's extensions). The evening's record as one JSON document:
 * live during the event, final after it. The client imports these types with `import type` only.
 */
import { z } from 'zod';
import type { CaptionSource } from './captions.ts';
import type { ReportPoll } from './polls.ts';
import type { FloorTally } from './floor.ts';
import type { Participation, QuestionStatus, RatingSummary } from './questions.ts';
import type { AgendaItem, PublicEvent } from './schemas.ts';
import { REPORT_LIMITS } from './report-limits.ts';

export { REPORT_LIMITS };

/** One running-order item with its times. */
export interface ReportItem {
  id: string;
  speaker: string;
  delegation: string;
  title: string;
  language: string;
  plannedSeconds: number;
  /** Spoken so far (the live item's running timer included, at `generatedAt`). */
  spokenMs: number;
  status: AgendaItem['status'];
  /** ms epoch of the first time it went live; null: never. */
  startedAt: number | null;
}

export interface ReportDelegation {
  delegation: string;
  plannedSeconds: number;
  spokenMs: number;
}

/** A final caption as kept for the report: its latest text (corrections applied). */
export interface TranscriptLine {
  itemId: string | null;
  id: string;
  text: string;
  source: CaptionSource;
  /** ms epoch when the segment was first fixed (a correction keeps the segment's time). */
  at: number;
}

export interface ReportQuestion {
  id: string;
  text: string;
  lang: string;
  itemId: string | null;
  table: string | null;
  author: string | null;
  votes: number;
  status: Exclude<QuestionStatus, 'dismissed'>;
  createdAt: number;
}

export interface SummaryEntry {
  text: string;
  /** `machine`: a draft from the translation service nobody has edited since. */
  source: CaptionSource;
  /** Extension: ms epoch of the last change. */
  updatedAt: number;
}

export interface AudiencePeak {
  /** The most attendee phones connected at once. */
  peak: number;
  /** Per table, the most phones seated there at once. */
  peakByTable: Record<string, number>;
}

export interface Report {
  event: PublicEvent;
  generatedAt: number;
  /** Extension: the event is over (`stage.phase` is `ended`); until then the report is live. */
  final: boolean;
  /** Extension: when the first item went live (the transcripts' time zero); null: not yet. */
  startedAt: number | null;
  agenda: ReportItem[];
  /** Summed over each delegation's items, in running order (first appearance). */
  delegations: ReportDelegation[];
  /** Every event language (or the one asked with `?lang=`); final captions, oldest first. */
  transcript: Record<string, TranscriptLine[]>;
  /**
   * Every question but the dismissed ones, most votes first (then oldest first); for the report
   * key's readers, only `live` and `answered` ones (pending ones were never shown to the room).
   */
  questions: ReportQuestion[];
  ratings: RatingSummary;
  participation: Participation;
  /**
   * The debate floor: ended turns and their spoken time per table (one row per table that had a
   * turn, in the order they first ended one; `table: null` for requesters without one).
   */
  floor: FloorTally[];
  audience: AudiencePeak;
  /** Per language; may be empty. */
  summary: Record<string, SummaryEntry>;
  /**
   * Every poll with its results, in creation order (for the report key's readers, only those the
   * room saw: drafts are left out).
   */
  polls: ReportPoll[];
  /** Extension: the server can machine-translate a summary into a draft (TRANSLATE_URL is set). */
  machineDrafts: boolean;
}

/** The downloads of `GET /api/events/:id/report/<file>`. */
export const ReportFiles = [
  'transcript.vtt',
  'transcript.srt',
  'questions.csv',
  'ratings.csv',
  'speaking-time.csv',
  'polls.csv',
  'report.json',
  // Extension: the debate floor per table.
  'floor-turns.csv',
] as const;
export type ReportFile = (typeof ReportFiles)[number];

/** `PUT /api/events/:id/report/summary/:lang`: empty text removes that language's summary. */
export const SummaryInput = z.object({
  text: z.string().max(REPORT_LIMITS.summaryChars),
});
export type SummaryInput = z.infer<typeof SummaryInput>;

/** `POST /api/events/:id/report/summary/:lang/draft`: machine-translate the summary of `from`. */
export const DraftInput = z.object({
  from: z.string().regex(/^[a-z]{2,3}$/),
});
export type DraftInput = z.infer<typeof DraftInput>;

export { overTimeMs } from './report-limits.ts';
