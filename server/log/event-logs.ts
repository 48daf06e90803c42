/**
 * The one write path (ARCHITECTURE.md "Storage"): `append` stores an entry in the event's log, folds
 * the log up to it through the domains' reducers, and answers with that reducer's verdict for that
 * entry. Every process folds every entry of an event in log order, so they all reach the same state;
 * on a shared backend (Redis) a process reads the entries others appended before it folds its own,
 * and before a read (`state`), so what was acknowledged anywhere is seen everywhere.
 *
 * A snapshot of every domain's state is saved every `snapshotEvery` entries (by the process that
 * appended that entry); an event is loaded from its snapshot and the entries after it. A large
 * state is saved less often (`SNAPSHOT_BYTES_PER_ENTRY`), so snapshots cost about what entries do.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';
import type { Draft, Entry, LogBackend, Snapshot } from './types.ts';

/**
 * A domain's rules: a deterministic fold of its entries (kinds `<name>.…`). `apply` depends on the
 * state and the entry alone (time is `entry.at`, never the clock); it may update the state in place
 * and returns its verdict for the entry (what the ack carries), or throws a TribuneError to refuse
 * it, leaving the state as it was.
 */
export interface Reducer<S = unknown, V = unknown> {
  readonly name: string;
  initial(): S;
  apply(state: S, entry: Entry): V;
  /** The state as JSON (a snapshot) and back: `load(save(s))` folds on exactly as `s`. */
  save(state: S): unknown;
  load(json: unknown): S;
}

export type Verdict = { ok: true; value: unknown } | { ok: false; error: TribuneError };

/**
 * Called after each entry is folded, with its verdict (the broadcast hook); `mine`: this process
 * appended it (it sends what changed; the others only fold it, when they next read).
 */
export type FoldListener = (eventId: string, entry: Entry, verdict: Verdict, mine: boolean) => void;

export interface EventLogs {
  readonly backend: LogBackend;
  /**
   * Appends the entry and resolves with its reducer's verdict, or rejects with its refusal
   * (UNAVAILABLE when the backend failed: the entry may or may not be kept; a retry is folded as
   * a retry by the domain's rules).
   */
  append<V>(eventId: string, draft: Draft): Promise<V>;
  /** A domain's state of the event, with every entry acknowledged before this call folded in. */
  state<S>(eventId: string, reducer: Reducer<S>): Promise<S>;
  /** The state folded so far, without reading the backend (null: the event is not loaded here). */
  peek<S>(eventId: string, reducer: Reducer<S>): S | null;
  /** The position folded so far (0: nothing). */
  position(eventId: string): number;
  onFold(listener: FoldListener): void;
  close(): Promise<void>;
}

export interface EventLogsOptions {
  logger?: Logger;
  /** A snapshot every this many entries (default 1000), or a power of two times more for a large state. */
  snapshotEvery?: number;
  /** Entries read per round trip when catching up (default 1000). */
  batch?: number;
}

const RECENT_VERDICTS = 10_000;

/**
 * Snapshot bytes per entry they cover, at most (about an entry's own size). An evening's questions
 * are ~1 MB of JSON: saved every 1 000 entries, their snapshots cost more than the entries (+40% CPU
 * per vote in the question storm); past `SNAPSHOT_SMALL`, the interval doubles until they fit.
 */
const SNAPSHOT_BYTES_PER_ENTRY = 200;
const SNAPSHOT_SMALL = 64 * 1024;

interface Folding {
  seq: number;
  states: Map<string, unknown>;
  /** Entries this process appended and has not folded yet, by seq. */
  mine: Map<number, Entry>;
  /** Verdicts of this process's entries, until its `append` takes them. */
  verdicts: Map<number, Verdict>;
  loading: Promise<void> | null;
  /** The read in flight, and the one queued after it (callers who need a read that starts now). */
  reading: Promise<void> | null;
  next: Promise<void> | null;
  /** Entries between this process's snapshots: `snapshotEvery`, or more once it has seen the state's size. */
  every: number;
}

