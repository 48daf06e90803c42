/**
 * The polls domain's part of the wire contract (PROTOCOL.md "Quick polls"): a moderator creates a
 * question with 2–10 options, opens, closes and reveals it; every device casts one ballot, which it
 * may replace while the poll is open. Types come from the schemas; the client imports them with
 * `import type` only.
 */
import { z } from 'zod';
import { POLL_LIMITS } from './poll-limits.ts';
import type { Role } from './schemas.ts';

export { POLL_LIMITS };


export const PollStatuses = ['draft', 'open', 'closed'] as const;
export type PollStatus = (typeof PollStatuses)[number];

/** Poll ids are made by the server (`poll:create` answers it). */
export const PollId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, "_" or "-"');

export const Poll = z.object({
  id: z.string(),
  question: z.string(),
  options: z.array(z.string()),
  multiple: z.boolean(),
  status: z.enum(PollStatuses),
  revealed: z.boolean(),
  /** How many devices cast a ballot. */
  total: z.number().int(),
  /** Ballots per option: moderators and the projector always, everyone else once revealed (else null). */
  results: z.array(z.number().int()).nullable(),
  /** The receiving device's ballot: in `polls` on connect and in the `poll:vote` reply only. */
  mine: z.array(z.number().int()).optional(),
  /**
   * Machine translation of the question and options into the receiving socket's language (PROTOCOL
   * "Machine translation on the box"; the projector's: the floor language), from the poll's language
   * (the floor language); null when that is the reader's language, no pair reaches it, or the box
   * translates nothing. Options in the same order as `options`.
   */
  translation: z.object({ lang: z.string(), question: z.string(), options: z.array(z.string()) }).nullable().optional(),
  /** Extension: when it was created (ms epoch). */
  createdAt: z.number(),
  /** Extension: bumped by every change (ballot, status), so a client keeps the newest copy. */
  rev: z.number().int(),
});
export type Poll = z.infer<typeof Poll>;

const optionText = z.string().trim().min(1, 'an option needs text').max(POLL_LIMITS.optionChars);

export const pollCommands = {
  'poll:create': z.object({
    question: z.string().trim().min(1, 'a poll needs a question').max(POLL_LIMITS.questionChars),
    options: z.array(optionText).min(POLL_LIMITS.minOptions).max(POLL_LIMITS.maxOptions),
    multiple: z.boolean().optional(),
  }),
  'poll:open': z.object({ id: PollId }),
  'poll:close': z.object({ id: PollId }),
  'poll:reveal': z.object({ id: PollId }),
  /**
   * 0-based option indexes. Shape is checked here (1..10 integers ≥ 0); whether they name options of
   * this poll, are distinct, and are one unless `multiple`, by the rules (also INVALID_PAYLOAD).
   */
  'poll:vote': z.object({
    id: PollId,
    choices: z.array(z.number().int().min(0)).min(1, 'a ballot names at least one option').max(POLL_LIMITS.maxOptions),
  }),
} as const;

export const pollCommandRoles: Record<keyof typeof pollCommands, readonly Role[]> = {
  'poll:create': ['moderator'],
  'poll:open': ['moderator'],
  'poll:close': ['moderator'],
  'poll:reveal': ['moderator'],
  'poll:vote': ['attendee', 'moderator', 'projector', 'interpreter'],
};

/** Server → client events of this domain. */
export interface PollServerEvents {
  /** Created or changed (coalesced under a storm of ballots). Drafts: moderators and the projector only. */
  poll: (poll: Poll) => void;
  /** On connect: every poll (moderators, projector) or every non-draft poll (others), oldest first. */
  polls: (polls: Poll[]) => void;
}

/** The report's row of a poll (`Report.polls`, creation order). */
export interface ReportPoll {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  status: PollStatus;
  revealed: boolean;
  total: number;
  results: number[];
}
