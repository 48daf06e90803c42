/**
 * The full running order for the audience: who is next first, then done / now / planned, marked
 * in words and signs. One tap away from the main screen (VIEWS.md), not on it.
 */
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { useT, type MessageKey } from '../../i18n/index.ts';
import { mmss, plannedLabel, upcoming } from '../../lib/agenda.ts';
import { useStore } from '../../store/store.ts';

const marks: Record<AgendaItem['status'], { sign: string; word: MessageKey }> = {
  done: { sign: '✓', word: 'order.done' },
  live: { sign: '●', word: 'order.now' },
  planned: { sign: '○', word: 'order.planned' },
};

export function RunningOrder() {
  const agenda = useStore((s) => s.live?.agenda);
  const next = useStore((s) => (s.live && s.live.stage.phase !== 'ended' ? upcoming(s.live.agenda, s.live.stage.itemId, 1)[0] : undefined));
  const t = useT();
  if (!agenda) return null;
  return (
    <>
      {next && (
        <p className="order-next surface-box" data-testid="next-up">
          <span className="order-next-label">{t('att.nextUp')}</span>
          {/* The line takes the speaker's direction; the delegation is isolated after it. */}
          <span className="order-next-line" dir="auto">
            <span className="order-next-who">{next.speaker || next.delegation}</span>
            {next.speaker && next.delegation && (
              <>
                {' · '}
                <bdi dir="auto">{next.delegation}</bdi>
              </>
            )}
          </span>
        </p>
      )}
      <ol className="order">
        {agenda.map((item, n) => {
          const mark = marks[item.status];
          return (
            <li
              key={item.id}
              className={`order-item surface-box is-${item.status}`}
              data-testid={`agenda-item-${item.id}`}
              data-status={item.status}
              aria-current={item.status === 'live' ? 'step' : undefined}
            >
              <span className="order-mark">
                <span aria-hidden="true">{mark.sign}</span>
                <span className="order-mark-word">{t(mark.word)}</span>
              </span>
              <span className="order-body">
                <span className="order-who" dir="auto">
                  <bdi dir="auto">{item.speaker || item.delegation}</bdi>
                  <span className="visually-hidden"> ({n + 1})</span>
                </span>
                {item.speaker && item.delegation && (
                  <span className="order-delegation" dir="auto">
                    {item.delegation}
                  </span>
                )}
                {item.title && (
                  <span className="order-title" dir="auto">
                    {item.title}
                  </span>
                )}
                <span className="order-time" dir="ltr">
                  {item.status === 'done' ? t('order.spoke', { time: mmss(item.spokenMs) }) : plannedLabel(item.plannedSeconds)}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
    </>
  );
}
