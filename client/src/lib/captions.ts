/**
 * How a screen keeps the captions of one language: pure functions over an ordered list of
 * segments (the order they first appeared in). Segments of one `id` replace each other; `seq`
 * decides which version is newer, so a late or doubled delivery never goes back in time.
 */
import type { Caption, CaptionHistory } from '../../../shared/captions.ts';

/** Segments kept per language on a screen (older ones scroll away for good). */
export const MAX_SEGMENTS = 400;

/** Applies one live `caption` (returns the same list when nothing changes). */
export function mergeCaption(list: readonly Caption[], c: Caption, max = MAX_SEGMENTS): readonly Caption[] {
  const i = list.findIndex((x) => x.id === c.id);
  const withdrawn = !c.final && c.text.trim() === '';
  if (i >= 0) {
    const old = list[i]!;
    if (c.seq <= old.seq) return list;
    // An interim never undoes a fixed segment.
    if (old.final && !c.final) return list;
    if (withdrawn) return list.filter((_, j) => j !== i);
    const next = list.slice();
    next[i] = c;
    return next;
  }
  if (withdrawn) return list;
  const next = [...list, c];
  return next.length > max ? next.slice(next.length - max) : next;
}

/**
 * Applies a `captions:history` (on connect, reconnect, language switch): the history is the
 * truth for its item up to its newest `seq`; what arrived live after that is kept, after it.
 * Sections of other items stay where they were. No duplicates (by id), no gaps (the server
 * joined the socket to the room before reading the history).
 */
export function mergeHistory(list: readonly Caption[], h: CaptionHistory, max = MAX_SEGMENTS): readonly Caption[] {
  let maxSeq = 0;
  for (const c of h.items) maxSeq = Math.max(maxSeq, c.seq);
  const inHistory = new Set(h.items.map((c) => c.id));
  const existing = new Map(list.map((c) => [c.id, c]));
  const section = h.items.map((c) => {
    const e = existing.get(c.id);
    return e && e.final && e.seq > c.seq ? e : c;
  });
  const others = list.filter((c) => c.itemId !== h.itemId && !inHistory.has(c.id));
  const newer = list.filter((c) => c.itemId === h.itemId && !inHistory.has(c.id) && c.seq > maxSeq);
  const next = [...others, ...section, ...newer];
  return next.length > max ? next.slice(next.length - max) : next;
}

/**
 * Applies a resumed `captions:history` (it has `after`: every final above that seq, of any item,
 * oldest first). A line the screen has is replaced in place when the history's is newer (a
 * correction made during the drop, a provisional line fixed meanwhile); a line it missed goes right
 * after the last line older than it, so the missed lines sit after what was held and before what
 * arrived live, each with its own item (`sections` puts them under their speakers). A provisional
 * line older than the history is gone (fixed, so in it, or withdrawn). Applying it twice changes nothing.
 */
export function mergeResumed(list: readonly Caption[], h: CaptionHistory, max = MAX_SEGMENTS): readonly Caption[] {
  const next = list.slice();
  let maxSeq = h.after ?? 0;
  for (const c of h.items) {
    maxSeq = Math.max(maxSeq, c.seq);
    const i = next.findIndex((x) => x.id === c.id);
    if (i >= 0) {
      if (c.seq > next[i]!.seq) next[i] = c;
      continue;
    }
    let j = next.length - 1;
    while (j >= 0 && next[j]!.seq > c.seq) j--;
    next.splice(j + 1, 0, c);
  }
  const kept = next.filter((c) => c.final || c.seq > maxSeq);
  return kept.length > max ? kept.slice(kept.length - max) : kept;
}

export interface CaptionSection {
  itemId: string | null;
  segments: Caption[];
}

/** Consecutive segments of one item form a section (a new speaker starts a new one). */
export function sections(list: readonly Caption[]): CaptionSection[] {
  const out: CaptionSection[] = [];
  for (const c of list) {
    const last = out[out.length - 1];
    if (last && last.itemId === c.itemId) last.segments.push(c);
    else out.push({ itemId: c.itemId, segments: [c] });
  }
  return out;
}

/** A new segment id: unique enough per interpreter (time + randomness), within the wire's `Id`. */
export function newSegmentId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  let rand = '';
  for (const b of bytes) rand += b.toString(36).padStart(2, '0');
  return `${Date.now().toString(36)}-${rand}`;
}