export function createEventLogs(backend: LogBackend, reducers: Reducer<any, any>[], options: EventLogsOptions = {}): EventLogs {
  const byName = new Map(reducers.map((r) => [r.name, r]));
  const snapshotEvery = options.snapshotEvery ?? 1_000;
  const batch = options.batch ?? 1_000;
  const me = randomBytes(6).toString('base64url');
  const events = new Map<string, Folding>();
  const listeners: FoldListener[] = [];

  function folding(eventId: string): Folding {
    let f = events.get(eventId);
    if (!f) {
      f = { seq: 0, states: new Map(), mine: new Map(), verdicts: new Map(), loading: null, reading: null, next: null, every: snapshotEvery };
      events.set(eventId, f);
      f.loading = load(eventId, f).finally(() => (f!.loading = null));
    }
    return f;
  }

  function stateOf<S>(f: Folding, reducer: Reducer<S>): S {
    let s = f.states.get(reducer.name) as S | undefined;
    if (s === undefined) f.states.set(reducer.name, (s = reducer.initial()));
    return s;
  }

  function restore(f: Folding, snapshot: Snapshot) {
    f.states = new Map();
    for (const [name, json] of Object.entries(snapshot.states)) {
      const r = byName.get(name);
      if (r) f.states.set(name, r.load(json));
    }
    f.seq = snapshot.seq;
  }

  async function load(eventId: string, f: Folding) {
    try {
      const snapshot = await backend.loadSnapshot(eventId);
      if (snapshot) restore(f, snapshot);
      await drain(eventId, f);
    } catch (err) {
      // Nothing folded stays: the next caller loads again.
      events.delete(eventId);
      throw err;
    }
  }

  function fold(eventId: string, f: Folding, entry: Entry) {
    const dot = entry.kind.indexOf('.');
    const reducer = byName.get(dot > 0 ? entry.kind.slice(0, dot) : entry.kind);
    let verdict: Verdict;
    if (!reducer) {
      verdict = { ok: false, error: new TribuneError(ErrorCode.INTERNAL, `no domain folds ${entry.kind}`) };
    } else {
      try {
        verdict = { ok: true, value: reducer.apply(stateOf(f, reducer), entry) };
      } catch (err) {
        if (err instanceof TribuneError) verdict = { ok: false, error: err };
        else {
          options.logger?.error({ eventId, seq: entry.seq, kind: entry.kind, err: String(err) }, 'a reducer failed');
          verdict = { ok: false, error: new TribuneError(ErrorCode.INTERNAL, 'the entry could not be applied') };
        }
      }
    }
    f.seq = entry.seq;
    f.mine.delete(entry.seq);
    if (entry.by === me) {
      f.verdicts.set(entry.seq, verdict);
      if (f.verdicts.size > RECENT_VERDICTS) f.verdicts.delete(f.verdicts.keys().next().value!);
      if (entry.seq % f.every === 0) void snapshot(eventId, f);
    }
    for (const l of listeners) l(eventId, entry, verdict, entry.by === me);
  }

  async function snapshot(eventId: string, f: Folding) {
    const states: Record<string, unknown> = {};
    for (const [name, s] of f.states) states[name] = byName.get(name)!.save(s);
    // Made now, while the states are those at this seq (folding goes on while the backend writes).
    const json = JSON.stringify({ seq: f.seq, states } satisfies Snapshot);
    // A multiple of the interval stays one of the next: processes that disagree on it still agree on some.
    const factor = json.length > SNAPSHOT_SMALL ? Math.ceil(Math.log2(json.length / (snapshotEvery * SNAPSHOT_BYTES_PER_ENTRY))) : 0;
    f.every = snapshotEvery * 2 ** Math.max(0, factor);
    try {
      await backend.saveSnapshot(eventId, f.seq, json);
    } catch (err) {
      options.logger?.warn({ eventId, err: String(err) }, 'log snapshot not saved (the next one will be)');
    }
  }

  /** One read from the backend, folded. Resolves with how many entries it brought. */
  async function readOnce(eventId: string, f: Folding): Promise<number> {
    const entries = await backend.read(eventId, f.seq, batch);
    if (entries.length && entries[0]!.seq > f.seq + 1) {
      // Trimmed under a snapshot while this process was behind: start again from the snapshot.
      const snap = await backend.loadSnapshot(eventId);
      if (!snap || snap.seq + 1 < entries[0]!.seq) {
        throw new TribuneError(ErrorCode.INTERNAL, `the log of ${eventId} misses entries ${f.seq + 1}–${entries[0]!.seq - 1}`);
      }
      if (snap.seq > f.seq) restore(f, snap);
    }
    for (const e of entries) if (e.seq === f.seq + 1) fold(eventId, f, e);
    return entries.length;
  }

  /** Reads until the backend has nothing more; one read at a time per event. */
  function drain(eventId: string, f: Folding): Promise<void> {
    if (f.reading) return f.reading;
    f.reading = (async () => {
      try {
        while ((await readOnce(eventId, f)) >= batch);
      } finally {
        f.reading = null;
      }
    })();
    return f.reading;
  }

  /** A drain that starts after this call (one in flight may have started before an entry was acknowledged). */
  function freshDrain(eventId: string, f: Folding): Promise<void> {
    if (!f.reading) return drain(eventId, f);
    f.next ??= f.reading.then(
      () => ((f.next = null), drain(eventId, f)),
      () => ((f.next = null), drain(eventId, f)),
    );
    return f.next;
  }

  async function ready(eventId: string): Promise<Folding> {
    const f = folding(eventId);
    if (f.loading) await f.loading;
    return f;
  }

  return {
    backend,
    async append<V>(eventId: string, draft: Draft): Promise<V> {
      const f = await ready(eventId);
      const entry = { ...draft, at: Date.now(), by: me };
      const seq = await backend.append(eventId, entry);
      if (seq > f.seq) f.mine.set(seq, { ...entry, seq });
      // Fold up to it: this process's own entries from memory, the others' read from the backend.
      while (f.seq < seq) {
        const own = f.mine.get(f.seq + 1);
        if (own) fold(eventId, f, own);
        else if ((await freshDrain(eventId, f), f.seq < seq) && !f.mine.has(f.seq + 1)) {
          throw new TribuneError(ErrorCode.UNAVAILABLE, 'the log could not be read back, retry', 'storeUnavailable');
        }
      }
      const verdict = f.verdicts.get(seq);
      f.verdicts.delete(seq);
      // Folded inside a snapshot this process loaded while far behind: the outcome is not known here.
      if (!verdict) throw new TribuneError(ErrorCode.UNAVAILABLE, 'the outcome could not be read back, retry', 'storeUnavailable');
      if (!verdict.ok) throw verdict.error;
      return verdict.value as V;
    },
    async state<S>(eventId: string, reducer: Reducer<S>): Promise<S> {
      const f = await ready(eventId);
      if (backend.shared) await freshDrain(eventId, f);
      return stateOf(f, reducer);
    },
    peek<S>(eventId: string, reducer: Reducer<S>): S | null {
      const f = events.get(eventId);
      return f && !f.loading ? stateOf(f, reducer) : null;
    },
    position(eventId) {
      return events.get(eventId)?.seq ?? 0;
    },
    onFold(listener) {
      listeners.push(listener);
    },
    async close() {
      await backend.close();
    },
  };
}

/**
 * A domain's whole store: its entries appended and its folded state read, typed. A domain writes
 * its schema, its reducer (with pure selectors over its state) and its handlers; it needs no store
 * code of its own (ARCHITECTURE.md "Storage").
 */
export interface DomainLog<S, E extends Draft = Draft> {
  /** Appends the entry; resolves with the reducer's verdict or rejects with its refusal (EventLogs.append). */
  append<V>(eventId: string, entry: E): Promise<V>;
  /** The domain's state with every entry acknowledged before this call folded in. */
  state(eventId: string): Promise<S>;
  /** The state folded so far here, without reading the backend (null: not loaded). */
  peek(eventId: string): S | null;
  /** The backend's kind (what `/healthz` and the tests report). */
  readonly kind: 'memory' | 'redis';
}

export function domainLog<S, E extends Draft = Draft>(logs: EventLogs, reducer: Reducer<S>): DomainLog<S, E> {
  return {
    kind: logs.backend.kind,
    append: (eventId, entry) => logs.append(eventId, entry),
    state: (eventId) => logs.state(eventId, reducer),
    peek: (eventId) => logs.peek(eventId, reducer),
  };
}
