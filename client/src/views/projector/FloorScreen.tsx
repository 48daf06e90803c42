/**
 * Projector mode `floor`: who has the floor (table, name, kind) with the turn's timer, large; the
 * queue below, as many as fit (the rest counted). Read from the back of the room: nothing under
 * about 2.5% of the screen's height.
 */
import { Timer } from '../../components/Timer.tsx';
import { useT } from '../../i18n/index.ts';
import { kindLabel, turnTimer } from '../../lib/floor.ts';
import { useStore } from '../../store/store.ts';
import './floor-screen.css';

/** Requests shown below the speaker; more are counted. */
const SHOWN = 5;

export function FloorScreen() {
  const t = useT();
  const floor = useStore((s) => s.live?.floor);
  const title = useStore((s) => s.live?.event.title ?? '');
  const tables = useStore((s) => s.live?.event.tables);
  const tableName = (table: string | null) => (table ? (tables?.find((x) => x.id === table)?.name ?? table) : null);
  const current = floor?.current ?? null;
  const queue = floor?.queue ?? [];
  const who = current ? (tableName(current.table) ?? current.name ?? t('eval.noTable')) : null;
  return (
    <div className="proj-floor" data-testid="projector-floor">
      <header className="proj-head">
        <p className="proj-event" dir="auto">
          {title}
        </p>
        <p className="proj-phase">{floor?.open ? t('floor.isOpen') : t('floor.isClosed')}</p>
      </header>
      <main className="proj-floor-now">
        <p className="proj-label">{current ? t(kindLabel[current.kind]) : t('floor.panel')}</p>
        {current ? (
          <>
            <p className="proj-speaker" data-testid="projector-floor-speaker">
              <bdi dir="auto">{who}</bdi>
            </p>
            {current.name && who !== current.name && (
              <p className="proj-delegation">
                <bdi dir="auto">{current.name}</bdi>
              </p>
            )}
            <Timer timer={turnTimer(current)} className="proj-timer" showPaused={false} />
          </>
        ) : (
          <p className="proj-soon">{t('floor.nobody')}</p>
        )}
      </main>
      <section className="proj-next proj-floor-queue" aria-label={t('floor.queue', { n: queue.length })}>
        <p className="proj-next-label">{t('floor.queue', { n: queue.length })}</p>
        {queue.length === 0 ? (
          <p className="proj-floor-empty">{t('floor.empty')}</p>
        ) : (
          <ol className="proj-next-list">
            {queue.slice(0, SHOWN).map((r) => (
              <li key={r.id} data-kind={r.kind}>
                <span className="proj-floor-kind">{t(kindLabel[r.kind])}</span>{' '}
                <bdi dir="auto" className="proj-next-who">
                  {tableName(r.table) ?? t('eval.noTable')}
                </bdi>
                {r.name && (
                  <>
                    {' · '}
                    <bdi dir="auto">{r.name}</bdi>
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
        {queue.length > SHOWN && <p className="proj-floor-more">{t('floor.more', { n: queue.length - SHOWN })}</p>}
      </section>
    </div>
  );
}
