/**
 * The polls domain's rules (server/polls/rules.ts) on their own: the reducer folded over entries
 * written here, no log, no Redis, no clock. One ballot per device replaced while open, exact
 * counts, status changes, every refusal's code (and nothing changed by it), and a snapshot
 * (`save` → JSON → `load`) folding on exactly as the state it was taken from.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import type { Entry } from '../server/log/types.ts';
import { ballotsOf, pollList, pollsReducer, toReport, toWire, type PollAction, type PollsEntry, type PollsState } from '../server/polls/rules.ts';

/** Far from now: the rules must read time from the entries alone. */
const T0 = 1_000_000;
let seq = 0;
const entry = (at: number, e: PollsEntry): Entry => ({ seq: ++seq, at, ...e });
const create = (id: string, options = ['Oui', 'Non', 'Sans avis'], multiple = false, at = T0) =>
  entry(at, { kind: 'polls.create', payload: { id, question: `Question ${id}`, options, multiple } });
const status = (id: string, action: PollAction) => entry(T0, { kind: 'polls.status', payload: { id, action } });
const vote = (id: string, device: string, choices: number[]) => entry(T0, { kind: 'polls.vote', payload: { id, choices }, device });

function apply(state: PollsState, e: Entry): unknown {
  try {
    return pollsReducer.apply(state, e);
  } catch (err) {
    if (!(err instanceof TribuneError)) throw err;
    return { refused: err.code, reason: err.reason };
  }
}
const saved = (s: PollsState) => JSON.stringify(pollsReducer.save(s));
const poll = (s: PollsState, id: string) => s.polls.get(id)!;

