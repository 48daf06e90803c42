/**
 * The evaluation grid: each item-level indicator (relevance) per speaker, then the event-level
 * ones (atmosphere, smooth running), with mean, count and the distribution. Numbers are always
 * written out: a bar is never the only carrier of a value.
 */
import type { IndicatorSummary, RatingSummary } from '../../../../shared/questions.ts';
import type { AgendaItem, Indicator } from '../../../../shared/schemas.ts';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { indicatorLabel } from '../../lib/indicators.ts';
import { Head, WhoCell, whoOf } from './Cells.tsx';
import './evaluation.css';

export type RatedItem = Pick<AgendaItem, 'id' | 'speaker' | 'delegation' | 'title' | 'status'>;

interface Props {
  items: readonly RatedItem[];
  indicators: readonly Indicator[] | undefined;
  ratings: RatingSummary | null | undefined;
  /** Before every data-testid, so two copies of the grid on one page stay apart. */
  testPrefix?: string;
}

export function RatingsTable({ items, indicators, ratings, testPrefix = '' }: Props) {
  const t = useT();
  const itemIndicators = indicators?.filter((i) => i.scope === 'item') ?? [];
  const eventIndicators = indicators?.filter((i) => i.scope === 'event') ?? [];
  const cols = [t('eval.speaker'), t('eval.indicator'), t('eval.mean'), t('eval.count'), '1 · 2 · 3 · 4 · 5'];
  return (
    <table className="mq-table" data-testid={`${testPrefix}ratings-table`}>
      <caption className="visually-hidden">{t('eval.perSpeakerCaption')}</caption>
      <Head cols={cols} />
      <tbody>
        {items.flatMap((item) =>
          itemIndicators.map((ind) => (
            <RatingRow
              key={`${item.id}-${ind.id}`}
              testId={`${testPrefix}rating-${item.id}-${ind.id}`}
              {...whoOf(item)}
              cols={cols}
              label={indicatorLabel(t, ind)}
              summary={ratings?.[item.id]?.[ind.id]}
              live={item.status === 'live'}
            />
          )),
        )}
        {eventIndicators.map((ind) => (
          <RatingRow
            key={`event-${ind.id}`}
            testId={`${testPrefix}rating-event-${ind.id}`}
            who={t('rate.evening')}
            sub=""
            cols={cols}
            label={indicatorLabel(t, ind)}
            summary={ratings?.event?.[ind.id]}
            live={false}
          />
        ))}
      </tbody>
    </table>
  );
}

function RatingRow(props: { testId: string; who: string; sub: string; cols: string[]; label: string; summary: IndicatorSummary | undefined; live: boolean }) {
  const { summary, cols } = props;
  const max = summary ? Math.max(1, ...summary.histogram) : 1;
  const t = useT();
  const ui = useUiLanguage();
  return (
    <tr data-testid={props.testId} className={props.live ? 'is-live' : undefined}>
      <WhoCell who={props.who} sub={props.sub} />
      <td className="mq-ind" data-label={cols[1]}>
        {props.label}
      </td>
      <td className="mq-num" data-label={cols[2]} data-testid={`${props.testId}-mean`}>
        {summary ? summary.mean.toFixed(1) : '—'}
      </td>
      <td className="mq-num" data-label={cols[3]} data-testid={`${props.testId}-count`}>
        {summary?.count ?? 0}
      </td>
      <td data-label={cols[4]}>
        {summary ? (
          <span className="mq-hist" role="img" aria-label={list(ui, summary.histogram.map((n, i) => t('eval.gave', { n, score: i + 1 })))}>
            {summary.histogram.map((n, i) => (
              <span key={i} className="mq-bar" aria-hidden="true">
                <span className="mq-bar-fill" style={{ blockSize: `${(n / max) * 100}%` }} />
                <span className="mq-bar-n">{n}</span>
              </span>
            ))}
          </span>
        ) : (
          <span className="mq-muted">{t('eval.noRatings')}</span>
        )}
      </td>
    </tr>
  );
}

/** "4 gave 1, 0 gave 2 and 1 gave 5", with the language's own separators. */
function list(lang: string, parts: string[]): string {
  try {
    return new Intl.ListFormat(lang, { style: 'narrow', type: 'unit' }).format(parts);
  } catch {
    return parts.join(', ');
  }
}
