/** The connection state: a quiet dot always, a calm banner only while it matters. */
import { useEffect, useState } from 'react';
import { useT, type MessageKey } from '../i18n/index.ts';
import type { ConnStatus } from '../store/conn.ts';
import { useStore } from '../store/store.ts';

type DataState = 'connected' | 'disconnected' | 'connecting' | 'refused';

function dataState(status: ConnStatus, everConnected: boolean): DataState {
  if (status === 'connected') return 'connected';
  if (status === 'refused') return 'refused';
  if (status === 'reconnecting' || (everConnected && status !== 'idle')) return 'disconnected';
  return 'connecting';
}

const labels: Record<DataState, MessageKey> = {
  connected: 'conn.live',
  disconnected: 'conn.reconnecting',
  connecting: 'conn.connecting',
  refused: 'conn.refused',
};

/** The dot (with its words for screen readers, or visible with `showLabel`). */
export function ConnDot({ showLabel = false }: { showLabel?: boolean }) {
  const status = useStore((s) => s.conn.status);
  const everConnected = useStore((s) => s.conn.everConnected);
  const state = dataState(status, everConnected);
  const t = useT();
  return (
    <span className={`conn conn-${state}`} data-testid="conn" data-state={state} title={t(labels[state])}>
      <span className="conn-dot" aria-hidden="true" />
      <span className={showLabel ? 'conn-label' : 'visually-hidden'}>{t(labels[state])}</span>
    </span>
  );
}

const BACK_ONLINE_MS = 3000;

/** "Connection lost — reconnecting…", then "Back online" briefly. */
export function ConnBanner() {
  const status = useStore((s) => s.conn.status);
  const everConnected = useStore((s) => s.conn.everConnected);
  const backAt = useStore((s) => s.conn.backAt);
  const [, rerender] = useState(0);
  const t = useT();
  const showBack = status === 'connected' && backAt !== null && Date.now() - backAt < BACK_ONLINE_MS;
  useEffect(() => {
    if (!showBack || backAt === null) return;
    const t = setTimeout(() => rerender((n) => n + 1), BACK_ONLINE_MS - (Date.now() - backAt) + 20);
    return () => clearTimeout(t);
  }, [showBack, backAt]);

  const lost = everConnected && (status === 'reconnecting' || status === 'connecting');
  return (
    <div className="conn-banner-slot" role="status" aria-live="polite">
      {lost && (
        <div className="conn-banner conn-banner-lost" data-testid="conn-banner">
          <span className="conn-dot" aria-hidden="true" /> {t('conn.lost')}
        </div>
      )}
      {showBack && (
        <div className="conn-banner conn-banner-back" data-testid="conn-banner">
          <span aria-hidden="true">✓ </span>{t('conn.back')}
        </div>
      )}
    </div>
  );
}
