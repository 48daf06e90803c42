/** A screen's copy of the questions (client/src/lib/questions.ts): newest rev wins, per-device fields kept. */
import { describe, expect, it } from 'vitest';
import type { Question } from '../shared/questions.ts';
import { byVotes, mergeQuestion, newestFirst } from '../client/src/lib/questions.ts';

const q = (over: Partial<Question> = {}): Question => ({
  id: 'q1',
  text: 'text',
  lang: 'fr',
  itemId: null,
  table: null,
  author: null,
  votes: 0,
  status: 'live',
  createdAt: 1,
  rev: 1,
  ...over,
});

describe('questions on a screen', () => {
  it('keeps the highest rev; an older copy arriving late is ignored', () => {
    const cur = q({ votes: 5, rev: 6 });
    expect(mergeQuestion(cur, q({ votes: 3, rev: 4 }))).toBeNull();
    expect(mergeQuestion(cur, q({ votes: 6, rev: 7 }))).toMatchObject({ votes: 6, rev: 7 });
    expect(mergeQuestion(undefined, q())).toEqual(q());
  });

  it('a room broadcast (no mine/voted) keeps what the device knows; a device copy sets them', () => {
    const mine = q({ mine: true, voted: true, rev: 2 });
    expect(mergeQuestion(mine, q({ votes: 9, rev: 3 }))).toMatchObject({ votes: 9, mine: true, voted: true });
    // The same rev from the room adds nothing; from the device it brings its fields.
    expect(mergeQuestion(mine, q({ rev: 2 }))).toBeNull();
    expect(mergeQuestion(q({ rev: 2 }), q({ rev: 2, mine: true, voted: false }))).toMatchObject({ mine: true, voted: false });
  });

  it('sorts by votes (ties: oldest first) and by newest', () => {
    const list = [q({ id: 'a', votes: 2, createdAt: 3 }), q({ id: 'b', votes: 5, createdAt: 1 }), q({ id: 'c', votes: 2, createdAt: 2 })];
    expect(byVotes(list).map((x) => x.id)).toEqual(['b', 'c', 'a']);
    expect(newestFirst(list).map((x) => x.id)).toEqual(['a', 'c', 'b']);
  });
});