describe('the polls rules', () => {
  it('a poll starts as a draft with its time from the entry; the same id again is the same poll', () => {
    const s = pollsReducer.initial();
    expect(apply(s, create('p1', ['A', 'B'], false, T0 + 5))).toMatchObject({
      changed: true,
      poll: { id: 'p1', status: 'draft', revealed: false, total: 0, counts: [0, 0], createdAt: T0 + 5, rev: 1, multiple: false },
    });
    expect(apply(s, create('p1', ['C', 'D']))).toMatchObject({ changed: false, poll: { options: ['A', 'B'] } });
  });

  it('ballots only on an open poll: CONFLICT on a draft or a closed one, NOT_FOUND for an unknown poll', () => {
    const s = pollsReducer.initial();
    apply(s, create('p1'));
    expect(apply(s, vote('p1', 'd1', [0]))).toEqual({ refused: ErrorCode.CONFLICT, reason: 'pollNotOpen' });
    expect(apply(s, vote('nope', 'd1', [0]))).toEqual({ refused: ErrorCode.NOT_FOUND, reason: 'noPoll' });
    expect(apply(s, status('nope', 'open'))).toEqual({ refused: ErrorCode.NOT_FOUND, reason: 'noPoll' });
    expect(apply(s, status('p1', 'close'))).toEqual({ refused: ErrorCode.CONFLICT, reason: 'pollIsDraft' });
    apply(s, status('p1', 'open'));
    expect(apply(s, vote('p1', 'd1', [0]))).toMatchObject({ changed: true, mine: [0], poll: { total: 1, counts: [1, 0, 0] } });
    apply(s, status('p1', 'close'));
    const before = saved(s);
    expect(apply(s, vote('p1', 'd2', [1]))).toEqual({ refused: ErrorCode.CONFLICT, reason: 'pollNotOpen' });
    expect(saved(s)).toBe(before);
    // Reopened, it takes ballots again.
    expect(apply(s, status('p1', 'open'))).toMatchObject({ changed: true, poll: { status: 'open' } });
    expect(apply(s, vote('p1', 'd2', [1]))).toMatchObject({ poll: { total: 2, counts: [1, 1, 0] } });
  });

  it('one ballot per device, replaced while open; counts and total stay exact', () => {
    const s = pollsReducer.initial();
    apply(s, create('p1'));
    apply(s, status('p1', 'open'));
    for (let d = 0; d < 100; d++) apply(s, vote('p1', `d${d}`, [d % 3]));
    expect(poll(s, 'p1')).toMatchObject({ total: 100, counts: [34, 33, 33] });
    // 10 devices change their mind, 5 repeat the same ballot (no change, no new rev).
    const rev = poll(s, 'p1').rev;
    for (let d = 0; d < 10; d++) apply(s, vote('p1', `d${d * 3}`, [2]));
    for (let d = 0; d < 5; d++) expect(apply(s, vote('p1', `d${d * 3 + 1}`, [1]))).toMatchObject({ changed: false, mine: [1] });
    expect(poll(s, 'p1')).toMatchObject({ total: 100, counts: [24, 33, 43], rev: rev + 10 });
  });

  it('choices must name distinct options, one unless multiple: INVALID_PAYLOAD, nothing changed', () => {
    const s = pollsReducer.initial();
    apply(s, create('single'));
    apply(s, create('multi', ['a', 'b', 'c', 'd'], true));
    apply(s, status('single', 'open'));
    apply(s, status('multi', 'open'));
    const before = saved(s);
    const bad = { refused: ErrorCode.INVALID_PAYLOAD, reason: 'pollChoices' };
    expect(apply(s, vote('single', 'd1', [0, 1]))).toEqual(bad);
    expect(apply(s, vote('single', 'd1', [3]))).toEqual(bad);
    expect(apply(s, vote('single', 'd1', []))).toEqual(bad);
    expect(apply(s, vote('multi', 'd1', [1, 1]))).toEqual(bad);
    expect(apply(s, vote('multi', 'd1', [0, 4]))).toEqual(bad);
    expect(apply(s, vote('multi', 'd1', [-1]))).toEqual(bad);
    expect(apply(s, vote('multi', 'd1', [0.5]))).toEqual(bad);
    expect(saved(s)).toBe(before);
    expect(apply(s, vote('multi', 'd1', [3, 0]))).toMatchObject({ mine: [0, 3], poll: { total: 1, counts: [1, 0, 0, 1] } });
    expect(apply(s, vote('multi', 'd1', [1]))).toMatchObject({ mine: [1], poll: { total: 1, counts: [0, 1, 0, 0] } });
  });

  it('reveal and close are idempotent; a verdict is not changed by later entries', () => {
    const s = pollsReducer.initial();
    apply(s, create('p1'));
    apply(s, status('p1', 'open'));
    const first = apply(s, vote('p1', 'd1', [0])) as { poll: { counts: number[] } };
    apply(s, vote('p1', 'd2', [0]));
    expect(first.poll.counts).toEqual([1, 0, 0]);
    expect(apply(s, status('p1', 'reveal'))).toMatchObject({ changed: true, poll: { revealed: true, status: 'open' } });
    expect(apply(s, status('p1', 'reveal'))).toMatchObject({ changed: false });
    expect(apply(s, status('p1', 'close'))).toMatchObject({ changed: true, poll: { status: 'closed', revealed: true } });
    expect(apply(s, status('p1', 'close'))).toMatchObject({ changed: false });
  });

  it('a snapshot folds on exactly as the state it was taken from', () => {
    const s = pollsReducer.initial();
    apply(s, create('p1'));
    apply(s, create('p2', ['x', 'y'], true));
    apply(s, status('p1', 'open'));
    apply(s, status('p2', 'open'));
    for (let d = 0; d < 20; d++) apply(s, vote(d % 2 ? 'p1' : 'p2', `d${d}`, [d % 2]));
    const copy = pollsReducer.load(JSON.parse(saved(s)));
    expect(saved(copy)).toBe(saved(s));
    const more = [vote('p1', 'd1', [2]), vote('p2', 'd0', [0, 1]), vote('p1', 'new', [0]), status('p1', 'close')];
    expect(more.map((e) => apply(copy, e))).toEqual(more.map((e) => apply(s, e)));
    expect(saved(copy)).toBe(saved(s));
    expect([...copy.polls.keys()]).toEqual(['p1', 'p2']);
  });

  it('reads: polls in creation order, a device\'s ballots, the wire form per audience and the report\'s', () => {
    const s = pollsReducer.initial();
    for (const id of ['p2', 'p1', 'p3']) apply(s, create(id, ['A', 'B'], true));
    apply(s, status('p1', 'open'));
    apply(s, status('p2', 'open'));
    apply(s, vote('p1', 'dev', [0, 1]));
    apply(s, vote('p2', 'other', [1]));
    expect(pollList(s).map((p) => p.id)).toEqual(['p2', 'p1', 'p3']);
    expect(ballotsOf(s, 'dev')).toEqual(new Map([['p1', [0, 1]]]));
    expect(ballotsOf(s, 'nobody')).toEqual(new Map());
    const p1 = poll(s, 'p1');
    // Results: staff always, the room once revealed; `mine` only when given.
    expect(toWire(p1, 'staff')).toEqual({
      id: 'p1', question: 'Question p1', options: ['A', 'B'], multiple: true, status: 'open', revealed: false,
      total: 1, results: [1, 1], createdAt: T0, rev: p1.rev,
    });
    expect(toWire(p1, 'room', [0, 1])).toMatchObject({ results: null, mine: [0, 1] });
    expect('mine' in toWire(p1, 'room')).toBe(false);
    apply(s, status('p1', 'reveal'));
    expect(toWire(poll(s, 'p1'), 'room').results).toEqual([1, 1]);
    expect(toReport(poll(s, 'p1'))).toEqual({
      id: 'p1', question: 'Question p1', options: ['A', 'B'], multiple: true, status: 'open', revealed: true, total: 1, results: [1, 1],
    });
    // Copies: changing an answer changes nothing kept.
    toWire(poll(s, 'p1'), 'staff').results!.push(9);
    expect(poll(s, 'p1').counts).toEqual([1, 1]);
  });
});
