/** Pure helpers over questions on a screen (the store in store/questions.ts applies them). */
import type { Question } from '../../../shared/questions.ts';

/**
 * The copy to keep when `q` arrives and `cur` is held (null: keep `cur`). The highest `rev` wins;
 * `mine`/`voted` absent from an update (room broadcasts) keep their value; the same `rev` again
 * only brings the per-device fields, if any.
 */
export function mergeQuestion(cur: Question | undefined, q: Question): Question | null {
  if (cur && q.rev < cur.rev) return null;
  if (cur && q.rev === cur.rev && q.mine === undefined && q.voted === undefined) return null;
  const next: Question = { ...cur, ...q };
  if (q.mine === undefined && cur?.mine !== undefined) next.mine = cur.mine;
  if (q.voted === undefined && cur?.voted !== undefined) next.voted = cur.voted;
  return next;
}

/** Most voted first (ties: oldest first). */
export function byVotes(list: Question[]): Question[] {
  return [...list].sort((a, b) => b.votes - a.votes || a.createdAt - b.createdAt);
}

export function newestFirst(list: Question[]): Question[] {
  return [...list].sort((a, b) => b.createdAt - a.createdAt);
}
