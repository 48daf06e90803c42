/**
 * Every Redis key (and pub/sub channel) Tribune uses, in one place, under one prefix
 * (`REDIS_PREFIX`, default `tribune`), so several deployments or test runs share one Redis and a
 * test can delete exactly its own keys (`SCAN MATCH <prefix>:*`).
 *
 * Keys of one event carry the event id in a hash tag — `tribune:{<eventId>}:log` — so they all
 * live in one Redis Cluster slot and a Lua script or MULTI may touch several of them.
 *
 *   <prefix>:{_registry}:log       stream  the registry log: every event's record (server/events/records.ts)
 *   <prefix>:{<eventId>}:log       stream  the event's log (server/log/redis-log.ts), ids `0-<seq>`:
 *                                   every domain's entries (server/reducers.ts)
 *   <prefix>:{<eventId>}:log:snapshot  string  every domain's state at one seq (JSON)
 *   <prefix>:{<eventId>}:x:claim:<name>     string  a broadcast slot (server/log/ephemeral.ts), expires
 *   <prefix>:{<eventId>}:x:presence:<name>  hash    processId → {"at", "c": counts} JSON
 *   <prefix>:{<eventId>}:x:counter:<name>   string  a counter (caption seqs: `seq:<lang>`)
 *   <prefix>:{<eventId>}:slides:deck:<hash>:<n>:<size>  string  page n's JPEG bytes (size phone|screen);
 *                                   which decks exist is the event's log (server/slides/decks.ts)
 *   <prefix>:imported              string  the generation of importers that ran on this prefix (backend.ts)
 *   <prefix>:sio:stream            stream  Socket.IO streams adapter
 *   <prefix>:sio:session:<pid>     string  Socket.IO connection-state recovery sessions
 *   <prefix>:sio:ch#…              (pub/sub channels of the adapter, not keys)
 *
 * Keys an older version wrote (records, live states, captions, questions, report, deck counts) are
 * named by the importer that reads them once and deletes them (server/<domain>/import.ts).
 */

/** Ids and codes are `[A-Za-z0-9_-]`; a brace would break the hash tag, a glob char the cleanup. */
const SAFE = /^[A-Za-z0-9_-]+$/;

/** Whether an id or code can name a key; anything else cannot exist in the store. */
export const isKeySafe = (value: string) => SAFE.test(value);

/** A name made of safe parts joined by `:` (`seq:fr`). */
const SAFE_NAME = /^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)*$/;
function checkedName(kind: string, value: string): string {
  if (!SAFE_NAME.test(value)) throw new Error(`invalid ${kind} for a Redis key: ${JSON.stringify(value)}`);
  return value;
}

function checked(kind: string, value: string): string {
  if (!SAFE.test(value)) throw new Error(`invalid ${kind} for a Redis key: ${JSON.stringify(value)}`);
  return value;
}

export function createKeys(prefix: string) {
  if (!prefix || /[{}*?[\]\s]/.test(prefix)) throw new Error(`invalid Redis key prefix: ${JSON.stringify(prefix)}`);
  /** Any per-event key: keeps the event in one cluster slot. */
  const eventKey = (eventId: string, name: string) => `${prefix}:{${checked('event id', eventId)}}:${name}`;
  return {
    prefix,
    eventKey,
    /** The event's log (server/log/redis-log.ts): a stream with ids `0-<seq>`, and its latest snapshot. */
    log: {
      stream: (eventId: string) => eventKey(eventId, 'log'),
      snapshot: (eventId: string) => eventKey(eventId, 'log:snapshot'),
    },
    /** What processes share that is not history (server/log/ephemeral.ts). */
    ephemeral: {
      claim: (eventId: string, name: string) => eventKey(eventId, `x:claim:${checkedName('slot', name)}`),
      presence: (eventId: string, name: string) => eventKey(eventId, `x:presence:${checkedName('presence', name)}`),
      counter: (eventId: string, name: string) => eventKey(eventId, `x:counter:${checkedName('counter', name)}`),
    },
    /** Slides' page images (server/slides/blobs.ts): decks are content-addressed by `hash` (hex). */
    slides: {
      page: (eventId: string, hash: string, page: number, size: 'phone' | 'screen') =>
        eventKey(eventId, `slides:deck:${checked('deck hash', hash)}:${Math.trunc(page)}:${size}`),
    },
    /** Set once every importer ran on this prefix: later starts skip them (they SCAN the keyspace). */
    imported: () => `${prefix}:imported`,
    /** SCAN pattern matching every key above (prefix is glob-safe, see the check). */
    all: () => `${prefix}:*`,
    /** Options of `@socket.io/redis-streams-adapter`. */
    adapter: {
      streamName: `${prefix}:sio:stream`,
      channelPrefix: `${prefix}:sio:ch`,
      sessionKeyPrefix: `${prefix}:sio:session:`,
    },
  };
}

export type Keys = ReturnType<typeof createKeys>;
