/** Phones following, in total and per table (presence, coalesced by the server). */
import { PeopleIcon } from '../../components/Icon.tsx';
import { useT } from '../../i18n/index.ts';
import { useStore } from '../../store/store.ts';

export function Audience() {
  const audience = useStore((s) => s.live?.audience);
  const tables = useStore((s) => s.live?.event.tables);
  const tr = useT();
  if (!audience || !tables) return null;
  const seated = tables.reduce((sum, t) => sum + (audience.byTable[t.id] ?? 0), 0);
  const unseated = Math.max(0, audience.connected - seated);
  return (
    <div className="mod-audience" aria-label={tr('mod.audience')}>
      <span className="mod-audience-total">
        <PeopleIcon />{' '}
        <strong data-testid="audience-count">{audience.connected}</strong> {tr('mod.connected')}
      </span>
      {tables.length > 0 && (
        <ul className="mod-tables">
          {tables.map((t) => (
            <li key={t.id} data-testid={`audience-table-${t.id}`}>
              <bdi dir="auto">{t.name}</bdi> <strong>{audience.byTable[t.id] ?? 0}</strong>
            </li>
          ))}
          {unseated > 0 && (
            <li>
              {tr('mod.noTable')} <strong>{unseated}</strong>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
