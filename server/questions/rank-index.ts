/**
 * The ordered index of one ranked list (rules.ts `RankedList`), kept in the
 * questions state (rules.ts) by every process that folds the event's log:
 * a sorted array of small keys, placed by binary search. A page is a slice (O(log n + page)); a
 * vote or a status change moves one key (binary search, then one `splice`, a memmove of at most n
 * pointers: a few microseconds at 10 000 questions, see scripts/bench-join.ts).
 */
import { compareRank } from '../../shared/question-pages.ts';

/** What the ranking reads of a question. */
export interface RankKey {
  id: string;
  votes: number;
  createdAt: number;
}

export class RankIndex {
  private keys: RankKey[] = [];

  /** An index of `keys` at once (a snapshot loaded): one sort, not n insertions. */
  static from(keys: Iterable<RankKey>): RankIndex {
    const index = new RankIndex();
    index.keys = [...keys].map((k) => ({ id: k.id, votes: k.votes, createdAt: k.createdAt })).sort(compareRank);
    return index;
  }

  get size(): number {
    return this.keys.length;
  }

  /** Where `key` is, or would be inserted. */
  private find(key: RankKey): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRank(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(key: RankKey): void {
    const at = this.find(key);
    if (this.keys[at]?.id === key.id) return;
    this.keys.splice(at, 0, { id: key.id, votes: key.votes, createdAt: key.createdAt });
  }

  /** Removes the key as it was added (its votes then): the caller knows the stored copy. */
  remove(key: RankKey): void {
    const at = this.find(key);
    if (this.keys[at]?.id === key.id) this.keys.splice(at, 1);
  }

  /** Ids from `offset`, at most `limit`, in rank order. */
  ids(offset: number, limit: number): string[] {
    return this.keys.slice(offset, offset + limit).map((k) => k.id);
  }
}
