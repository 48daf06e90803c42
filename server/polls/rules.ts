/**
 * The polls domain's rules, written once: a pure, deterministic reducer folded over the event's log
 * (server/log) by every process. It decides what each entry does — one ballot per device, replaced
 * while the poll is open; ballots only on an open poll; choices that name this poll's options — and
 * answers the verdict the ack carries. A refusal throws before anything changes. Below the
 * reducer, the reads handlers make of the state, and the wire forms of a poll.
 *
 * Entries (`device` on the entry is the acting device):
 *   polls.create  {id, question, options, multiple}   a draft (time: the entry's `at`)
 *   polls.status  {id, action: open | close | reveal}
 *   polls.vote    {id, choices}                       the device's ballot (device)
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { POLL_LIMITS, type Poll, type PollStatus, type ReportPoll } from '../../shared/polls.ts';
import type { Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';

export const pollNotFound = () => new TribuneError(ErrorCode.NOT_FOUND, 'no such poll', 'noPoll');
const notOpen = (status: PollStatus) =>
  new TribuneError(ErrorCode.CONFLICT, `only an open poll takes ballots (this one is ${status})`, 'pollNotOpen', { status });
const isDraft = () => new TribuneError(ErrorCode.CONFLICT, 'a draft poll cannot be closed: open it first', 'pollIsDraft');
const badChoices = (message: string) => new TribuneError(ErrorCode.INVALID_PAYLOAD, message, 'pollChoices');
const tooMany = () =>
  new TribuneError(ErrorCode.CONFLICT, `an event holds at most ${POLL_LIMITS.perEvent} polls`, 'tooManyPolls', { max: POLL_LIMITS.perEvent });

/** A poll as kept and as a verdict: replaced on change, never edited in place (verdicts stay true). */
export interface PollRecord {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  status: PollStatus;
  revealed: boolean;
  /** Devices that cast a ballot. */
  total: number;
  /** Ballots naming each option. */
  counts: number[];
  createdAt: number;
  rev: number;
}

export interface PollsState {
  /** In creation order. */
  polls: Map<string, PollRecord>;
  /** poll id → device → its ballot (sorted option indexes). */
  ballots: Map<string, Map<string, number[]>>;
}

export type PollAction = 'open' | 'close' | 'reveal';

export interface CreateInput {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
}

export type PollsEntry =
  | { kind: 'polls.create'; payload: CreateInput }
  | { kind: 'polls.status'; payload: { id: string; action: PollAction } }
  | { kind: 'polls.vote'; payload: { id: string; choices: number[] }; device: string };

/** A change's verdict: the poll after it, and whether anything changed (then it is broadcast). */
export interface PollChange {
  poll: PollRecord;
  changed: boolean;
}

/** A ballot's verdict: also the device's ballot now. */
export interface BallotResult extends PollChange {
  mine: number[];
}

interface Saved {
  v: 1;
  polls: [PollRecord, [string, number[]][]][];
}

function get(s: PollsState, id: string): PollRecord {
  const poll = s.polls.get(id);
  if (!poll) throw pollNotFound();
  return poll;
}

function create(s: PollsState, at: number, p: CreateInput): PollChange {
  const existing = s.polls.get(p.id);
  // Ids are drawn at random by the server: the same id twice is the same entry retried.
  if (existing) return { poll: existing, changed: false };
  if (s.polls.size >= POLL_LIMITS.perEvent) throw tooMany();
  const poll: PollRecord = {
    id: p.id,
    question: p.question,
    options: [...p.options],
    multiple: p.multiple,
    status: 'draft',
    revealed: false,
    total: 0,
    counts: p.options.map(() => 0),
    createdAt: at,
    rev: 1,
  };
  s.polls.set(poll.id, poll);
  return { poll, changed: true };
}

function status(s: PollsState, { id, action }: { id: string; action: PollAction }): PollChange {
  const poll = get(s, id);
  let next: PollRecord = poll;
  if (action === 'open' && poll.status !== 'open') next = { ...poll, status: 'open' };
  if (action === 'close') {
    if (poll.status === 'draft') throw isDraft();
    if (poll.status === 'open') next = { ...poll, status: 'closed' };
  }
  if (action === 'reveal' && !poll.revealed) next = { ...poll, revealed: true };
  if (next === poll) return { poll, changed: false };
  next.rev = poll.rev + 1;
  s.polls.set(id, next);
  return { poll: next, changed: true };
}

