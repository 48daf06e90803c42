/**
 * The running order as the moderator drives it: tap an item to put it on stage. Going back
 * to an item already spoken asks for confirmation inline (a mis-tap must not rewind the
 * evening, and a modal would cover Next).
 */
import { useState } from 'react';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { isolate, useT } from '../../i18n/index.ts';
import { mmss, plannedLabel } from '../../lib/agenda.ts';
import { run } from '../../store/commands.ts';
import { useStore } from '../../store/store.ts';
import { usePageDir, whoClass } from '../../components/who.ts';

function who(item: AgendaItem): string {
  return item.speaker || item.delegation || item.title || item.id;
}

export function AgendaList() {
  const agenda = useStore((s) => s.live?.agenda);
  const goingTo = useStore((s) => s.optimistic.itemId);
  const [confirming, setConfirming] = useState<string | null>(null);
  const t = useT();
  const page = usePageDir();
  if (!agenda) return null;

  const go = (item: AgendaItem) => {
    setConfirming(null);
    void run(`go:${item.id}`, t('mod.goTo', { who: isolate(who(item)) }), 'agenda:go', { itemId: item.id }, { optimistic: { itemId: item.id } });
  };

  return (
    <ol className="mod-list">
      {agenda.map((item, n) => {
        const pending = goingTo === item.id && item.status !== 'live';
        const asking = confirming === item.id;
        return (
          <li
            key={item.id}
            className={`mod-item is-${item.status}${pending ? ' is-pending' : ''}`}
            data-testid={`agenda-item-${item.id}`}
            data-status={item.status}
            aria-current={item.status === 'live' ? 'step' : undefined}
          >
            <button
              type="button"
              className="mod-item-btn"
              aria-expanded={item.status === 'done' ? asking : undefined}
              aria-busy={pending || undefined}
              onClick={() => {
                if (item.status === 'live') return;
                if (item.status === 'done') setConfirming(asking ? null : item.id);
                else go(item);
              }}
            >
              <span className="mod-item-n" aria-hidden="true">
                {n + 1}
              </span>
              <span className="mod-item-body">
                {/* Speaker and delegation wrap as two whole pieces, never one inside the other. */}
                <span className={`mod-item-who ${whoClass(page, item.speaker || item.delegation, item.speaker && item.delegation)}`}>
                  <span>
                    <bdi dir="auto">{item.speaker || item.delegation}</bdi>
                    {item.speaker && item.delegation && ' · '}
                  </span>
                  {item.speaker && item.delegation && (
                    <bdi dir="auto" className="mod-item-del">
                      {item.delegation}
                    </bdi>
                  )}
                </span>
                {item.title && (
                  <span className="mod-item-title" dir="auto">
                    {item.title}
                  </span>
                )}
              </span>
              <span className="mod-item-state">
                {item.status === 'live' && <span className="badge badge-live">{t('mod.onStageBadge')}</span>}
                {item.status === 'done' && (
                  <span className="badge badge-done">
                    ✓ <span className="mod-item-spoken">{mmss(item.spokenMs)}</span>
                  </span>
                )}
                {item.status === 'planned' && (
                  <span className="badge badge-planned">{pending ? t('mod.goingLower') : plannedLabel(item.plannedSeconds)}</span>
                )}
                {item.status === 'done' && pending && <span className="badge badge-planned">{t('mod.goingLower')}</span>}
              </span>
            </button>
            {asking && (
              <div className="mod-confirm" role="group" aria-label={t('mod.runAgainQ', { who: isolate(who(item)) })}>
                <p>
                  {t('mod.alreadySpoken', { time: mmss(item.spokenMs) })}
                </p>
                <div className="mod-confirm-actions">
                  <button type="button" className="btn btn-primary" data-testid="confirm-rerun" onClick={() => go(item)}>
                    {t('mod.runAgain')}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(null)}>
                    {t('common.cancel')}
                  </button>
                </div>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
