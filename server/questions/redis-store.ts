/**
 * The questions store on Redis, shared by every server process (keys: store/keys.ts
 * `keys.questions`, all in the event's hash tag so one script may touch them together):
 *
 *   q:question:<id>         hash    the question (id, text, lang, itemId, table, author, status,
 *                                   createdAt, votes, rev, device); null fields are ""
 *   q:voters:<id>           set     devices that up-vote it (one vote per device)
 *   q:order                 zset    question ids by createdAt (listing)
 *   q:ranking               zset    question ids by votes
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

const LIMIT_LUA = `
local function over_limit(key, max, window)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, window) end
  return n > tonumber(max)
end
`;

/** KEYS: question, order, ranking, limit, participation. ARGV: device, max, window, act field, id, createdAt, field pairs… */
const ASK_LUA = `${LIMIT_LUA}
local existing = redis.call('HGET', KEYS[1], 'device')
if existing then
  if existing ~= ARGV[1] then return {'CONFLICT'} end
  return {'EXISTS', redis.call('HGETALL', KEYS[1])}
end
if over_limit(KEYS[4], ARGV[2], ARGV[3]) then return {'RATE_LIMITED'} end
local fields = {}
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
redis.call('ZADD', KEYS[3], 0, ARGV[5])
redis.call('HINCRBY', KEYS[5], ARGV[4], 1)
return {'CREATED'}
`;

/** KEYS: question, voters, ranking, device votes, limit, participation. ARGV: device, value, max, window, act field, id. */
const VOTE_LUA = `${LIMIT_LUA}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'NOT_FOUND'} end
if status ~= 'live' then return {'CONFLICT', status} end
if over_limit(KEYS[5], ARGV[3], ARGV[4]) then return {'RATE_LIMITED'} end
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
  redis.call('ZADD', KEYS[3], votes, ARGV[6])
  if delta == 1 then redis.call('SADD', KEYS[4], ARGV[6]) else redis.call('SREM', KEYS[4], ARGV[6]) end
  redis.call('HINCRBY', KEYS[6], ARGV[5], delta)
end
return {'OK', changed, redis.call('HGETALL', KEYS[1])}
`;

/** KEYS: question. ARGV: status. */
const MODERATE_LUA = `
local previous = redis.call('HGET', KEYS[1], 'status')
if not previous then return {'NOT_FOUND'} end
if previous ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'status', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
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

type Reply = (string | number | Reply)[];

interface Scripts {
  tribuneQuestionAsk(...args: string[]): Promise<Reply>;
  tribuneQuestionVote(...args: string[]): Promise<Reply>;
  tribuneQuestionModerate(...args: string[]): Promise<Reply>;
  tribuneQuestionRate(...args: string[]): Promise<Reply>;
  tribuneQuestionClaim(...args: string[]): Promise<number>;
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
  redis.defineCommand('tribuneQuestionAsk', { numberOfKeys: 5, lua: ASK_LUA });
  redis.defineCommand('tribuneQuestionVote', { numberOfKeys: 6, lua: VOTE_LUA });
  redis.defineCommand('tribuneQuestionModerate', { numberOfKeys: 1, lua: MODERATE_LUA });
  redis.defineCommand('tribuneQuestionRate', { numberOfKeys: 5, lua: RATE_LUA });
  redis.defineCommand('tribuneQuestionClaim', { numberOfKeys: 1, lua: CLAIM_LUA });
  const k = keys.questions;

  return {
    kind: 'redis',

    async ask({ eventId, record, limit }) {
      const reply = await call(
        redis.tribuneQuestionAsk(
          k.question(eventId, record.id),
          k.order(eventId),
          k.ranking(eventId),
          k.limit(eventId, 'ask', record.device),
          k.participation(eventId),
          record.device,
          String(limit.max),
          String(limit.windowMs),
          actField('q', record.table),
          record.id,
          String(record.createdAt),
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
          k.ranking(eventId),
          k.deviceVotes(eventId, device),
          k.limit(eventId, 'vote', device),
          k.participation(eventId),
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
      const reply = await call(redis.tribuneQuestionModerate(k.question(eventId, id), status));
      if (reply[0] === 'NOT_FOUND') throw questionNotFound();
      return { previous: reply[0] as QuestionStatus, question: fromFlat(reply[1] as Reply) };
    },

    async get(eventId, id) {
      const h = await call(redis.hgetall(k.question(eventId, id)));
      return h.id ? fromHash(h) : null;
    },

    async list(eventId) {
      const ids = await call(redis.zrange(k.order(eventId), '0', '-1'));
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
