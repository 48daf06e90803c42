/**
 * The debate floor per table (`Report.floor`): turns given and ended, and their spoken time; one
 * row per table that had a turn, requesters without a table last.
 */
import type { FloorTally } from '../../../../shared/floor.ts';
import type { PublicEvent } from '../../../../shared/schemas.ts';
import { useT } from '../../i18n/index.ts';
import { mmss } from '../../lib/agenda.ts';
import { Head } from './Cells.tsx';
import './evaluation.css';

export function FloorTable({ tables, floor }: { tables: PublicEvent['tables']; floor: FloorTally[] | undefined }) {
  const t = useT();
  const rows = [...(floor ?? [])].sort((a, b) => (a.table === null ? 1 : 0) - (b.table === null ? 1 : 0));
  if (!rows.length) return <p data-testid="report-floor-empty">{t('floor.noTurns')}</p>;
  const cols = [t('eval.table'), t('floor.turns'), t('floor.spoken')];
  return (
    <table className="mq-table" data-testid="report-floor-table">
      <caption className="visually-hidden">{t('floor.perTable')}</caption>
      <Head cols={cols} />
      <tbody>
        {rows.map((r) => (
          <tr key={r.table ?? ''} data-testid={`report-floor-${r.table ?? 'none'}`}>
            <th scope="row">
              <bdi dir="auto">{r.table ? (tables.find((x) => x.id === r.table)?.name ?? r.table) : t('eval.noTable')}</bdi>
            </th>
            <td className="mq-num" data-label={cols[1]}>
              {r.turns}
            </td>
            <td className="mq-num" data-label={cols[2]}>
              <span dir="ltr">{mmss(r.spokenMs)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
