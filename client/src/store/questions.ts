/**
 * The questions slice, under `questions` in the store, fed by the page's socket (net/socket.ts), and
 * reset with the connection: questions merged by `rev` (the snapshot, live updates and the pages loaded as the guest
 * scrolls), the ratings summary, participation, this device's own ratings, and the outbox of
 * questions typed on this device that the server has not acknowledged yet.
 *
 * The outbox lives in localStorage: a question typed while the connection is down (or the page
 * reloaded before its ack) is sent again when the connection returns, with the same id, so the
 * server keeps exactly one copy.
 */
import type { ErrorCode, WireError } from '../../../shared/errors.ts';
import type { MyRatings, Participation, Question, QuestionPage, QuestionStatus, RatingSummary } from '../../../shared/questions.ts';
import { isolate, t, type MessageKey } from '../i18n/index.ts';
import { afterPage, byVotes, mergeQuestion, newestFirst, nextOffset, pagersFrom, type PagedList, type Pager } from '../lib/questions.ts';
import { readJson, writeJson } from '../lib/storage.ts';
import { reasonText } from '../lib/explain.ts';
import { send } from '../net/transport.ts';
import { run } from './commands.ts';
import { defineSlice, part } from './store.ts';

export interface OutboxEntry {
  id: string;
  text: string;
  /** Decided when typed: the item on stage then, or null for the whole debate. */
  itemId: string | null;
  author?: string;
  at: number;
}

export interface QuestionsState {
  byId: Record<string, Question>;
  /** A `questions` snapshot arrived on this connection. */
  loaded: boolean;
  /** How far each list is loaded (the snapshot holds the head of each; `loadMore` pages on). */
  pagers: Partial<Record<PagedList, Pager>>;
  ratings: RatingSummary | null;
  participation: Participation | null;
  myRatings: MyRatings;
  outbox: OutboxEntry[];
  /** Votes awaiting their ack: a second tap waits. */
  voting: Record<string, true>;
  /** The last thing worth telling the person (a refused question, vote or rating). */
  notice: { text: string; seq: number } | null;
}

export interface QuestionsSlice {
  questions: QuestionsState;
}

const initial = (): QuestionsState => ({
  byId: {},
  loaded: false,
  pagers: {},
  ratings: null,
  participation: null,
  myRatings: {},
  outbox: [],
  voting: {},
  notice: null,
});

let outboxKey: string | null = null;
/** Bumped by every snapshot: a page asked before it belongs to a replaced view and is dropped. */
let generation = 0;
let noticeSeq = 0;
const sending = new Set<string>();
let retryTimer: ReturnType<typeof setTimeout> | undefined;

export const resetQuestions = defineSlice({
  initial: (): QuestionsSlice => ({ questions: initial() }),
  lifetime: 'connection',
  // The outbox stays in localStorage for the next connection to this event; its retry stops here.
  onReset: () => {
    clearTimeout(retryTimer);
    sending.clear();
    outboxKey = null;
  },
});

const questions = part('questions');
export const useQuestions = questions.use;

function notify(text: string) {
  questions.set({ notice: { text, seq: ++noticeSeq } });
}

const reasons: Partial<Record<ErrorCode | string, MessageKey>> = {
  RATE_LIMITED: 'q.why.RATE_LIMITED',
  UNAVAILABLE: 'common.unreachable',
  CONFLICT: 'q.why.CONFLICT',
  NOT_FOUND: 'q.why.NOT_FOUND',
  FORBIDDEN: 'q.why.FORBIDDEN',
  INVALID_PAYLOAD: 'q.why.INVALID_PAYLOAD',
};
const reason = (error: WireError) => {
  const key = reasons[error.code];
  return reasonText(error) ?? (key ? t(key) : error.message);
};

// ---------------------------------------------------------------------------------------------
// Fed by the socket

/** Keeps the newest copy of a question; `mine`/`voted` absent from an update keep their value. */
export function applyQuestion(q: Question): void {
  questions.set((s) => {
    const next = mergeQuestion(s.byId[q.id], q);
    return next ? { byId: { ...s.byId, [q.id]: next } } : s;
  });
}

/** The visible set, on (re)connect: replaces what we had, then sends what waits in the outbox. */
export function applyQuestions(list: Question[]): void {
  const byId: Record<string, Question> = {};
  for (const q of list) byId[q.id] = q;
  generation++;
  questions.set({ byId, loaded: true, pagers: pagersFrom(list) });
  void flushOutbox();
}

