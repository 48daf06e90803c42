/**
 * The one live store: records from `Records`, the live state from the event log (the live rules,
 * server/live/rules.ts), the audience from every process's presence (`Ephemeral`). Written once for
 * both backends; `createMemoryStore` and `createRedisStore` compose it on their own log.
 */
import { audioState, sameAudio, sumAudio } from '../../shared/audio.ts';
import { newId } from '../auth/secrets.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { liveReducer, noSuchEvent } from '../live/rules.ts';
import { PRESENCE_STALE_MS, sameAudience, sumPresence } from './presence.ts';
import type { LiveState } from '../../shared/schemas.ts';
import type { PresenceCounts, Records, Store } from './types.ts';

export function createStore(records: Records, logs: EventLogs, ephemeral: Ephemeral): Store {
  /** Events whose record was seen (records are never deleted): their state needs no second look. */
  const existing = new Set<string>();
  /** Whether the event exists: its record is stored (a log alone may be a creation refused for its code). */
  async function known(eventId: string): Promise<boolean> {
    if (existing.has(eventId)) return true;
    if (!(await records.get(eventId))) return false;
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
    kind: records.kind,
    logs,
    async createEvent(record, state) {
      // The state first: a record (and its code) never names an event without one. A creation
      // refused for its code leaves only a log nobody names.
      await logs.append(record.id, { kind: 'live.create', payload: { state } });
      await records.create(record);
    },
    getEvent: (id) => records.get(id),
    findEventIdByCode: (code) => records.findIdByCode(code),
    countEvents: () => records.count(),
    listEvents: () => records.list(),
    setSecretHashes: (id, hashes) => records.setSecretHashes(id, hashes),
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
    healthy: () => records.healthy(),
    async close() {
      await records.close();
    },
  };
}
