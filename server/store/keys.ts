/**
 * Every Redis key (and pub/sub channel) Tribune uses, in one place, under one prefix
 * (`REDIS_PREFIX`, default `tribune`), so several deployments or test runs share one Redis and a
 * test can delete exactly its own keys (`SCAN MATCH <prefix>:*`).
 *
 * Keys of one event carry the event id in a hash tag — `tribune:{<eventId>}:state` — so they all
 * live in one Redis Cluster slot and a Lua script or MULTI may touch several of them.
 *
 *   <prefix>:{<eventId>}:record    string  EventRecord JSON (secrets hashed)
 *   <prefix>:{<eventId>}:state     string  LiveState JSON (its `rev` field included)
 *   <prefix>:{<eventId>}:rev       string  the stored state's rev, compared by the CAS script
 *   <prefix>:{<eventId>}:presence  hash    processId → {"at", "connected", "byTable"} JSON
 *   <prefix>:code:<CODE>           string  event id of a join code (upper-case)
 *   <prefix>:events                set     ids of all events
 *   <prefix>:sio:stream            stream  Socket.IO streams adapter
 *   <prefix>:sio:session:<pid>     string  Socket.IO connection-state recovery sessions
 *   <prefix>:sio:ch#…              (pub/sub channels of the adapter, not keys)
 */

/** Ids and codes are `[A-Za-z0-9_-]`; a brace would break the hash tag, a glob char the cleanup. */
const SAFE = /^[A-Za-z0-9_-]+$/;

/** Whether an id or code can name a key; anything else cannot exist in the store. */
export const isKeySafe = (value: string) => SAFE.test(value);

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
    record: (eventId: string) => eventKey(eventId, 'record'),
    state: (eventId: string) => eventKey(eventId, 'state'),
    rev: (eventId: string) => eventKey(eventId, 'rev'),
    presence: (eventId: string) => eventKey(eventId, 'presence'),
    code: (code: string) => `${prefix}:code:${checked('join code', code.toUpperCase())}`,
    events: () => `${prefix}:events`,
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
