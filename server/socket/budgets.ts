/**
 * Command budgets per socket, by act (PROTOCOL v2 "Command budgets by role"): each kind of act
 * has its own token bucket, so a phone whose questions were refused can still vote and rate, and
 * an interpreter's burst of pasted lines is not cut by a phone's budget. A socket refused for rate
 * many times within a few seconds is flooding: it is cut off, and its refusals are counted, not
 * logged one by one.
 */
import type { CommandName } from '../../shared/commands.ts';
import { tokenBucket } from '../limits.ts';

/** What a command does, for budgeting. `other`: unknown or forbidden commands. */
export type Act = 'ask' | 'vote' | 'rate' | 'caption' | 'drive' | 'settings' | 'read' | 'other';

/** A burst, then a steady rate (tokens per second). */
export interface Budget {
  burst: number;
  perSecond: number;
}

/** Acts that are not the moderator's driving of the evening. Everything else is `drive`. */
const ACTS: Partial<Record<CommandName, Act>> = {
  'question:ask': 'ask',
  'question:vote': 'vote',
  'poll:vote': 'vote',
  'rating:set': 'rate',
  'caption:push': 'caption',
  'lang:set': 'settings',
  'questions:more': 'read',
  'floor:request': 'ask',
  'floor:withdraw': 'ask',
};

export const actOf = (name: CommandName): Act => ACTS[name] ?? 'drive';

/**
 * Sized for the work, far above what a person does by hand, far below what a script sends:
 * - `caption`: an interpreter pastes a prepared paragraph as 100 lines, or types fast with interim
 *   updates (the captions domain coalesces those on its own);
 * - `drive`: a moderator hammering Next or a clicker's auto-repeat;
 * - `ask`, `vote`, `rate`: the questions domain bounds each device per minute (5 questions, 60 votes,
 *   60 ratings, in the store, across its sockets); the socket's budget is above those, so what a
 *   phone meets is the domain's limit, and what a script meets is this;
 * - `read`: pages of questions as a guest scrolls (one page per screenful; a fast flick through a
 *   long list asks a few at once), each a bounded store read.
 */
export const DEFAULT_BUDGETS: Record<Act, Budget> = {
  ask: { burst: 20, perSecond: 1 },
  vote: { burst: 60, perSecond: 5 },
  rate: { burst: 60, perSecond: 5 },
  caption: { burst: 120, perSecond: 25 },
  drive: { burst: 60, perSecond: 20 },
  settings: { burst: 10, perSecond: 2 },
  read: { burst: 30, perSecond: 5 },
  other: { burst: 20, perSecond: 2 },
};

/**
 * Budgets by act. Acts follow roles (only interpreters caption, only moderators drive), so the
 * act is what sizes a budget to a role's work.
 */
export type BudgetTable = Record<Act, Budget>;

export interface FloodPolicy {
  /** Refusals for rate within `windowMs` that make a socket a flood (PROTOCOL: e.g. 150 in 5 s). */
  refusals: number;
  windowMs: number;
}

export const DEFAULT_FLOOD: FloodPolicy = { refusals: 150, windowMs: 5000 };

/**
 * One socket's budgets. Buckets are made on first use (a phone that only reads costs nothing),
 * and the refusal count is a window that does not reset when tokens refill: a script that sends
 * 1 000 commands a second is refused ~990 times a second and crosses the threshold within it.
 */
export class SocketBudget {
  private readonly buckets: Partial<Record<Act, () => boolean>> = {};
  private windowStart = 0;
  /** Refusals for rate in the current window. */
  refusals = 0;
  /** Refusals not yet logged (a flood is logged once per window, with its count). */
  unlogged = 0;

  constructor(
    private readonly table: BudgetTable,
    private readonly flood: FloodPolicy,
  ) {}

  /** Takes a token for `act`; false when its bucket is empty. */
  take(act: Act): boolean {
    const bucket = (this.buckets[act] ??= tokenBucket(this.table[act].burst, this.table[act].perSecond));
    return bucket();
  }

  /**
   * Counts a refusal for rate. Returns `first` for the first refusal of a window (to be logged),
   * `flood` once the window's count reaches the policy (the socket is to be cut off).
   */
  refused(now = Date.now()): 'first' | 'more' | 'flood' {
    if (now - this.windowStart > this.flood.windowMs) {
      this.windowStart = now;
      this.refusals = 0;
    }
    this.refusals += 1;
    this.unlogged += 1;
    if (this.refusals >= this.flood.refusals) return 'flood';
    return this.refusals === 1 ? 'first' : 'more';
  }
}
