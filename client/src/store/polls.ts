/**
 * The polls slice, under `polls` in the store, fed by the page's socket (net/socket.ts) and reset
 * with the connection: polls merged by `rev` (the `polls` snapshot, then `poll` updates), the
 * device's own ballot (`mine`: only the snapshot and a vote's reply carry it; broadcasts keep it),
 * ballots awaiting their ack, and the last refusal worth telling the guest. The moderator's
 * actions are in poll-commands.ts (the phone's bundle does not carry them).
 */
import type { WireError } from '../../../shared/errors.ts';
import type { Poll } from '../../../shared/polls.ts';
import { t } from '../i18n/index.ts';
import { reasonText } from '../lib/explain.ts';
import { send } from '../net/transport.ts';
import { defineSlice, part } from './store.ts';

export interface PollsState {
  byId: Record<string, Poll>;
  /** A `polls` snapshot arrived on this connection. */
  loaded: boolean;
  /** Ballots awaiting their ack, by poll. */
  voting: Record<string, true>;
  /** The last refused ballot, by poll. */
  refused: Record<string, string>;
}

export interface PollsSlice {
  polls: PollsState;
}

const initial = (): PollsState => ({ byId: {}, loaded: false, voting: {}, refused: {} });

export const resetPolls = defineSlice({ initial: (): PollsSlice => ({ polls: initial() }), lifetime: 'connection' });

export const polls = part('polls');
export const usePolls = polls.use;

/** The newer copy wins; a copy without `mine` (a broadcast) keeps the ballot we know. */
function merged(cur: Poll | undefined, next: Poll): Poll | undefined {
  if (cur && next.rev < cur.rev) return undefined;
  return next.mine === undefined && cur?.mine !== undefined ? { ...next, mine: cur.mine } : next;
}

export function applyPolls(list: Poll[]): void {
  polls.set({ byId: Object.fromEntries(list.map((p) => [p.id, p])), loaded: true });
}

export function applyPoll(p: Poll): void {
  polls.set((s) => {
    const next = merged(s.byId[p.id], p);
    return next ? { byId: { ...s.byId, [p.id]: next } } : s;
  });
}

/** Oldest first (creation order). */
export const inOrder = (byId: Record<string, Poll>): Poll[] =>
  Object.values(byId).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));

/**
 * What a phone shows: every open poll, and the newest one whatever its state (closed: "voting is
 * closed", then its results once revealed). Older closed polls leave the screen.
 */
export function phonePolls(byId: Record<string, Poll>): Poll[] {
  const all = inOrder(byId).filter((p) => p.status !== 'draft');
  const newest = all.at(-1);
  return all.filter((p) => p.status === 'open' || p === newest);
}

const why = (error: WireError) => reasonText(error) ?? error.message;

/** Casts (or replaces) this device's ballot; shown as chosen at once, put back if refused. */
export async function vote(id: string, choices: number[]): Promise<boolean> {
  const s = polls.get();
  const p = s.byId[id];
  if (!p || s.voting[id]) return false;
  polls.set((st) => {
    const refused = { ...st.refused };
    delete refused[id];
    return { voting: { ...st.voting, [id]: true }, refused, byId: { ...st.byId, [id]: { ...p, mine: [...choices].sort((a, b) => a - b) } } };
  });
  const ack = await send('poll:vote', { id, choices });
  polls.set((st) => {
    const voting = { ...st.voting };
    delete voting[id];
    const cur = st.byId[id];
    if (ack.ok) {
      const acked = ack.data as Poll;
      const next = !cur || acked.rev >= cur.rev ? acked : { ...cur, mine: acked.mine };
      return { voting, byId: { ...st.byId, [id]: next } };
    }
    const back = cur ? { ...cur } : p;
    if (p.mine) back.mine = p.mine;
    else delete back.mine;
    return { voting, byId: { ...st.byId, [id]: back }, refused: { ...st.refused, [id]: t('poll.notCounted', { reason: why(ack.error) }) } };
  });
  return ack.ok;
}