/** A page: a screenful or two on a phone or the tablet. */
const PAGE_SIZE = 50;

function setPager(list: PagedList, pager: Pager) {
  questions.set((s) => ({ pagers: { ...s.pagers, [list]: pager } }));
}

/** Where the next page of a list starts; null when it is loaded whole or a page is on its way. */
export function nextPage(list: PagedList): { offset: number } | null {
  const { pagers, byId } = questions.get();
  const pager = pagers[list];
  if (!pager || pager.done || pager.loading) return null;
  return { offset: nextOffset(Object.values(byId), list, pager) };
}

/**
 * A page of a list (asked at `offset`), merged by `rev` with what the screen holds: live updates
 * that arrived meanwhile keep their newer copy.
 */
export function applyPage(list: PagedList, offset: number, page: QuestionPage): void {
  questions.set((st) => {
    const byId = { ...st.byId };
    for (const q of page.items) {
      const next = mergeQuestion(byId[q.id], q);
      if (next) byId[q.id] = next;
    }
    const pager = st.pagers[list] ?? { until: null, done: false, loading: false, failed: false, overlap: 0 };
    return { byId, pagers: { ...st.pagers, [list]: afterPage(pager, offset, page.items, page.total) } };
  });
}

/** Loads the next page of a list (`questions:more`), one at a time per list. */
export async function loadMore(list: PagedList): Promise<void> {
  const next = nextPage(list);
  const pager = questions.get().pagers[list];
  if (!next || !pager) return;
  const gen = generation;
  setPager(list, { ...pager, loading: true });
  const ack = await send('questions:more', { ...(list === 'public' ? {} : { status: list }), offset: next.offset, limit: PAGE_SIZE });
  if (gen !== generation) return; // a new snapshot replaced this view (and its pagers)
  if (ack.ok) return applyPage(list, next.offset, ack.data as QuestionPage);
  setPager(list, { ...pager, loading: false, failed: true });
  notify(t('q.moreFailed', { reason: reason(ack.error) }));
}

export const applyRatings = (ratings: RatingSummary) => questions.set({ ratings });
export const applyParticipation = (participation: Participation) => questions.set({ participation });
export const applyMyRatings = (myRatings: MyRatings) => questions.set({ myRatings });

/** A new connection target (event code or id): the outbox is kept per event. */
export function setQuestionsTarget(key: string | undefined): void {
  outboxKey = key ? `tribune.outbox.${key.toUpperCase()}` : null;
  const saved = outboxKey ? readJson<OutboxEntry[]>(outboxKey) : null;
  questions.set({ ...initial(), outbox: Array.isArray(saved) ? saved.filter((e) => e && typeof e.id === 'string') : [] });
}

// ---------------------------------------------------------------------------------------------
// Asking

function saveOutbox(outbox: OutboxEntry[]) {
  questions.set({ outbox });
  if (outboxKey) writeJson(outboxKey, outbox);
}

/** 128 random bits as base64url (crypto.randomUUID needs a secure context; a LAN page may not be one). */
function newQuestionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Queues a question in the outbox (kept across reloads) and sends it when connected. */
export function ask(text: string, itemId: string | null, author?: string): string {
  const entry: OutboxEntry = { id: newQuestionId(), text: text.trim(), itemId, at: Date.now(), ...(author?.trim() ? { author: author.trim() } : {}) };
  saveOutbox([...questions.get().outbox, entry]);
  void flushOutbox();
  return entry.id;
}

