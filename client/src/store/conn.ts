/** The connection slice: the socket's status as the screens show it. */
import { defineSlice, useStore } from './store.ts';

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

export const resetConn = defineSlice({
  initial: (): ConnSlice => ({ conn: { status: 'idle', code: null, everConnected: false, backAt: null } }),
  lifetime: 'connection',
});

export function setConnStatus(status: ConnStatus, code: string | null = null): void {
  useStore.setState((s) => {
    const wasDown = s.conn.everConnected && s.conn.status !== 'connected';
    const connected = status === 'connected';
    return {
      conn: {
        status,
        code: connected ? null : code,
        everConnected: s.conn.everConnected || connected,
        backAt: connected && wasDown ? Date.now() : connected ? s.conn.backAt : null,
      },
    };
  });
}
