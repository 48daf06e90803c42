/**
 * Questions an older Tribune stored (before the event log), carried into the log once, at open:
 * the embedded `DATA_DIR/questions.ndjson` (then renamed `questions.ndjson.imported`) and, on
 * Redis, each event's `…:q:*` keys (then deleted). Each event's data becomes one `questions.import`
 * entry of whole values (questions with their voters, ratings, participation counters), so
 * importing twice (a crash in between) changes nothing. Not carried: the per-device limit windows
 * (a minute at most) and broadcast slots, which that version let expire anyway.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { QuestionStatus } from '../../shared/questions.ts';
import type { BackendContext } from '../backend.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { replayJournal } from '../store/journal.ts';
import { call, scanKeys } from '../store/redis.ts';
import { actField, ratingField, type ImportedQuestions, type QuestionRecord, type QuestionsEntry } from './rules.ts';

/** One event's data as that version held it. */
interface Old {
  questions: Map<string, QuestionRecord>;
  voters: Map<string, Set<string>>;
  /** `target|indicator` → device → score. */
  ratings: Map<string, Map<string, number>>;
  participation: Map<string, number>;
}

/** The lines of that version's journal (server/questions/memory-store.ts before the log). */
type OldLine =
  | { t: 'ask'; e: string; q: QuestionRecord }
  | { t: 'vote'; e: string; id: string; d: string; v: 0 | 1; tb: string | null }
  | { t: 'status'; e: string; id: string; s: QuestionStatus }
  | { t: 'rate'; e: string; d: string; tb: string | null; tg: string; i: string; s: number }
  // Its compaction: whole values.
  | { t: 'q'; e: string; q: QuestionRecord; voters: string[] }
  | { t: 'r'; e: string; f: string; ratings: [string, number][] }
  | { t: 'p'; e: string; p: [string, number][] };

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** Replays a journal line as that version did. */
function replay(of: (e: string) => Old, line: OldLine) {
  const d = of(line.e);
  const votersOf = (id: string) => {
    let v = d.voters.get(id);
    if (!v) d.voters.set(id, (v = new Set()));
    return v;
  };
  const ratingsOf = (field: string) => {
    let r = d.ratings.get(field);
    if (!r) d.ratings.set(field, (r = new Map()));
    return r;
  };
  switch (line.t) {
    case 'ask':
      d.questions.set(line.q.id, { ...line.q });
      add(d.participation, actField('q', line.q.table), 1);
      return;
    case 'vote': {
      const q = d.questions.get(line.id);
      if (!q) return;
      const voters = votersOf(line.id);
      if (voters.has(line.d) === (line.v === 1)) return;
      if (line.v === 1) voters.add(line.d);
      else voters.delete(line.d);
      const delta = line.v === 1 ? 1 : -1;
      d.questions.set(line.id, { ...q, votes: q.votes + delta, rev: q.rev + 1 });
      add(d.participation, actField('v', line.tb), delta);
      return;
    }
    case 'status': {
      const q = d.questions.get(line.id);
      if (q && q.status !== line.s) d.questions.set(line.id, { ...q, status: line.s, rev: q.rev + 1 });
      return;
    }
    case 'rate': {
      const r = ratingsOf(ratingField(line.tg, line.i));
      if (!r.has(line.d)) add(d.participation, actField('r', line.tb), 1);
      r.set(line.d, line.s);
      return;
    }
    case 'q':
      d.questions.set(line.q.id, { ...line.q });
      for (const device of line.voters) votersOf(line.q.id).add(device);
      return;
    case 'r':
      for (const [device, score] of line.ratings) ratingsOf(line.f).set(device, score);
      return;
    case 'p':
      for (const [field, n] of line.p) d.participation.set(field, n);
      return;
  }
}

/** A question hash of that version's Redis store (null fields were ""). */
function fromHash(h: Record<string, string>): QuestionRecord {
  const orNull = (v: string | undefined) => (v ? v : null);
  return {
    id: h.id ?? '',
    text: h.text ?? '',
    lang: h.lang ?? '',
    itemId: orNull(h.itemId),
    table: orNull(h.table),
    author: orNull(h.author),
    votes: Number(h.votes ?? 0),
    status: (h.status ?? 'pending') as QuestionStatus,
    createdAt: Number(h.createdAt ?? 0),
    rev: Number(h.rev ?? 0),
    device: h.device ?? '',
  };
}

function payloadOf(d: Old): ImportedQuestions {
  return {
    questions: [...d.questions.values()]
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((q) => [q, [...(d.voters.get(q.id) ?? [])]]),
    ratings: [...d.ratings].map(([field, byDevice]) => [field, [...byDevice]]),
    participation: [...d.participation],
  };
}

/** Carries the questions of an older version into the log; resolves with the number of events. */
export async function importOldQuestions(ctx: BackendContext, logs: EventLogs): Promise<number> {
  const found = new Map<string, Old>();
  const of = (e: string) => {
    let d = found.get(e);
    if (!d) found.set(e, (d = { questions: new Map(), voters: new Map(), ratings: new Map(), participation: new Map() }));
    return d;
  };
  const appendAll = async () => {
    for (const [eventId, d] of found) {
      const entry: QuestionsEntry = { kind: 'questions.import', payload: payloadOf(d) };
      await logs.append(eventId, entry);
    }
  };

  if (ctx.kind === 'memory') {
    if (!ctx.dataDir) return 0;
    const file = path.join(ctx.dataDir, 'questions.ndjson');
    if (!fs.existsSync(file)) return 0;
    replayJournal<OldLine>(file, (line) => replay(of, line));
    await appendAll();
    fs.renameSync(file, `${file}.imported`);
    return found.size;
  }

  const { redis, keys } = ctx;
  const old = await scanKeys(redis, `${keys.prefix}:{*}:q:*`);
  for (const key of old) {
    const eventId = key.slice(key.indexOf('{') + 1, key.indexOf('}'));
    const name = key.slice(key.indexOf('}:q:') + 4);
    const [what, ...rest] = name.split(':');
    const d = of(eventId);
    // Only what is not derived; the ranked lists, per-device indexes and aggregates are rebuilt.
    if (what === 'question') {
      const q = fromHash(await call(redis.hgetall(key)));
      if (q.id) d.questions.set(q.id, q);
    } else if (what === 'voters') {
      d.voters.set(rest[0]!, new Set(await call(redis.smembers(key))));
    } else if (what === 'ratings' && rest.length === 2) {
      const scores = await call(redis.hgetall(key));
      d.ratings.set(ratingField(rest[0]!, rest[1]!), new Map(Object.entries(scores).map(([dev, s]) => [dev, Number(s)])));
    } else if (what === 'participation') {
      for (const [field, n] of Object.entries(await call(redis.hgetall(key)))) d.participation.set(field, Number(n));
    }
  }
  // Events with only limits or slots left carry nothing.
  for (const [eventId, d] of found) if (!d.questions.size && !d.ratings.size && !d.participation.size) found.delete(eventId);
  await appendAll();
  // Per event (one hash tag, one cluster slot), a few hundred keys at a time.
  const byEvent = new Map<string, string[]>();
  for (const key of old) {
    const tag = key.slice(key.indexOf('{'), key.indexOf('}') + 1);
    let list = byEvent.get(tag);
    if (!list) byEvent.set(tag, (list = []));
    list.push(key);
  }
  for (const list of byEvent.values()) for (let i = 0; i < list.length; i += 500) await call(redis.del(...list.slice(i, i + 500)));
  return found.size;
}
