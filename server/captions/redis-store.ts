/**
 * The captions store on Redis. Per event and language (keys.ts `captions.*`, all under the event's
 * hash tag):
 *
 *   captions:seq:<lang>            string  last seq handed out (INCR: one sequence for all processes)
 *   captions:ord:<lang>            string  last segment ordinal (a new final segment takes the next)
 *   captions:segments:<lang>       hash    segment id → {"o": ordinal, "i": itemId} (what a correction needs)
 *   captions:log:<lang>            stream  every final caption stored, in seq order (XADD … MAXLEN ~): fields
 *                                          seq, ord, caption JSON (what caption resume reads, from the end)
 *   captions:item:<lang>:i:<item>  zset    the item's latest finals: score = ordinal, member = Caption JSON,
 *   captions:item:<lang>:none             capped to the history size (what `captions:history` reads)
 *   captions:transcript:<lang>     zset    every final segment: score = ordinal, member = TranscriptLine
 *                                          JSON of its latest version (the report; never capped)
 *   captions:glossary              string  Glossary JSON
 *   captions:display               string  CaptionDisplay JSON
 *   captions:presence              hash    processId → {"at", "phones", "interpreters"} JSON
 *
 * A final is stored by one Lua script (seq, ordinal, segment, log and history at once), so two
 * processes never interleave halves of two writes. Failures of Redis become UNAVAILABLE (redis.ts).
 */
import type { Redis } from 'ioredis';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Caption, CaptionDisplay, Glossary } from '../../shared/captions.ts';
import type { TranscriptLine } from '../../shared/report.ts';
import type { Keys } from '../store/keys.ts';
import { PRESENCE_LUA, call } from '../store/redis.ts';
import {
  CAPTION_PRESENCE_STALE_MS,
  DEFAULT_CAPTION_STORE_OPTIONS,
  sumCaptionPresence,
  type CaptionPresence,
  type CaptionStore,
  type CaptionStoreOptions,
} from './store.ts';

/** Entries kept in each language's log stream (approximate trimming, `MAXLEN ~`). */
const LOG_MAX_LEN = 20_000;
/** Caption resume reads the log from its end in batches growing from this size (most drops are short). */
const RESUME_FIRST_BATCH = 64;
const RESUME_MAX_BATCH = 1024;

/**
 * KEYS: seq, ord, segments, log, transcript. ARGV: id, item key prefix, itemId ('' = none), correctable,
 * history cap, log max len, lang, text, source, at.
 * Returns {seq, itemId ('' = none)} or {-1} when the segment is too old to correct.
 * The item's sorted set is named from ARGV[2] (same hash tag, so the same cluster slot): which
 * item a correction belongs to is only known once the segment is read here.
 */
const APPEND_FINAL_LUA = `
local info = redis.call('HGET', KEYS[3], ARGV[1])
local ord, item, first
if info then
  local d = cjson.decode(info)
  ord = tonumber(d.o)
  item = d.i
  first = tonumber(d.a) or tonumber(ARGV[10])
  local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
  if cur - ord >= tonumber(ARGV[4]) then return {-1} end
else
  ord = redis.call('INCR', KEYS[2])
  item = ARGV[3]
  first = tonumber(ARGV[10])
  redis.call('HSET', KEYS[3], ARGV[1], cjson.encode({o = ord, i = item, a = first}))
end
local seq = redis.call('INCR', KEYS[1])
local itemValue = cjson.null
if item ~= '' then itemValue = item end
local caption = cjson.encode({lang = ARGV[7], id = ARGV[1], itemId = itemValue, seq = seq, text = ARGV[8],
  final = true, source = ARGV[9], at = tonumber(ARGV[10])})
local itemKey = ARGV[2] .. 'none'
if item ~= '' then itemKey = ARGV[2] .. 'i:' .. item end
redis.call('ZREMRANGEBYSCORE', itemKey, ord, ord)
redis.call('ZADD', itemKey, ord, caption)
redis.call('ZREMRANGEBYRANK', itemKey, 0, -(tonumber(ARGV[5]) + 1))
redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[6], '*', 'seq', seq, 'ord', ord, 'caption', caption)
redis.call('ZREMRANGEBYSCORE', KEYS[5], ord, ord)
redis.call('ZADD', KEYS[5], ord, cjson.encode({itemId = itemValue, id = ARGV[1], text = ARGV[8], source = ARGV[9], at = first}))
return {seq, item}
`;

interface Scripts {
  tribuneCaptionFinal(...args: string[]): Promise<[number, string] | [number]>;
  tribuneCaptionPresence(key: string, processId: string, counts: string, staleMs: string): Promise<string[]>;
}

/** cjson writes "/" as "\/" and may drop a trailing ".0": parse, then give the wire shape. */
function parseCaption(json: string): Caption {
  const c = JSON.parse(json) as Caption & { itemId?: string | null };
  return {
    lang: c.lang,
    id: c.id,
    itemId: c.itemId ?? null,
    seq: Number(c.seq),
    text: c.text,
    final: true,
    source: c.source,
    at: Number(c.at),
  };
}

