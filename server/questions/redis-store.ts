/**
 * The questions store on Redis, shared by every server process (keys: store/keys.ts
 * `keys.questions`, all in the event's hash tag so one script may touch them together):
 *
 *   q:question:<id>         hash    the question (id, text, lang, itemId, table, author, status,
 *                                   createdAt, votes, rev, device); null fields are ""
 *   q:voters:<id>           set     devices that up-vote it (one vote per device)
 *   q:order                 zset    question ids by createdAt (listing)
 *   q:rank:<list>           zset    a ranked list (a status, or `public`: live and answered) for
 *                                   pages: score −votes, member `<createdAt, 15 digits>:<id>`, so
 *                                   Redis's order (score, then member bytes) is most votes, then
 *                                   oldest, then id; a page is ZRANGE by rank, O(log n + page)
 *   q:ranked                string  set once the ranked lists hold every question: an event
 *                                   stored before they existed is ranked once, on first read
 *   q:device-questions:<device> zset question ids a device asked, by createdAt
 *   q:device-votes:<device> set     question ids a device up-votes (its `voted` flags)
 *   q:ratings:<target>:<indicator>  hash  device → score
 *   q:rating-counts         hash    `<target>|<indicator>|<score>` → count (aggregates)
 *   q:device-ratings:<device>       hash  `<target>|<indicator>` → score
 *   q:participation         hash    `q:<table>` / `v:<table>` / `r:<table>` → count
 *   q:limit:<kind>:<device> string  acts in the current window (PEXPIRE = the window)
 *   q:throttle:<name>       string  a broadcast slot (SET NX PX)
 *
 * Each write is one Lua script: checks, limit and change are atomic, so counts stay exact under
 * concurrent votes from many processes and a refused command changes nothing but its limit counter.
 */
import type { Redis } from 'ioredis';
import type { QuestionStatus } from '../../shared/questions.ts';
import type { Keys } from '../store/keys.ts';
import { call } from '../store/redis.ts';
import {
  actField,
  idTaken,
  myRatingsFrom,
  notLive,
  participationFrom,
  questionNotFound,
  rateLimited,
  ratingField,
  summaryFromCounts,
  type QuestionRecord,
  type QuestionStore,
} from './store.ts';

/** A question's member in the ranked lists (ids never hold ':'; createdAt is an integer string). */
const MEMBER_LUA = `
local function member(createdAt, id)
  return string.rep('0', 15 - #createdAt) .. createdAt .. ':' .. id
end
`;
const MEMBER_ID_AT = 17; // 1-based, in Lua: after the 15 digits and the ':'

const LIMIT_LUA = `
local function over_limit(key, max, window)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, window) end
  return n > tonumber(max)
end
`;

/**
 * KEYS: question, order, limit, participation, rank:<status>, rank:public, device questions.
 * ARGV: device, max, window, act field, id, createdAt, status, field pairs…
 */
const ASK_LUA = `${LIMIT_LUA}${MEMBER_LUA}
local existing = redis.call('HGET', KEYS[1], 'device')
if existing then
  if existing ~= ARGV[1] then return {'CONFLICT'} end
  return {'EXISTS', redis.call('HGETALL', KEYS[1])}
end
if over_limit(KEYS[3], ARGV[2], ARGV[3]) then return {'RATE_LIMITED'} end
local fields = {}
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
local m = member(ARGV[6], ARGV[5])
redis.call('ZADD', KEYS[5], 0, m)
if ARGV[7] == 'live' or ARGV[7] == 'answered' then redis.call('ZADD', KEYS[6], 0, m) end
redis.call('ZADD', KEYS[7], ARGV[6], ARGV[5])
return {'CREATED'}
`;

/**
 * KEYS: question, voters, device votes, limit, participation, rank:live, rank:public.
 * ARGV: device, value, max, window, act field, id.
 */