/** The choices as a ballot (sorted), or INVALID_PAYLOAD. */
function ballotOf(poll: PollRecord, choices: number[]): number[] {
  if (choices.length === 0) throw badChoices('a ballot names at least one option');
  if (!poll.multiple && choices.length > 1) throw badChoices('this poll takes one choice');
  if (new Set(choices).size !== choices.length) throw badChoices('an option is named twice');
  for (const c of choices) {
    if (!Number.isInteger(c) || c < 0 || c >= poll.options.length) throw badChoices(`no option ${c} in this poll`);
  }
  return [...choices].sort((a, b) => a - b);
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function vote(s: PollsState, e: Entry, { id, choices }: { id: string; choices: number[] }): BallotResult {
  const poll = get(s, id);
  if (poll.status !== 'open') throw notOpen(poll.status);
  const ballot = ballotOf(poll, choices);
  const device = e.device ?? '';
  let byDevice = s.ballots.get(id);
  const previous = byDevice?.get(device);
  if (previous && same(previous, ballot)) return { poll, changed: false, mine: previous };
  if (!byDevice) s.ballots.set(id, (byDevice = new Map()));
  byDevice.set(device, ballot);
  const counts = [...poll.counts];
  for (const c of previous ?? []) counts[c]! -= 1;
  for (const c of ballot) counts[c]! += 1;
  const next: PollRecord = { ...poll, counts, total: poll.total + (previous ? 0 : 1), rev: poll.rev + 1 };
  s.polls.set(id, next);
  return { poll: next, changed: true, mine: ballot };
}

export const pollsReducer: Reducer<PollsState, PollChange | BallotResult> = {
  name: 'polls',
  initial: () => ({ polls: new Map(), ballots: new Map() }),

  apply(state, entry) {
    const e = entry as Entry & PollsEntry;
    switch (e.kind) {
      case 'polls.create':
        return create(state, e.at, e.payload);
      case 'polls.status':
        return status(state, e.payload);
      case 'polls.vote':
        return vote(state, e, e.payload);
      default: {
        const never: never = e;
        throw new TribuneError(ErrorCode.INTERNAL, `unknown polls entry ${(never as Entry).kind}`);
      }
    }
  },

  save(state): Saved {
    return { v: 1, polls: [...state.polls.values()].map((p) => [p, [...(state.ballots.get(p.id) ?? [])]]) };
  },

  load(json) {
    const saved = json as Saved;
    const state = pollsReducer.initial();
    // Fresh objects: the snapshot a backend keeps must not change as this state does.
    for (const [poll, ballots] of saved.polls) {
      state.polls.set(poll.id, { ...poll, options: [...poll.options], counts: [...poll.counts] });
      if (ballots.length) state.ballots.set(poll.id, new Map(ballots.map(([d, b]) => [d, [...b]])));
    }
    return state;
  },
};

/** Reads of the folded state. */

/** Every poll of the event, in creation order. */
export const pollList = (state: PollsState): PollRecord[] => [...state.polls.values()];

/** poll id → the device's ballot, for the polls it voted in. */
export function ballotsOf(state: PollsState, device: string): Map<string, number[]> {
  const mine = new Map<string, number[]>();
  for (const [id, byDevice] of state.ballots) {
    const b = byDevice.get(device);
    if (b) mine.set(id, b);
  }
  return mine;
}

/** Who receives a poll: moderators and the projector see results always; the room once revealed. */
export type Audience = 'staff' | 'room';

/** The wire form of a stored poll for an audience (with the receiving device's ballot, if given). */
export function toWire(p: PollRecord, audience: Audience, mine?: number[]): Poll {
  const poll: Poll = { ...toReport(p), results: audience === 'staff' || p.revealed ? [...p.counts] : null, createdAt: p.createdAt, rev: p.rev };
  if (mine) poll.mine = [...mine];
  return poll;
}

export function toReport(p: PollRecord): ReportPoll {
  return {
    id: p.id,
    question: p.question,
    options: [...p.options],
    multiple: p.multiple,
    status: p.status,
    revealed: p.revealed,
    total: p.total,
    results: [...p.counts],
  };
}
