/**
 * The item on stage, as the phone's NOW card and the projector's queue screen both show it:
 * speaker (or delegation), delegation, title, then the timer and the slide page. Class names
 * are `${prefix}-speaker`, `${prefix}-delegation`, … so each view keeps its own styling.
 */
import type { AgendaItem } from '../../../shared/schemas.ts';
import type { TimerLike } from '../../../shared/time.ts';
import { useT } from '../i18n/index.ts';
import { Timer } from './Timer.tsx';

export function StageItem({ prefix, item, timer, page }: { prefix: string; item: AgendaItem; timer: TimerLike; page: number | null }) {
  const t = useT();
  return (
    <>
      <p className={`${prefix}-speaker`} data-testid="now-speaker" dir="auto" lang={item.language}>
        {item.speaker || item.delegation}
      </p>
      {item.speaker && item.delegation && (
        <p className={`${prefix}-delegation`} data-testid="now-delegation" dir="auto">
          {item.delegation}
        </p>
      )}
      {item.title && (
        <p className={`${prefix}-title`} dir="auto" lang={item.language}>
          {item.title}
        </p>
      )}
      <div className={`${prefix}-meta`}>
        <Timer timer={timer} className={`${prefix}-timer`} />
        {page !== null && (
          <span className={`${prefix}-slide`} data-testid="slide-page" dir="ltr">
            {t('common.slideN', { n: page })}
          </span>
        )}
      </div>
    </>
  );
}
