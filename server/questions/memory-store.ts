/**
 * The embedded questions store: everything in memory, every change appended to
 * DATA_DIR/questions.ndjson (synchronously, before the promise resolves) and replayed at start,
 * then compacted. Limits and broadcast slots are process memory: one process owns a DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { QuestionStatus } from '../../shared/questions.ts';
import { replayJournal, rewriteJournal } from '../store/journal.ts';
import { RankIndex } from './rank-index.ts';
import {
  actField,
  listsOf,
  countField,
  idTaken,
  myRatingsFrom,
  notLive,
  participationFrom,
  questionNotFound,
  rateLimited,
  ratingField,
  summaryFromCounts,
  type Limit,
  type QuestionRecord,
  type QuestionStore,
  type RankedList,
} from './store.ts';

type Entry =
  | { t: 'ask'; e: string; q: QuestionRecord }
  | { t: 'vote'; e: string; id: string; d: string; v: 0 | 1; tb: string | null }
  | { t: 'status'; e: string; id: string; s: QuestionStatus }
  | { t: 'rate'; e: string; d: string; tb: string | null; tg: string; i: string; s: number }
  // Compaction: whole values, no side effects.
  | { t: 'q'; e: string; q: QuestionRecord; voters: string[] }
  | { t: 'r'; e: string; f: string; ratings: [string, number][] }
  | { t: 'p'; e: string; p: [string, number][] };

interface EventData {
  questions: Map<string, QuestionRecord>;
  /** Each ranked list in order, kept as questions change (`put`). */
  ranks: Record<RankedList, RankIndex>;
  /** device → ids of the questions it asked. */
  byDevice: Map<string, Set<string>>;
  voters: Map<string, Set<string>>;
  deviceVotes: Map<string, Set<string>>;
  /** `target|indicator` → device → score. */
  ratings: Map<string, Map<string, number>>;
  /** `target|indicator|score` → count. */
  counts: Map<string, number>;
  /** device → `target|indicator` → score. */
  deviceRatings: Map<string, Map<string, number>>;
  participation: Map<string, number>;
}

const JOURNAL = 'questions.ndjson';

