/**
 * Speaking time, planned vs. spoken, per speaker and per delegation: the tablet's evaluation and
 * report panels and the report page draw the same tables. The difference carries its sign and a
 * word ("+02:10 over"), never colour alone.
 */
import type { ReactNode } from 'react';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { useT } from '../../i18n/index.ts';
import { mmss } from '../../lib/agenda.ts';
import { Head, WhoCell, whoOf } from './Cells.tsx';
import './evaluation.css';

/** What the tables need of an item: a live `AgendaItem` or a report's `ReportItem`. */
export type TimedItem = Pick<AgendaItem, 'id' | 'speaker' | 'delegation' | 'title' | 'status' | 'plannedSeconds' | 'spokenMs'> & {
  startedAt?: number | null;
};

export interface DelegationTotal {
  name: string;
  planned: number;
  /** Planned time of the interventions that have started: the difference is measured on these. */
  plannedStarted: number;
  spoken: number;
  started: number;
}

/** Per delegation, in running order (first appearance); items without one share the "—" row. */
export function delegationTotals(items: readonly TimedItem[]): DelegationTotal[] {
  const by = new Map<string, DelegationTotal>();
  for (const i of items) {
    const name = i.delegation || '—';
    let d = by.get(name);
    if (!d) by.set(name, (d = { name, planned: 0, plannedStarted: 0, spoken: 0, started: 0 }));
    const started = i.status !== 'planned';
    d.planned += i.plannedSeconds * 1000;
    d.plannedStarted += started ? i.plannedSeconds * 1000 : 0;
    d.spoken += started ? i.spokenMs : 0;
    d.started += started ? 1 : 0;
  }
  return [...by.values()];
}

interface Props {
  /** In running order; the live item's `spokenMs` already counts its running timer. */
  items: readonly TimedItem[];
  testPrefix?: string;
  /** The report: a "started" column in this clock time, and the interventions' titles. */
  clock?: Intl.DateTimeFormat;
  /** The event is over: an intervention that never started "did not take place" (else "not yet"). */
  final?: boolean;
}

export function SpeakingTimeTables({ items, testPrefix = '', clock, final = false }: Props) {
  const t = useT();
  const notYet = final ? t('rep.notHeld') : t('eval.notYet');
  return (
    <div className="mq-time">
      <TimeTable testId={`${testPrefix}speaking-time`} caption={t('eval.perSpeaker')} who={t('eval.speaker')} started={clock ? t('rep.started') : null}>
        {(cols) =>
          items.map((item) => {
            const held = item.status !== 'planned';
            return (
              <TimeRow
                key={item.id}
                cols={cols}
                className={item.status === 'live' ? 'is-live' : undefined}
                testId={`${testPrefix}time-${item.id}`}
                {...whoOf(item)}
                {...(clock ? { title: item.title, started: item.startedAt ? clock.format(item.startedAt) : '—' } : {})}
                planned={item.plannedSeconds * 1000}
                spoken={held ? item.spokenMs : null}
                // Planned at 0: no limit, so no difference (as the server's overTimeMs).
                diff={held && item.plannedSeconds > 0 ? item.spokenMs - item.plannedSeconds * 1000 : null}
                notYet={held ? '—' : notYet}
              />
            );
          })
        }
      </TimeTable>
      <TimeTable testId={`${testPrefix}speaking-time-delegations`} caption={t('eval.perDelegation')} who={t('eval.delegation')} started={null}>
        {(cols) =>
          delegationTotals(items).map((d) => (
            <TimeRow
              key={d.name}
              cols={cols}
              who={d.name}
              sub=""
              planned={d.planned}
              spoken={d.spoken}
              diff={d.started ? d.spoken - d.plannedStarted : null}
              notYet={notYet}
            />
          ))
        }
      </TimeTable>
    </div>
  );
}

/** "+01:20 over" / "−00:40 under": the sign and the word, not colour alone. */
function Diff({ ms }: { ms: number }) {
  const t = useT();
  if (Math.abs(ms) < 1000) return <span className="mq-muted">{t('eval.onTime')}</span>;
  return ms > 0 ? (
    <span className="mq-over">{t('eval.over', { time: mmss(ms) })}</span>
  ) : (
    <span className="mq-under">{t('eval.under', { time: mmss(-ms) })}</span>
  );
}

function TimeTable(props: { testId: string; caption: string; who: string; started: string | null; children: (cols: string[]) => ReactNode }) {
  const t = useT();
  const cols = [props.who, ...(props.started ? [props.started] : []), t('eval.planned'), t('eval.spoken'), t('eval.difference')];
  return (
    <table className="mq-table" data-testid={props.testId}>
      <caption className="mq-caption">{props.caption}</caption>
      <Head cols={cols} />
      <tbody>{props.children(cols)}</tbody>
    </table>
  );
}

interface RowProps {
  cols: string[];
  who: string;
  sub: string;
  title?: string;
  /** The clock time it started, when the table has that column. */
  started?: string;
  planned: number;
  spoken: number | null;
  diff: number | null;
  notYet: string;
  className?: string | undefined;
  testId?: string;
}

/** Planned, spoken ("—" while null) and the difference (`notYet` while null). */
function TimeRow(props: RowProps) {
  const { cols } = props;
  const at = props.started === undefined ? 1 : 2; // the first numeric column's header
  const over = props.diff !== null && props.diff >= 1000;
  return (
    <tr className={[props.className, over ? 'is-over' : ''].filter(Boolean).join(' ') || undefined} data-testid={props.testId} data-over={over || undefined}>
      <WhoCell who={props.who} sub={props.sub} {...(props.title ? { title: props.title } : {})} />
      {props.started !== undefined && (
        <td className="mq-num" data-label={cols[1]}>
          {props.started}
        </td>
      )}
      <td className="mq-num" data-label={cols[at]}>
        {mmss(props.planned)}
      </td>
      <td className="mq-num" data-label={cols[at + 1]}>
        {props.spoken === null ? '—' : mmss(props.spoken)}
      </td>
      <td data-label={cols[at + 2]}>{props.diff === null ? <span className="mq-muted">{props.notYet}</span> : <Diff ms={props.diff} />}</td>
    </tr>
  );
}
