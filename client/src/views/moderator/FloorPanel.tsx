/**
 * The debate floor on the moderator's tablet: open or close the list, who has the floor (with the
 * turn's timer, +1 min, End turn), and the queue as the server orders it (points of order, then
 * replies, then requests to speak) with kind, table and name: Give the floor in one tap, Dismiss.
 * Every action reports through the outcome line (store/commands.ts).
 */
import type { FloorRequest } from '../../../../shared/floor.ts';
import { Timer } from '../../components/Timer.tsx';
import { useT } from '../../i18n/index.ts';
import { kindLabel, turnTimer } from '../../lib/floor.ts';
import { run } from '../../store/commands.ts';
import { useStore } from '../../store/store.ts';
import { SegButton } from './SegGroup.tsx';
import './floor-panel.css';

function useTableName() {
  const tables = useStore((s) => s.live?.event.tables);
  const t = useT();
  return (table: string | null) => (table ? (tables?.find((x) => x.id === table)?.name ?? table) : t('eval.noTable'));
}

export function FloorPanel() {
  const t = useT();
  const floor = useStore((s) => s.live?.floor);
  const busyOpen = useStore((s) => (s.pending['floor-open'] ?? 0) > 0);
  const tableName = useTableName();
  if (!floor) return null;
  const { current, queue } = floor;
  return (
    <section className="mod-card fp-panel" aria-labelledby="fp-h" data-testid="floor-panel">
      <div className="fp-head">
        <h2 id="fp-h" className="mod-h">
          {t('floor.panel')}
        </h2>
        <div className="mod-row mod-seg" role="group" aria-labelledby="fp-h">
          {([true, false] as const).map((open) => (
            <SegButton
              key={String(open)}
              pressed={floor.open === open}
              pending={busyOpen}
              data-testid={open ? 'floor-open' : 'floor-close'}
              onClick={() => void run('floor-open', open ? t('floor.open') : t('floor.close'), 'floor:open', { open })}
            >
              {open ? t('floor.open') : t('floor.close')}
            </SegButton>
          ))}
        </div>
      </div>

      <div className="fp-current" data-testid="floor-current">
        <h3 className="mq-h">{t('floor.speakingNow')}</h3>
        {current ? (
          <>
            <p className="fp-who">
              <span className="fp-kind">{t(kindLabel[current.kind])}</span> <bdi dir="auto">{tableName(current.table)}</bdi>
              {current.name && (
                <>
                  {' · '}
                  <bdi dir="auto">{current.name}</bdi>
                </>
              )}
            </p>
            <div className="fp-turn">
              <Timer timer={turnTimer(current)} className="fp-timer" showPaused={false} />
              <button
                type="button"
                className="btn"
                onClick={() => void run('floor-extend', t('floor.plusMinute'), 'floor:extend', { seconds: 60 }, { repeatable: true })}
                data-testid="floor-extend"
              >
                {t('floor.plusMinute')}
              </button>
              <button type="button" className="btn btn-primary" onClick={() => void run('floor-done', t('floor.done'), 'floor:done', {})} data-testid="floor-done">
                {t('floor.done')}
              </button>
            </div>
          </>
        ) : (
          <p className="mq-empty">{t('floor.nobody')}</p>
        )}
      </div>

      <section aria-labelledby="fp-queue-h" className="mq-group">
        <h3 id="fp-queue-h" className="mq-h">
          {t('floor.queue', { n: queue.length })}
        </h3>
        {queue.length === 0 ? (
          <p className="mq-empty">{t('floor.empty')}</p>
        ) : (
          <ol className="fp-list">
            {queue.map((r) => (
              <RequestRow key={r.id} r={r} table={tableName(r.table)} />
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}

function RequestRow({ r, table }: { r: FloorRequest; table: string }) {
  const t = useT();
  const giving = useStore((s) => (s.pending[`floor-give-${r.id}`] ?? 0) > 0);
  return (
    <li className={`fp-row fp-${r.kind}`} data-testid={`floor-request-${r.id}`} data-kind={r.kind}>
      <p className="fp-row-who">
        <span className="fp-kind">{t(kindLabel[r.kind])}</span> <bdi dir="auto">{table}</bdi>
        {r.name && (
          <>
            {' · '}
            <bdi dir="auto">{r.name}</bdi>
          </>
        )}
      </p>
      <div className="fp-row-actions">
        <button
          type="button"
          className="btn btn-primary"
          aria-busy={giving || undefined}
          onClick={() => void run(`floor-give-${r.id}`, t('floor.give'), 'floor:give', { id: r.id })}
          data-testid={`floor-give-${r.id}`}
        >
          {t('floor.give')}
        </button>
        <button type="button" className="btn" onClick={() => void run(`floor-dismiss-${r.id}`, t('floor.dismiss'), 'floor:dismiss', { id: r.id })} data-testid={`floor-dismiss-${r.id}`}>
          {t('floor.dismiss')}
        </button>
      </div>
    </li>
  );
}