export interface MemoryQuestionStoreOptions {
  /** Folder of the journal; absent: nothing is persisted. */
  dataDir?: string;
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

export function createMemoryQuestionStore(options: MemoryQuestionStoreOptions = {}): QuestionStore {
  const events = new Map<string, EventData>();
  const limits = new Map<string, { count: number; resetAt: number }>();
  const claims = new Map<string, number>();
  let fd: number | null = null;

  function data(eventId: string): EventData {
    let d = events.get(eventId);
    if (!d) {
      d = {
        questions: new Map(),
        ranks: { public: new RankIndex(), pending: new RankIndex(), live: new RankIndex(), answered: new RankIndex(), dismissed: new RankIndex() },
        byDevice: new Map(),
        voters: new Map(),
        deviceVotes: new Map(),
        ratings: new Map(),
        counts: new Map(),
        deviceRatings: new Map(),
        participation: new Map(),
      };
      events.set(eventId, d);
    }
    return d;
  }

  /** Stores a question's new copy and moves it in the ranked lists. */
  function put(d: EventData, next: QuestionRecord) {
    const prev = d.questions.get(next.id);
    if (prev) for (const list of listsOf(prev.status)) d.ranks[list].remove(prev);
    d.questions.set(next.id, next);
    for (const list of listsOf(next.status)) d.ranks[list].add(next);
    if (!prev) {
      let own = d.byDevice.get(next.device);
      if (!own) d.byDevice.set(next.device, (own = new Set()));
      own.add(next.id);
    }
  }

  function setVote(d: EventData, id: string, device: string, on: boolean) {
    let voters = d.voters.get(id);
    if (!voters) d.voters.set(id, (voters = new Set()));
    let mine = d.deviceVotes.get(device);
    if (!mine) d.deviceVotes.set(device, (mine = new Set()));
    if (on) {
      voters.add(device);
      mine.add(id);
    } else {
      voters.delete(device);
      mine.delete(id);
    }
  }

  function setRating(d: EventData, field: string, device: string, score: number): number | undefined {
    let byDevice = d.ratings.get(field);
    if (!byDevice) d.ratings.set(field, (byDevice = new Map()));
    const previous = byDevice.get(device);
    byDevice.set(device, score);
    const [target = '', indicator = ''] = field.split('|');
    if (previous !== undefined) add(d.counts, countField(target, indicator, previous), -1);
    add(d.counts, countField(target, indicator, score), 1);
    let mine = d.deviceRatings.get(device);
    if (!mine) d.deviceRatings.set(device, (mine = new Map()));
    mine.set(field, score);
    return previous;
  }

  function apply(entry: Entry) {
    const d = data(entry.e);
    switch (entry.t) {
      case 'ask':
        put(d, { ...entry.q });
        add(d.participation, actField('q', entry.q.table), 1);
        return;
      case 'vote': {
        const q = d.questions.get(entry.id);
        if (!q) return;
        const had = d.voters.get(entry.id)?.has(entry.d) ?? false;
        if (had === (entry.v === 1)) return;
        setVote(d, entry.id, entry.d, entry.v === 1);
        const delta = entry.v === 1 ? 1 : -1;
        put(d, { ...q, votes: q.votes + delta, rev: q.rev + 1 });
        add(d.participation, actField('v', entry.tb), delta);
        return;
      }
      case 'status': {
        const q = d.questions.get(entry.id);
        if (!q || q.status === entry.s) return;
        put(d, { ...q, status: entry.s, rev: q.rev + 1 });
        return;
      }
      case 'rate': {
        const previous = setRating(d, ratingField(entry.tg, entry.i), entry.d, entry.s);
        if (previous === undefined) add(d.participation, actField('r', entry.tb), 1);
        return;
      }
      case 'q':
        put(d, { ...entry.q });
        for (const device of entry.voters) setVote(d, entry.q.id, device, true);
        return;
      case 'r':
        for (const [device, score] of entry.ratings) setRating(d, entry.f, device, score);
        return;
      case 'p':
        for (const [field, n] of entry.p) d.participation.set(field, n);
        return;
      default: {
        const never: never = entry;
        return never;
      }
    }
  }

  function write(entry: Entry) {
    if (fd !== null) fs.writeSync(fd, JSON.stringify(entry) + '\n');
    apply(entry);
  }

  function compact(file: string) {
    const entries: Entry[] = [];
    for (const [e, d] of events) {
      for (const q of d.questions.values()) {
        entries.push({ t: 'q', e, q, voters: [...(d.voters.get(q.id) ?? [])] });
      }
      for (const [f, byDevice] of d.ratings) {
        entries.push({ t: 'r', e, f, ratings: [...byDevice] });
      }
      entries.push({ t: 'p', e, p: [...d.participation] });
    }
    rewriteJournal(file, entries);
  }

  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, JOURNAL);
    replayJournal<Entry>(file, apply);
    compact(file);
    fd = fs.openSync(file, 'a');
  }

  /** Counts one act against the device's limit; throws RATE_LIMITED past it. */
  function take(eventId: string, kind: string, device: string, limit: Limit, what: Parameters<typeof rateLimited>[0]) {
    const key = `${eventId}|${kind}|${device}`;
    const now = Date.now();
    let entry = limits.get(key);
    if (!entry || now >= entry.resetAt) limits.set(key, (entry = { count: 0, resetAt: now + limit.windowMs }));
    entry.count += 1;
    if (entry.count > limit.max) throw rateLimited(what);
  }

  const copy = (q: QuestionRecord): QuestionRecord => ({ ...q });

  return {
    kind: 'memory',

    async ask({ eventId, record, limit }) {
      const d = data(eventId);
      const existing = d.questions.get(record.id);
      if (existing) {
        if (existing.device !== record.device) throw idTaken();
        return { question: copy(existing), created: false };
      }
      take(eventId, 'ask', record.device, limit, 'questions');
      write({ t: 'ask', e: eventId, q: record });
      return { question: copy(d.questions.get(record.id)!), created: true };
    },

    async vote({ eventId, id, device, value, table, limit }) {
      const d = data(eventId);
      const q = d.questions.get(id);
      if (!q) throw questionNotFound();
      if (q.status !== 'live') throw notLive(q.status);
      take(eventId, 'vote', device, limit, 'votes');
      const had = d.voters.get(id)?.has(device) ?? false;
      const changed = had !== (value === 1);
      if (changed) write({ t: 'vote', e: eventId, id, d: device, v: value, tb: table });
      return { question: copy(d.questions.get(id)!), changed, voted: value === 1 };
    },

    async moderate(eventId, id, status) {
      const d = data(eventId);
      const q = d.questions.get(id);
      if (!q) throw questionNotFound();
      if (q.status !== status) write({ t: 'status', e: eventId, id, s: status });
      return { question: copy(d.questions.get(id)!), previous: q.status };
    },

    async get(eventId, id) {
      const q = events.get(eventId)?.questions.get(id);
      return q ? copy(q) : null;
    },

    async list(eventId) {
      const d = events.get(eventId);
      if (!d) return [];
      return [...d.questions.values()]
        .map(copy)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async deviceVotes(eventId, device) {
      return [...(events.get(eventId)?.deviceVotes.get(device) ?? [])];
    },

    async page(eventId, list, offset, limit) {
      const d = events.get(eventId);
      if (!d) return { items: [], total: 0 };
      const index = d.ranks[list];
      return { items: index.ids(offset, limit).map((id) => copy(d.questions.get(id)!)), total: index.size };
    },

    async deviceQuestions(eventId, device, limit = Infinity) {
      const d = events.get(eventId);
      const own = [...(d?.byDevice.get(device) ?? [])].map((id) => d!.questions.get(id)!);
      return own
        .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .slice(0, limit)
        .map(copy);
    },

    async votedAmong(eventId, device, ids) {
      const mine = events.get(eventId)?.deviceVotes.get(device);
      return new Set(mine ? ids.filter((id) => mine.has(id)) : []);
    },

    async rate({ eventId, device, table, target, indicator, score, limit }) {
      take(eventId, 'rate', device, limit, 'ratings');
      const d = data(eventId);
      const previous = d.ratings.get(ratingField(target, indicator))?.get(device) ?? null;
      write({ t: 'rate', e: eventId, d: device, tb: table, tg: target, i: indicator, s: score });
      return { previous };
    },

    async ratingSummary(eventId) {
      return summaryFromCounts(events.get(eventId)?.counts ?? []);
    },

    async deviceRatings(eventId, device) {
      return myRatingsFrom(events.get(eventId)?.deviceRatings.get(device) ?? []);
    },

    async participation(eventId) {
      return participationFrom(events.get(eventId)?.participation ?? []);
    },

    async claim(eventId, name, windowMs) {
      const key = `${eventId}|${name}`;
      const now = Date.now();
      const until = claims.get(key) ?? 0;
      if (now < until) return until - now;
      claims.set(key, now + windowMs);
      return 0;
    },

    async close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}
