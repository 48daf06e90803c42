/**
 * A screen's copy of the polls (client/src/store/polls.ts): the newest rev wins whatever order
 * copies arrive in (across server processes), a room broadcast keeps the device's own ballot, and
 * the phone shows every open poll plus the newest one.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Poll } from '../shared/polls.ts';
import { applyPoll, applyPolls, inOrder, phonePolls, resetPolls, usePolls } from '../client/src/store/polls.ts';

const p = (over: Partial<Poll> = {}): Poll => ({
  id: 'p1',
  question: 'Q?',
  options: ['a', 'b'],
  multiple: false,
  status: 'open',
  revealed: false,
  total: 0,
  results: null,
  createdAt: 1,
  rev: 1,
  ...over,
});
const byId = () => usePolls.getState().byId;

describe('polls on a screen', () => {
  beforeEach(() => resetPolls());

  it('keeps the newest rev; an older copy arriving late is ignored', () => {
    applyPolls([p({ total: 5, rev: 6 })]);
    applyPoll(p({ total: 3, rev: 4 }));
    expect(byId().p1).toMatchObject({ total: 5, rev: 6 });
    applyPoll(p({ total: 7, rev: 8 }));
    expect(byId().p1).toMatchObject({ total: 7, rev: 8 });
  });

  it('a room broadcast (no mine) keeps the ballot the device knows; a snapshot replaces everything', () => {
    applyPolls([p({ mine: [1], rev: 2 })]);
    applyPoll(p({ total: 9, rev: 3 }));
    expect(byId().p1).toMatchObject({ total: 9, mine: [1] });
    applyPolls([p({ id: 'p2' })]);
    expect(Object.keys(byId())).toEqual(['p2']);
    expect(usePolls.getState().loaded).toBe(true);
  });

  it('the phone shows every open poll and the newest one (closed: voting closed, then its results)', () => {
    applyPolls([
      p({ id: 'old', status: 'closed', revealed: true, createdAt: 1 }),
      p({ id: 'open', status: 'open', createdAt: 2 }),
      p({ id: 'last', status: 'closed', createdAt: 3 }),
    ]);
    expect(phonePolls(byId()).map((x) => x.id)).toEqual(['open', 'last']);
    applyPoll(p({ id: 'draft', status: 'draft', createdAt: 4 })); // never on a phone (it would not get one)
    expect(phonePolls(byId()).map((x) => x.id)).toEqual(['open', 'last']);
    expect(inOrder(byId()).map((x) => x.id)).toEqual(['old', 'open', 'last', 'draft']);
  });
});