/** Sends every queued question once; kept ones are retried on reconnect (same id: no duplicate). */
export async function flushOutbox(): Promise<void> {
  const waiting = questions.get().outbox.filter((e) => !sending.has(e.id));
  await Promise.all(
    waiting.map(async (entry) => {
      sending.add(entry.id);
      const ack = await send('question:ask', {
        id: entry.id,
        text: entry.text,
        itemId: entry.itemId,
        ...(entry.author ? { author: entry.author } : {}),
      });
      sending.delete(entry.id);
      if (ack.ok) {
        applyQuestion(ack.data as Question);
      } else if (ack.error.code === 'UNAVAILABLE' || ack.error.code === 'RATE_LIMITED' || ack.error.code === 'INTERNAL') {
        // Kept: sent again at the next connection, or in a little while.
        if (ack.error.code === 'RATE_LIMITED') notify(t('q.tooMany'));
        clearTimeout(retryTimer);
        retryTimer = setTimeout(() => void flushOutbox(), ack.error.code === 'RATE_LIMITED' ? 15_000 : 5_000);
        return;
      } else {
        notify(t('q.refused', { reason: reason(ack.error), text: isolate(entry.text.slice(0, 60)) }));
      }
      saveOutbox(questions.get().outbox.filter((e) => e.id !== entry.id));
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Voting and rating: optimistic, reverted with the reason when refused

export async function toggleVote(id: string): Promise<void> {
  const s = questions.get();
  const q = s.byId[id];
  if (!q || s.voting[id]) return;
  const value = q.voted ? 0 : 1;
  questions.set((st) => ({
    voting: { ...st.voting, [id]: true },
    byId: { ...st.byId, [id]: { ...q, voted: value === 1, votes: q.votes + (value === 1 ? 1 : -1) } },
  }));
  const ack = await send('question:vote', { id, value });
  questions.set((st) => {
    const voting = { ...st.voting };
    delete voting[id];
    return { voting };
  });
  if (ack.ok) {
    const acked = ack.data as Question;
    questions.set((st) => {
      const cur = st.byId[id];
      // The ack replaces the optimistic guess (same rev); a newer broadcast keeps its count.
      const next = !cur || acked.rev >= cur.rev ? { ...cur, ...acked } : { ...cur, voted: acked.voted };
      return { byId: { ...st.byId, [id]: next } };
    });
  } else {
    questions.set((st) => {
      const cur = st.byId[id];
      return cur ? { byId: { ...st.byId, [id]: { ...cur, voted: q.voted, votes: q.votes } } } : st;
    });
    notify(t('q.voteRefused', { reason: reason(ack.error) }));
  }
}

export async function rate(target: string, indicator: string, score: number): Promise<boolean> {
  const before = questions.get().myRatings;
  questions.set({ myRatings: { ...before, [target]: { ...before[target], [indicator]: score } } });
  const ack = await send('rating:set', { target, indicator, score });
  if (!ack.ok) {
    questions.set((st) => {
      const prev = before[target]?.[indicator];
      const forTarget = { ...st.myRatings[target] };
      if (prev === undefined) delete forTarget[indicator];
      else forTarget[indicator] = prev;
      return { myRatings: { ...st.myRatings, [target]: forTarget } };
    });
    notify(t('q.rateRefused', { reason: reason(ack.error) }));
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Moderator: through run(), so the outcome line says what happened

const statusLabel: Record<Exclude<QuestionStatus, 'pending'>, MessageKey> = {
  live: 'mq.approve',
  answered: 'mq.markAnswered',
  dismissed: 'mq.dismiss',
};

export async function moderate(id: string, status: Exclude<QuestionStatus, 'pending'>): Promise<void> {
  const q = questions.get().byId[id];
  if (!q) return;
  // Shown at once; the server's copy (a higher rev) confirms it, a refusal puts it back.
  questions.set((st) => ({ byId: { ...st.byId, [id]: { ...q, status } } }));
  const label = t('mq.action', { action: t(statusLabel[status]), text: isolate(q.text.slice(0, 40)) });
  const ok = await run(`question:${id}`, label, 'question:moderate', { id, status });
  if (!ok) {
    questions.set((st) => {
      const cur = st.byId[id];
      return cur && cur.rev === q.rev ? { byId: { ...st.byId, [id]: q } } : st;
    });
  }
}

export const setModeration = (mode: 'pre' | 'post') =>
  run('moderation', mode === 'pre' ? t('mq.preDone') : t('mq.postDone'), 'event:moderation', { mode });

export const showOnProjector = (id: string) =>
  run('projector', t('mod.projectorIs', { mode: t('mod.mode.question') }), 'projector:show', { mode: 'question', questionId: id });

// ---------------------------------------------------------------------------------------------
// Selectors

/** For the projector's Question mode: the one highlighted now if still visible, else the top live one. */
export function projectorQuestionId(current: string | null | undefined): string | undefined {
  const byId = questions.get().byId;
  const shown = current ? byId[current] : undefined;
  if (shown && (shown.status === 'live' || shown.status === 'answered')) return shown.id;
  return byVotes(Object.values(byId).filter((q) => q.status === 'live'))[0]?.id;
}

export { byVotes, newestFirst };
export type { PagedList, Pager };
