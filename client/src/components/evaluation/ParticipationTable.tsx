/**
 * Participation by table: phones (connected now on the tablet, the most at once in the report),
 * then questions asked, votes standing and ratings given there; devices without a table last.
 */
import type { Participation } from '../../../../shared/questions.ts';
import type { PublicEvent } from '../../../../shared/schemas.ts';
import { useT } from '../../i18n/index.ts';
import { Head } from './Cells.tsx';
import './evaluation.css';

interface Props {
  tables: PublicEvent['tables'];
  participation: Participation | null | undefined;
  /** Phones per table id. */
  phones: Record<string, number>;
  /** Phones at no table; null: not known (peaks are kept per table only). */
  unseated: number | null;
  /** The phones column's header. */
  phonesLabel: string;
  testPrefix?: string;
}

export function ParticipationTable({ tables, participation, phones, unseated, phonesLabel, testPrefix = '' }: Props) {
  const t = useT();
  const rows = [
    ...tables.map((x) => ({ id: x.id, name: x.name, phones: phones[x.id] ?? 0, acts: participation?.byTable[x.id] })),
    { id: '', name: t('eval.noTable'), phones: unseated, acts: participation?.noTable },
  ];
  const cols = [t('eval.table'), phonesLabel, t('eval.questions'), t('eval.votes'), t('eval.ratings')];
  return (
    <table className="mq-table" data-testid={`${testPrefix}participation-table`}>
      <caption className="visually-hidden">{t('eval.participation')}</caption>
      <Head cols={cols} />
      <tbody>
        {rows.map((r) => (
          <tr key={r.id || 'none'} data-testid={`${testPrefix}participation-${r.id || 'none'}`}>
            <th scope="row">
              <bdi dir="auto">{r.name}</bdi>
            </th>
            {[r.phones, r.acts?.questions ?? 0, r.acts?.votes ?? 0, r.acts?.ratings ?? 0].map((n, i) => (
              <td key={i} className="mq-num" data-label={cols[i + 1]}>
                {n ?? '—'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
