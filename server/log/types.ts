/**
 * One ordered log per event (ARCHITECTURE.md "Storage"). Every command that changes a domain's
 * data appends one entry; each domain is a reducer folded over its entries, in order, by every
 * process. Backends only keep and order entries: they hold no rule.
 */
import type { Role } from '../../shared/schemas.ts';

/** One fact of an event's history, as stored and as folded. */
export interface Entry<P = unknown> {
  /** Position in the event's log: 1, 2, 3… with no gap, the same in every process. */
  seq: number;
  /** When it was appended (ms since the epoch), stamped once by the appending process. */
  at: number;
  /** `<domain>.<what>`: the domain whose reducer folds it, then what happened. */
  kind: string;
  payload: P;
  /** The acting device, role and table, when the domain's rules need them. */
  device?: string;
  role?: Role;
  table?: string | null;
  /** The appending process (its verdict is awaited there); not part of any rule. */
  by?: string;
}

/** What a caller appends: the log stamps `seq`, `at` and `by`. */
export type Draft<P = unknown> = Omit<Entry<P>, 'seq' | 'at' | 'by'>;

/** Every domain's state of one event at one position, as stored (JSON). */
export interface Snapshot {
  seq: number;
  states: Record<string, unknown>;
}

/**
 * Where the log lives: the embedded journal (memory-log.ts) or one Redis Stream per event
 * (redis-log.ts). Failures of a shared backend reject with TribuneError(UNAVAILABLE).
 */
export interface LogBackend {
  readonly kind: 'memory' | 'redis';
  /** Whether other processes append to the same logs (then a reader catches up before it reads). */
  readonly shared: boolean;
  /** Stores the entry durably after every earlier one of its event; resolves with its `seq`. */
  append(eventId: string, entry: Omit<Entry, 'seq'>): Promise<number>;
  /**
   * Entries of the event with `seq > after`, in order, at most `count`. An empty answer means none
   * yet; a first entry above `after + 1` means the entries between were trimmed under a snapshot.
   */
  read(eventId: string, after: number, count: number): Promise<Entry[]>;
  /** The latest snapshot of the event, or null. */
  loadSnapshot(eventId: string): Promise<Snapshot | null>;
  /**
   * Keeps a snapshot (`json`: the Snapshot as JSON, made when its seq was folded); entries at or
   * below `seq` may then be dropped. An older snapshot than the one kept is ignored.
   */
  saveSnapshot(eventId: string, seq: number, json: string): Promise<void>;
  close(): Promise<void>;
}