/** A stream entry's fields (`[name, value, name, value, …]`) by name. */
function streamFields(flat: string[]): Record<string, string | undefined> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/** `redis` is a connection with storeClientOptions (bounded commands); the caller owns it. */
export function createRedisCaptionStore(redis: Redis, keys: Keys, options: Partial<CaptionStoreOptions> = {}): CaptionStore {
  const opts = { ...DEFAULT_CAPTION_STORE_OPTIONS, ...options };
  const r = redis as Redis & Scripts;
  if (!(r as Partial<Scripts>).tribuneCaptionFinal) {
    r.defineCommand('tribuneCaptionFinal', { numberOfKeys: 5, lua: APPEND_FINAL_LUA });
    r.defineCommand('tribuneCaptionPresence', { numberOfKeys: 1, lua: PRESENCE_LUA });
  }
  const k = keys.captions;

  return {
    kind: 'redis',
    async nextSeq(eventId, lang) {
      return call(r.incr(k.seq(eventId, lang)));
    },
    async appendFinal(eventId, input) {
      const reply = await call(
        r.tribuneCaptionFinal(
          k.seq(eventId, input.lang),
          k.ord(eventId, input.lang),
          k.segments(eventId, input.lang),
          k.log(eventId, input.lang),
          k.transcript(eventId, input.lang),
          input.id,
          k.itemPrefix(eventId, input.lang),
          input.itemId ?? '',
          String(opts.correctableSegments),
          String(opts.historyItems),
          String(LOG_MAX_LEN),
          input.lang,
          input.text,
          input.source,
          String(input.at),
        ),
      );
      if (reply[0] === -1) throw new TribuneError(ErrorCode.CONFLICT, 'this segment is too old to correct', 'segmentTooOld');
      const [seq, item] = reply as [number, string];
      return {
        lang: input.lang,
        id: input.id,
        itemId: item === '' ? null : item,
        seq: Number(seq),
        text: input.text,
        final: true,
        source: input.source,
        at: input.at,
      };
    },
    async since(eventId, lang, after, limit) {
      // The log holds every final version in seq order (written by the same script that takes the
      // seq): read it from the newest back to `after`, keeping each segment's newest version.
      const key = k.log(eventId, lang);
      const items: Caption[] = [];
      const seen = new Set<string>();
      let end = '+';
      let batch = RESUME_FIRST_BATCH;
      let scanned = 0;
      for (;;) {
        const entries = await call(r.xrevrange(key, end, '-', 'COUNT', batch));
        for (const [id, fields] of entries) {
          end = `(${id}`;
          scanned++;
          const f = streamFields(fields);
          if (Number(f.seq) <= after) return { items: items.reverse(), truncated: false };
          if (seen.has(f.ord!)) continue; // an older version of a segment already taken
          seen.add(f.ord!);
          if (items.length === limit) return { items: items.reverse(), truncated: true };
          items.push(parseCaption(f.caption!));
        }
        if (entries.length < batch) {
          // The whole log read without reaching `after`: complete, unless trimming dropped its start.
          return { items: items.reverse(), truncated: scanned >= LOG_MAX_LEN };
        }
        batch = Math.min(batch * 2, RESUME_MAX_BATCH);
      }
    },
    async lastSeq(eventId, lang) {
      return Number((await call(r.get(k.seq(eventId, lang)))) ?? 0);
    },
    async history(eventId, lang, itemId) {
      const key = k.itemPrefix(eventId, lang) + (itemId === null ? 'none' : `i:${itemId}`);
      const members = await call(r.zrange(key, '0', '-1'));
      return members.map(parseCaption);
    },
    async transcript(eventId, lang) {
      const members = await call(r.zrange(k.transcript(eventId, lang), '0', '-1'));
      return members.map((json) => {
        const l = JSON.parse(json) as TranscriptLine & { itemId?: string | null; at: number | string };
        return { itemId: l.itemId ?? null, id: l.id, text: l.text, source: l.source, at: Number(l.at) };
      });
    },
    async getGlossary(eventId) {
      const raw = await call(r.get(k.glossary(eventId)));
      return raw ? (JSON.parse(raw) as Glossary) : { entries: [], updatedAt: 0 };
    },
    async setGlossary(eventId, entries, at) {
      const g: Glossary = { entries, updatedAt: at };
      await call(r.set(k.glossary(eventId), JSON.stringify(g)));
      return g;
    },
    async getDisplay(eventId) {
      const raw = await call(r.get(k.display(eventId)));
      return raw ? (JSON.parse(raw) as CaptionDisplay) : null;
    },
    async setDisplay(eventId, display) {
      await call(r.set(k.display(eventId), JSON.stringify(display)));
    },
    async publishPresence(eventId, processId, counts: CaptionPresence) {
      const empty = Object.keys(counts.phones).length === 0 && Object.keys(counts.interpreters).length === 0;
      const entry = empty ? '' : JSON.stringify({ phones: counts.phones, interpreters: counts.interpreters });
      const live = await call(
        r.tribuneCaptionPresence(k.presence(eventId), processId, entry, String(CAPTION_PRESENCE_STALE_MS)),
      );
      return sumCaptionPresence(live.map((json) => JSON.parse(json) as CaptionPresence));
    },
    async close() {
      // The connection belongs to the backend (backend.ts), which closes it.
    },
  };
}
