/** Connection slice actions. */
import { useStore, type ConnStatus } from './store.ts';

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

export function resetConn(): void {
  useStore.setState({ conn: { status: 'idle', code: null, everConnected: false, backAt: null } });
}
