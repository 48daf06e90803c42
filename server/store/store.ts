/**
 * The one live store: the events' records from the registry log (server/events/records.ts), each
 * event's live state from its log (the live rules, server/live/rules.ts), the audience from every
 * process's presence (`Ephemeral`). Written once for both backends; `createMemoryStore` and
 * `createRedisStore` compose it on their own log.
 */
import { audioState, sameAudio, sumAudio } from '../../shared/audio.ts';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { newId } from '../auth/secrets.ts';
import { recordsReducer, REGISTRY, type EventRecord, type RecordsEntry, type RecordsState } from '../events/records.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { domainLog, type EventLogs } from '../log/event-logs.ts';
import { liveReducer, noSuchEvent } from '../live/rules.ts';
import { PRESENCE_STALE_MS, sameAudience, sumPresence, type PresenceCounts } from '../live/audience.ts';
import type { LiveState } from '../../shared/schemas.ts';
import { isKeySafe } from './keys.ts';
import type { Store } from './types.ts';

/** `healthy`: whether the backend answers now (the embedded one always does). */
export function createStore(logs: EventLogs, ephemeral: Ephemeral, healthy: () => Promise<boolean> = async () => true): Store {
  const registry = domainLog<RecordsState, RecordsEntry>(logs, recordsReducer);
  const records = async () => (await registry.state(REGISTRY)).byId;
  /** Events whose record was seen (records are never deleted): their state needs no second look. */
  const existing = new Set<string>();
  /** Whether the event exists: its record is stored (a log alone may be a creation refused for its code). */
  async function known(eventId: string): Promise<boolean> {
    if (existing.has(eventId)) return true;
    if (!(await records())[eventId]) return false;
    existing.add(eventId);
    return true;
  }
  /**
   * Publishes this process's counts under `name` (presence: every process's, summed) and stores a
   * changed total as one live change of that name; `change` says what changed, or null: nothing.
   */
  async function publishCounts<C extends object>(
    eventId: string,
    name: 'audience' | 'audio',
    processId: string,
    counts: C | null,
    change: (all: C[], current: LiveState) => object | null,
  ): Promise<LiveState | null> {
    const all = await ephemeral.presence<C>(eventId, name, processId, counts, PRESENCE_STALE_MS);
    if (!(await known(eventId))) return null;
    const current = (await logs.state(eventId, liveReducer)).state;
    const payload = current && change(all, current);
    // The rules ignore a total that is already the state's (another process may have stored it).
    return payload ? logs.append(eventId, { kind: 'live.change', payload: { name, payload } }) : null;
  }
  return {
    kind: logs.backend.kind,
    logs,
    async createEvent(record, state) {
      // The state first: a record (and its code) never names an event without one. A creation
      // refused for its code leaves only a log nobody names.
      if (!isKeySafe(record.id) || !isKeySafe(record.code)) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'invalid event id or code');
      await logs.append(record.id, { kind: 'live.create', payload: { state } });
      await registry.append(REGISTRY, { kind: 'records.create', payload: { record } });
    },
    getEvent: async (id) => (await records())[id] ?? null,
    findEventIdByCode: async (code) => (await registry.state(REGISTRY)).byCode[code.trim().toUpperCase()] ?? null,
    countEvents: async () => Object.keys(await records()).length,
    listEvents: async () => Object.values(await records()),
    setSecretHashes: (id, secretHashes) => registry.append<EventRecord>(REGISTRY, { kind: 'records.secrets', payload: { id, secretHashes } }),
    async getState(eventId) {
      if (!(await known(eventId))) return null;
      return (await logs.state(eventId, liveReducer)).state;
    },
    async change(eventId, name, payload) {
      if (!(await known(eventId))) throw noSuchEvent();
      // New running-order items take ids drawn now, carried by the entry (a replay gives the same).
      const items = name === 'agenda:update' ? (payload as { items: unknown[] }).items.length : 0;
      const ids = items ? Array.from({ length: items }, () => newId(6)) : undefined;
      return logs.append(eventId, { kind: 'live.change', payload: { name, payload, ...(ids ? { ids } : {}) } });
    },
    publishPresence(eventId, processId, counts: PresenceCounts) {
      const empty = counts.connected === 0 && Object.keys(counts.byTable).length === 0;
      return publishCounts(eventId, 'audience', processId, empty ? null : counts, (all, current) => {
        const audience = sumPresence(all);
        return sameAudience(audience, current.audience) ? null : { audience };
      });
    },
    publishAudio(eventId, processId, counts) {
      return publishCounts(eventId, 'audio', processId, Object.keys(counts).length ? counts : null, (all, current) => {
        const audio = sumAudio(all);
        return sameAudio(audioState(current.event, audio), current.audio) ? null : { audio };
      });
    },
    healthy,
    async close() {
      // The logs and the ephemeral store belong to whoever opened them (backend.ts, createMemoryStore…).
    },
  };
}