const VOTE_LUA = `${LIMIT_LUA}${MEMBER_LUA}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'NOT_FOUND'} end
if status ~= 'live' then return {'CONFLICT', status} end
if over_limit(KEYS[4], ARGV[3], ARGV[4]) then return {'RATE_LIMITED'} end
local changed
if ARGV[2] == '1' then
  changed = redis.call('SADD', KEYS[2], ARGV[1])
else
  changed = redis.call('SREM', KEYS[2], ARGV[1])
end
if changed == 1 then
  local delta = 1
  if ARGV[2] ~= '1' then delta = -1 end
  local votes = redis.call('SCARD', KEYS[2])
  redis.call('HSET', KEYS[1], 'votes', votes)
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
  -- Only live questions take votes: the move is within rank:live and rank:public.
  local m = member(redis.call('HGET', KEYS[1], 'createdAt'), ARGV[6])
  redis.call('ZADD', KEYS[6], -votes, m)
  redis.call('ZADD', KEYS[7], -votes, m)
  if delta == 1 then redis.call('SADD', KEYS[3], ARGV[6]) else redis.call('SREM', KEYS[3], ARGV[6]) end
  redis.call('HINCRBY', KEYS[5], ARGV[5], delta)
end
return {'OK', changed, redis.call('HGETALL', KEYS[1])}
`;

/** KEYS: question, rank:pending, rank:live, rank:answered, rank:dismissed, rank:public. ARGV: status. */
const MODERATE_LUA = `${MEMBER_LUA}
local previous = redis.call('HGET', KEYS[1], 'status')
if not previous then return {'NOT_FOUND'} end
if previous ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
  local lists = { pending = 2, live = 3, answered = 4, dismissed = 5 }
  local h = redis.call('HMGET', KEYS[1], 'createdAt', 'id', 'votes')
  local m = member(h[1], h[2])
  local score = -tonumber(h[3] or '0')
  if lists[previous] then redis.call('ZREM', KEYS[lists[previous]], m) end
  redis.call('ZADD', KEYS[lists[ARGV[1]]], score, m)
  if ARGV[1] == 'live' or ARGV[1] == 'answered' then
    redis.call('ZADD', KEYS[6], score, m)
  else
    redis.call('ZREM', KEYS[6], m)
  end
end
return {previous, redis.call('HGETALL', KEYS[1])}
`;

/** KEYS: ratings, counts, device ratings, limit, participation. ARGV: device, score, max, window, act field, rating field. */
const RATE_LUA = `${LIMIT_LUA}
if over_limit(KEYS[4], ARGV[3], ARGV[4]) then return {'RATE_LIMITED'} end
local previous = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if previous then
  redis.call('HINCRBY', KEYS[2], ARGV[6] .. '|' .. previous, -1)
else
  redis.call('HINCRBY', KEYS[5], ARGV[5], 1)
end
redis.call('HINCRBY', KEYS[2], ARGV[6] .. '|' .. ARGV[2], 1)
redis.call('HSET', KEYS[3], ARGV[6], ARGV[2])
return {'OK', previous or ''}
`;

/** KEYS: throttle. ARGV: window ms. 0 = claimed; else ms until the slot frees. */
const CLAIM_LUA = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
`;

/**
 * Ranks an event's every question, once (an event stored before the ranked lists existed).
 * KEYS: order, ranked, rank:pending, rank:live, rank:answered, rank:dismissed, rank:public.
 * ARGV: question key prefix, device-questions key prefix. The keys it builds carry the event's
 * hash tag like the declared ones, so they are in the same cluster slot.
 */
const RANK_ALL_LUA = `${MEMBER_LUA}
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
for i = 3, 7 do redis.call('DEL', KEYS[i]) end
local lists = { pending = 3, live = 4, answered = 5, dismissed = 6 }
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', ARGV[1] .. id, 'status', 'votes', 'createdAt', 'device')
  if h[1] and lists[h[1]] then
    local m = member(h[3], id)
    local score = -tonumber(h[2] or '0')
    redis.call('ZADD', KEYS[lists[h[1]]], score, m)
    if h[1] == 'live' or h[1] == 'answered' then redis.call('ZADD', KEYS[7], score, m) end
    redis.call('ZADD', ARGV[2] .. h[4], h[3], id)
  end
