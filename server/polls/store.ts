/**
 * The polls domain's store: every write is one entry appended to the event's log (`polls.*`), every
 * read the state the domain's reducer (rules.ts) folded — the rules live there, once. Nothing is
 * acknowledged before it is kept; a read sees every write acknowledged before it, in any process.
 * Refusals are TribuneErrors: NOT_FOUND, CONFLICT, INVALID_PAYLOAD (and UNAVAILABLE on Redis).
 */
import type { Poll, ReportPoll } from '../../shared/polls.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { pollsReducer, type BallotResult, type CreateInput, type PollAction, type PollChange, type PollRecord, type PollsEntry } from './rules.ts';

export type { PollRecord } from './rules.ts';

export interface PollStore {
  readonly kind: 'memory' | 'redis';
  create(eventId: string, input: CreateInput): Promise<PollChange>;
  /** open (a draft or closed poll), close (an open one; a draft: CONFLICT), reveal. The same again: unchanged. */
  setStatus(eventId: string, id: string, action: PollAction): Promise<PollChange>;
  /** The device's ballot, replacing its previous one. NOT_FOUND, CONFLICT (not open), INVALID_PAYLOAD. */
  vote(eventId: string, id: string, device: string, choices: number[]): Promise<BallotResult>;
  get(eventId: string, id: string): Promise<PollRecord | null>;
  /** Every poll of the event, in creation order. */
  list(eventId: string): Promise<PollRecord[]>;
  /** poll id → the device's ballot, for the polls it voted in. */
  ballotsOf(eventId: string, device: string): Promise<Map<string, number[]>>;
  /** A broadcast slot shared by every process (the backend's Ephemeral): 0 when the caller may send now. */
  claim(eventId: string, name: string, windowMs: number): Promise<number>;
}

/** Who receives a poll: moderators and the projector see results always; the room once revealed. */
export type Audience = 'staff' | 'room';

/** The wire form of a stored poll for an audience (with the receiving device's ballot, if given). */
export function toWire(p: PollRecord, audience: Audience, mine?: number[]): Poll {
  const poll: Poll = {
    id: p.id,
    question: p.question,
    options: [...p.options],
    multiple: p.multiple,
    status: p.status,
    revealed: p.revealed,
    total: p.total,
    results: audience === 'staff' || p.revealed ? [...p.counts] : null,
    createdAt: p.createdAt,
    rev: p.rev,
  };
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

/** The polls store of the backend's event logs (which must fold `pollsReducer`). */
export function createPollStore(logs: EventLogs, ephemeral: Ephemeral): PollStore {
  const state = (eventId: string) => logs.state(eventId, pollsReducer);
  const append = <V>(eventId: string, entry: PollsEntry) => logs.append<V>(eventId, entry);
  return {
    kind: logs.backend.kind,
    create: (eventId, input) => append<PollChange>(eventId, { kind: 'polls.create', payload: input }),
    setStatus: (eventId, id, action) => append<PollChange>(eventId, { kind: 'polls.status', payload: { id, action } }),
    vote: (eventId, id, device, choices) => append<BallotResult>(eventId, { kind: 'polls.vote', payload: { id, choices }, device }),
    async get(eventId, id) {
      return (await state(eventId)).polls.get(id) ?? null;
    },
    async list(eventId) {
      return [...(await state(eventId)).polls.values()];
    },
    async ballotsOf(eventId, device) {
      const mine = new Map<string, number[]>();
      for (const [id, byDevice] of (await state(eventId)).ballots) {
        const b = byDevice.get(device);
        if (b) mine.set(id, b);
      }
      return mine;
    },
    claim: (eventId, name, windowMs) => ephemeral.claim(eventId, `polls:${name}`, windowMs),
  };
}
