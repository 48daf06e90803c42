/**
 * The questions domain's part of the wire contract (PROTOCOL.md): audience questions and votes,
 * ratings on the event's evaluation grid, and the moderator's pre/post-moderation switch.
 * Types come from the schemas (`z.infer`); the client imports them with `import type` only.
 */
import { z } from 'zod';
import { QUESTION_PAGES } from './question-pages.ts';
import { Id, type Role } from './schemas.ts';

export { compareRank, QUESTION_PAGES } from './question-pages.ts';

export const QUESTION_LIMITS = {
  /** PROTOCOL: text 1..500 chars. */
  textChars: 500,
  /** PROTOCOL: `author` optional, ≤ 60 chars. */
  authorChars: 60,
  /** Client-made ids (a UUID, or 22 chars of base64url). */
  idChars: 64,
} as const;

export const QuestionStatuses = ['pending', 'live', 'answered', 'dismissed'] as const;
export type QuestionStatus = (typeof QuestionStatuses)[number];

/** What a moderator may set; `pending` is only where pre-moderated questions start. */
export const ModeratedStatuses = ['live', 'answered', 'dismissed'] as const;

/** A question id is made by the client: letters, digits, `_` and `-` (a UUID fits). */
export const QuestionId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, "_" or "-"');
/** An indicator id of the evaluation grid (`relevance`, `atmosphere`, …). */
export const IndicatorId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '1–40 letters, digits, "_" or "-"');
/** The rating target of the event-level indicators; any other target is an agenda item id. */
export const EVENT_TARGET = 'event';

export const Question = z.object({
  id: z.string(),
  text: z.string(),
  /** The asker's language (their socket's). */
  lang: z.string(),
  /** The agenda item it addresses; null: the whole debate. */
  itemId: z.string().nullable(),
  table: z.string().nullable(),
  author: z.string().nullable(),
  votes: z.number().int(),
  status: z.enum(QuestionStatuses),
  createdAt: z.number(),
  /** Extension: bumped by every change (vote, status), so a client keeps the newest copy. */
  rev: z.number().int(),
  /** Asked from the receiving device. Absent in room broadcasts: the client keeps what it knows. */
  mine: z.boolean().optional(),
  /** The receiving device up-voted it. Absent in room broadcasts: the client keeps what it knows. */
  voted: z.boolean().optional(),
  /**
   * Machine translation into the receiving socket's language (PROTOCOL "Machine translation on the
   * box"); null or absent: that is the question's language, no pair reaches it, or not yet done.
   */
  translation: z.object({ lang: z.string(), text: z.string() }).nullable().optional(),
});
export type Question = z.infer<typeof Question>;

export const IndicatorSummary = z.object({
  count: z.number().int(),
  mean: z.number(),
  /** How many gave 1, 2, 3, 4, 5. */
  histogram: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]),
});
export type IndicatorSummary = z.infer<typeof IndicatorSummary>;

/** `{ "<target>": { "<indicator>": IndicatorSummary } }`; target: an item id or `"event"`. */
export const RatingSummary = z.record(z.string(), z.record(z.string(), IndicatorSummary));
export type RatingSummary = z.infer<typeof RatingSummary>;

/** Extension: a device's own ratings, `{ "<target>": { "<indicator>": score } }`. */
export const MyRatings = z.record(z.string(), z.record(z.string(), z.number().int()));
export type MyRatings = z.infer<typeof MyRatings>;

export const TableActivity = z.object({
  questions: z.number().int(),
  votes: z.number().int(),
  ratings: z.number().int(),
});
export type TableActivity = z.infer<typeof TableActivity>;

/**
 * Extension: participation by table (moderators). Acts are counted at the table the device sat
 * at when it acted: questions asked, votes standing, (target, indicator) pairs rated.
 */
export const Participation = z.object({
  byTable: z.record(z.string(), TableActivity),
  /** Devices that chose no table. */
  noTable: TableActivity,
});
export type Participation = z.infer<typeof Participation>;

export const questionCommands = {
  'question:ask': z.object({
    id: QuestionId,
    text: z.string().trim().min(1, 'a question needs text').max(QUESTION_LIMITS.textChars),
    /** Absent: the item on stage (or the whole debate when none is); null: the whole debate. */
    itemId: Id.nullable().optional(),
    author: z.string().trim().max(QUESTION_LIMITS.authorChars).optional(),
  }),
  'question:vote': z.object({ id: QuestionId, value: z.union([z.literal(1), z.literal(0)]) }),
  'question:moderate': z.object({ id: QuestionId, status: z.enum(ModeratedStatuses) }),
  'rating:set': z.object({
    target: Id,
    indicator: IndicatorId,
    score: z.number().int().min(1).max(5),
  }),
  /** Extension: switch the event between pre- and post-moderation (`state.event.moderation`). */
  'event:moderation': z.object({ mode: z.enum(['pre', 'post']) }),
  /**
   * A page of the ranking (most votes, then oldest): without `status`, `live` and `answered`
   * together. `pending` from anyone but a moderator: that device's own; `dismissed` (extension)
   * is the moderators' only (others: INVALID_PAYLOAD, as the contract lists no such status).
   */
  'questions:more': z.object({
    status: z.enum(QuestionStatuses).optional(),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1).max(QUESTION_PAGES.pageMax),
  }),
} as const;

const anyone: readonly Role[] = ['attendee', 'moderator', 'projector', 'interpreter'];

export const questionCommandRoles: Record<keyof typeof questionCommands, readonly Role[]> = {
  'question:ask': anyone,
  'question:vote': anyone,
  'question:moderate': ['moderator'],
  'rating:set': anyone,
  'event:moderation': ['moderator'],
  'questions:more': anyone,
};

/** The ack's `data` of `questions:more`. */
export interface QuestionPage {
  items: Question[];
  /** How many questions the list holds (for this device: its own, for `pending` from a phone). */
  total: number;
}

/** Server → client events of this domain. */
export interface QuestionServerEvents {
  /** Created or changed. Moderators: all; others: live and answered ones, plus their device's. */
  question: (question: Question) => void;
  /** The visible set, sent on connect. */
  questions: (questions: Question[]) => void;
  /** At most twice a second while ratings arrive; on connect. Moderators and projector. */
  ratings: (summary: RatingSummary) => void;
  /** Extension: this device's own ratings, on connect. */
  'ratings:mine': (mine: MyRatings) => void;
  /** Extension: participation by table, at most twice a second; on connect. Moderators. */
  participation: (participation: Participation) => void;
}