end
redis.call('SET', KEYS[2], '1')
return #ids
`;

/**
 * A page of a ranked list and the list's size, read at one instant. KEYS: rank list.
 * ARGV: start, stop (ranks), question key prefix (same hash tag, see RANK_ALL_LUA).
 */
const PAGE_LUA = `
local members = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2])
local out = { redis.call('ZCARD', KEYS[1]) }
for _, m in ipairs(members) do
  out[#out + 1] = redis.call('HGETALL', ARGV[3] .. string.sub(m, ${MEMBER_ID_AT}))
end
return out
`;

type Reply = (string | number | Reply)[];

interface Scripts {
  tribuneQuestionAsk(...args: string[]): Promise<Reply>;
  tribuneQuestionVote(...args: string[]): Promise<Reply>;
  tribuneQuestionModerate(...args: string[]): Promise<Reply>;
  tribuneQuestionRate(...args: string[]): Promise<Reply>;
  tribuneQuestionClaim(...args: string[]): Promise<number>;
  tribuneQuestionRankAll(...args: string[]): Promise<number>;
  tribuneQuestionPage(...args: string[]): Promise<Reply>;
}

const orNull = (v: string | undefined) => (v ? v : null);

function fromHash(h: Record<string, string>): QuestionRecord {
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

function fromFlat(flat: Reply): QuestionRecord {
  const h: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) h[String(flat[i])] = String(flat[i + 1]);
  return fromHash(h);
}

function toFields(q: QuestionRecord): string[] {
  return [
    'id', q.id,
    'text', q.text,
    'lang', q.lang,
    'itemId', q.itemId ?? '',
    'table', q.table ?? '',
    'author', q.author ?? '',
    'status', q.status,
    'createdAt', String(q.createdAt),
    'votes', String(q.votes),
    'rev', String(q.rev),
    'device', q.device,
  ];
}

const numbers = (h: Record<string, string>): [string, number][] => Object.entries(h).map(([k, v]) => [k, Number(v)]);

/** The store on the backend's Redis connection (owned by the backend: `close` leaves it open). */
export function createRedisQuestionStore(client: Redis, keys: Keys): QuestionStore {
  const redis = client as Redis & Scripts;
  redis.defineCommand('tribuneQuestionAsk', { numberOfKeys: 7, lua: ASK_LUA });
  redis.defineCommand('tribuneQuestionVote', { numberOfKeys: 7, lua: VOTE_LUA });
  redis.defineCommand('tribuneQuestionModerate', { numberOfKeys: 6, lua: MODERATE_LUA });
  redis.defineCommand('tribuneQuestionRate', { numberOfKeys: 5, lua: RATE_LUA });
  redis.defineCommand('tribuneQuestionClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
  redis.defineCommand('tribuneQuestionRankAll', { numberOfKeys: 7, lua: RANK_ALL_LUA });
  redis.defineCommand('tribuneQuestionPage', { numberOfKeys: 1, lua: PAGE_LUA });
  const k = keys.questions;
  const rankKeys = (eventId: string) => (['pending', 'live', 'answered', 'dismissed', 'public'] as const).map((l) => k.rank(eventId, l));

  /** Events this process saw ranked: the marker is never removed, so it is read once per event. */
  const ranked = new Set<string>();
  async function ensureRanked(eventId: string) {
    if (ranked.has(eventId)) return;
    await call(
      redis.tribuneQuestionRankAll(k.order(eventId), k.ranked(eventId), ...rankKeys(eventId), k.questionPrefix(eventId), k.deviceQuestionsPrefix(eventId)),
    );
    ranked.add(eventId);
  }

  /** The hashes of `ids`, in that order (a question deleted meanwhile is left out). */
  async function records(eventId: string, ids: string[]): Promise<QuestionRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(k.question(eventId, id));
    const replies = (await call(pipeline.exec())) ?? [];
    const out: QuestionRecord[] = [];
    for (const [err, h] of replies) {
      if (err) await call(Promise.reject(err));
      const hash = h as Record<string, string>;
      if (hash.id) out.push(fromHash(hash));
    }
    return out;
  }

  return {
    kind: 'redis',

    async ask({ eventId, record, limit }) {
      const reply = await call(
        redis.tribuneQuestionAsk(
          k.question(eventId, record.id),
          k.order(eventId),
          k.limit(eventId, 'ask', record.device),
          k.participation(eventId),
          k.rank(eventId, record.status),
          k.rank(eventId, 'public'),
          k.deviceQuestions(eventId, record.device),
          record.device,
          String(limit.max),
          String(limit.windowMs),
          actField('q', record.table),
          record.id,
          String(record.createdAt),
          record.status,
          ...toFields(record),
        ),
      );
      switch (reply[0]) {
        case 'CREATED':
          return { question: { ...record }, created: true };
        case 'EXISTS':
          return { question: fromFlat(reply[1] as Reply), created: false };
        case 'CONFLICT':
          throw idTaken();
        case 'RATE_LIMITED':
          throw rateLimited('questions');
        default:
          throw new Error(`unexpected ask reply ${JSON.stringify(reply)}`);
      }
    },

    async vote({ eventId, id, device, value, table, limit }) {
      const reply = await call(
        redis.tribuneQuestionVote(
          k.question(eventId, id),
          k.voters(eventId, id),
          k.deviceVotes(eventId, device),
          k.limit(eventId, 'vote', device),
          k.participation(eventId),
          k.rank(eventId, 'live'),
          k.rank(eventId, 'public'),
          device,
          String(value),
          String(limit.max),
          String(limit.windowMs),
          actField('v', table),
          id,
        ),
      );
      switch (reply[0]) {
        case 'OK':
          return { question: fromFlat(reply[2] as Reply), changed: reply[1] === 1, voted: value === 1 };
        case 'NOT_FOUND':
          throw questionNotFound();
        case 'CONFLICT':
          throw notLive(String(reply[1]));
        case 'RATE_LIMITED':
          throw rateLimited('votes');
        default:
          throw new Error(`unexpected vote reply ${JSON.stringify(reply)}`);
      }
    },

    async moderate(eventId, id, status) {
      const reply = await call(redis.tribuneQuestionModerate(k.question(eventId, id), ...rankKeys(eventId), status));
      if (reply[0] === 'NOT_FOUND') throw questionNotFound();
      return { previous: reply[0] as QuestionStatus, question: fromFlat(reply[1] as Reply) };
    },

    async get(eventId, id) {
      const h = await call(redis.hgetall(k.question(eventId, id)));
      return h.id ? fromHash(h) : null;
    },

    async list(eventId) {
      return records(eventId, await call(redis.zrange(k.order(eventId), '0', '-1')));
    },

    async page(eventId, list, offset, limit) {
      await ensureRanked(eventId);
      const reply = await call(
        redis.tribuneQuestionPage(k.rank(eventId, list), String(offset), String(offset + limit - 1), k.questionPrefix(eventId)),
      );
      const items = (reply.slice(1) as Reply[]).map(fromFlat).filter((q) => q.id);
      return { items, total: Number(reply[0]) };
    },

    async deviceQuestions(eventId, device, limit = Infinity) {
      await ensureRanked(eventId);
      const stop = Number.isFinite(limit) ? String(limit - 1) : '-1';
      // Newest first; ties by id, descending (ZRANGE … REV), as the embedded store.
      return records(eventId, await call(redis.zrange(k.deviceQuestions(eventId, device), '0', stop, 'REV')));
    },

    async votedAmong(eventId, device, ids) {
      if (ids.length === 0) return new Set();
      const flags = await call(redis.smismember(k.deviceVotes(eventId, device), ...ids));
      return new Set(ids.filter((_, i) => flags[i] === 1));
    },

    async deviceVotes(eventId, device) {
      return call(redis.smembers(k.deviceVotes(eventId, device)));
    },

    async rate({ eventId, device, table, target, indicator, score, limit }) {
      const reply = await call(
        redis.tribuneQuestionRate(
          k.ratings(eventId, target, indicator),
          k.ratingCounts(eventId),
          k.deviceRatings(eventId, device),
          k.limit(eventId, 'rate', device),
          k.participation(eventId),
          device,
          String(score),
          String(limit.max),
          String(limit.windowMs),
          actField('r', table),
          ratingField(target, indicator),
        ),
      );
      if (reply[0] === 'RATE_LIMITED') throw rateLimited('ratings');
      return { previous: reply[1] === '' ? null : Number(reply[1]) };
    },

    async ratingSummary(eventId) {
      return summaryFromCounts(numbers(await call(redis.hgetall(k.ratingCounts(eventId)))));
    },

    async deviceRatings(eventId, device) {
      return myRatingsFrom(numbers(await call(redis.hgetall(k.deviceRatings(eventId, device)))));
    },

    async participation(eventId) {
      return participationFrom(numbers(await call(redis.hgetall(k.participation(eventId)))));
    },

    async claim(eventId, name, windowMs) {
      return Number(await call(redis.tribuneQuestionClaim(k.throttle(eventId, name), String(windowMs))));
    },

    async close() {
      // The connection belongs to the backend (server/backend.ts), which closes it.
    },
  };
}
