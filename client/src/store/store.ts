/**
 * The one client store, in slices. Actions live outside components (store/conn.ts,
 * store/live.ts, store/commands.ts) and call `useStore.setState`; components select the
 * smallest slice they need.
 */
import { create } from 'zustand';
import type { ErrorCode } from '../../../shared/errors.ts';
import type { Phase, ProjectorMode, PublicState } from '../../../shared/schemas.ts';

export type ConnStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface ConnSlice {
  conn: {
    status: ConnStatus;
    /** The error code of the last refused handshake (`NOT_FOUND`, `AUTH_FAILED`, ...). */
    code: string | null;
    /** True once this page has been connected: later losses say "reconnecting". */
    everConnected: boolean;
    /** When the connection came back after a loss (for a brief "Back online"). */
    backAt: number | null;
  };
}

export interface LiveSlice {
  /** The last applied `state` (highest `rev`), or null before the first one. */
  live: PublicState | null;
  /** serverTime − Date.now(), best estimate: server clock = Date.now() + clockOffset. */
  clockOffset: number;
}

export type OutcomeKind = 'pending' | 'ok' | 'error';

export interface CommandSlice {
  /** Commands awaiting their ack, counted per key (a button shows itself busy while > 0). */
  pending: Record<string, number>;
  /** What the moderator asked for and has not been confirmed yet: shown as if done. */
  optimistic: { itemId?: string; phase?: Phase; mode?: ProjectorMode };
  /** The last command's outcome, for the status line. `seq` makes a repeat message re-announce. */
  outcome: { kind: OutcomeKind; text: string; code?: ErrorCode | string; seq: number } | null;
}

export type TribuneStore = ConnSlice & LiveSlice & CommandSlice;

export const initialStore: TribuneStore = {
  conn: { status: 'idle', code: null, everConnected: false, backAt: null },
  live: null,
  clockOffset: 0,
  pending: {},
  optimistic: {},
  outcome: null,
};

export const useStore = create<TribuneStore>()(() => ({ ...initialStore }));

/** The server's clock now (ms epoch), from the last offset estimate. */
export function serverNow(): number {
  return Date.now() + useStore.getState().clockOffset;
}
