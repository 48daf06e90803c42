/**
 * The events' records (id, join code, hashed secrets) are history like the rest: entries of one
 * box-wide log, `REGISTRY`, folded by the rules below. A join code is taken by the first creation
 * the log orders, whatever process appended it; backends only keep and order (server/log).
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';

/** What the server keeps about an event besides its live state. Secrets are stored hashed. */
export interface EventRecord {
  id: string;
  code: string;
  createdAt: number;
  secretHashes: {
    moderator: string;
    projector: string;
    interpreters: Record<string, string>;
    /** The read-only report key (absent on events created before reports existed). */
    report?: string;
  };
}

/** The log the records live in: not an event id (those are 12 random base64url characters). */
export const REGISTRY = '_registry';

export interface RecordsState {
  byId: Record<string, EventRecord>;
  /** Upper-case join code → event id. */
  byCode: Record<string, string>;
}

/** `records.import` carries records an older version kept outside the log (taken where id and code are free). */
export type RecordsEntry =
  | { kind: 'records.create'; payload: { record: EventRecord } }
  | { kind: 'records.secrets'; payload: { id: string; secretHashes: EventRecord['secretHashes'] } }
  | { kind: 'records.import'; payload: { records: EventRecord[] } };

const put = (state: RecordsState, record: EventRecord) => {
  state.byId[record.id] = record;
  state.byCode[record.code.toUpperCase()] = record.id;
};

export const recordsReducer: Reducer<RecordsState, EventRecord | number | void> = {
  name: 'records',
  // No prototype: an id such as `__proto__` names nothing.
  initial: () => ({ byId: Object.create(null), byCode: Object.create(null) }),
  apply(state, entry: Entry) {
    const e = entry as Entry & RecordsEntry;
    switch (e.kind) {
      case 'records.create': {
        const { record } = e.payload;
        if (state.byCode[record.code.toUpperCase()] !== undefined) throw new TribuneError(ErrorCode.CONFLICT, 'join code in use');
        if (state.byId[record.id]) throw new TribuneError(ErrorCode.CONFLICT, 'event id in use');
        put(state, record);
        return record;
      }
      case 'records.secrets': {
        const current = state.byId[e.payload.id];
        if (!current) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
        const record = { ...current, secretHashes: e.payload.secretHashes };
        put(state, record);
        return record;
      }
      case 'records.import': {
        const fresh = e.payload.records.filter((r) => !state.byId[r.id] && state.byCode[r.code.toUpperCase()] === undefined);
        for (const r of fresh) put(state, r);
        return fresh.length;
      }
    }
  },
  save: (state) => state.byId,
  load(json) {
    const state = recordsReducer.initial();
    for (const record of Object.values(json as Record<string, EventRecord>)) put(state, record);
    return state;
  },
};
