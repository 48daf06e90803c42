/**
 * The live core's store: the events' records (the registry log, server/events/records.ts) and each
 * event's live state, folded from the event log by the live rules (server/live/rules.ts), written
 * once (store.ts). One contract suite (tests/store.contract.test.ts).
 * Every write is durable before the promise resolves, so a command is acknowledged only once it
 * survives a restart.
 */
import type { AudioChannel, LiveState } from '../../shared/schemas.ts';
import type { EventRecord } from '../events/records.ts';
import type { EventLogs } from '../log/event-logs.ts';
import type { PresenceCounts } from '../live/audience.ts';
import type { LiveChangeName, LiveChangePayload } from '../live/rules.ts';

export interface Store {
  readonly kind: 'memory' | 'redis';
  /** The event logs the live state is folded from (shared with the domains: backend.ts). */
  readonly logs: EventLogs;
  /** Stores a new event and its first state; the code must not be in use (else CONFLICT). */
  createEvent(record: EventRecord, state: LiveState): Promise<void>;
  getEvent(eventId: string): Promise<EventRecord | null>;
  /** Event id for a join code (codes are stored upper-case). */
  findEventIdByCode(code: string): Promise<string | null>;
  /** Number of events stored (the demo is created when this is 0). */
  countEvents(): Promise<number>;
  /** Every event's record (the admin page's list), in no particular order. */
  listEvents(): Promise<EventRecord[]>;
  /** Replaces an event's hashed secrets (new links); NOT_FOUND for an unknown event. */
  setSecretHashes(eventId: string, secretHashes: EventRecord['secretHashes']): Promise<EventRecord>;
  getState(eventId: string): Promise<LiveState | null>;
  /**
   * Appends the change `name` (a moderator transition or a domain's change, server/live/rules.ts)
   * to the event's log and answers with the state it made, with `rev + 1`. A change that refuses
   * (a TribuneError) changes nothing and the error propagates; one that changes nothing answers
   * null. NOT_FOUND for an unknown event.
   */
  change<N extends LiveChangeName>(eventId: string, name: N, payload: LiveChangePayload<N>): Promise<LiveState | null>;
  /**
   * Records this process's attendee counts for an event and, if the total over all live
   * processes differs from `state.audience`, stores it as a state change (rev + 1).
   * Returns the new state, or null when the total did not change.
   */
  publishPresence(eventId: string, processId: string, counts: PresenceCounts): Promise<LiveState | null>;
  /**
   * Records this process's interpretation audio counts for an event (its channels with sessions
   * here: server/audio) and, if the sum over all live processes differs from `state.audio`, stores
   * it as a state change (rev + 1). Returns the new state, or null when nothing changed.
   */
  publishAudio(eventId: string, processId: string, counts: Record<string, AudioChannel>): Promise<LiveState | null>;
  /**
   * Whether the store answers now (`GET /healthz`): the embedded store always; on Redis, every
   * connection the backend uses is ready and answers a PING (bounded by the command timeout).
   */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
