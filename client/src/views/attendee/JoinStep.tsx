/** First visit: table and language in one step (also reused by the menu to change them). */
import { useId, useState, type FormEvent } from 'react';
import type { PublicEvent } from '../../../../shared/schemas.ts';
import { useT } from '../../i18n/index.ts';
import { dirOf, nativeName } from '../../lib/lang.ts';
import type { JoinPref } from './prefs.ts';

interface Props {
  event: Pick<PublicEvent, 'title' | 'theme' | 'tables' | 'languages'>;
  initial: JoinPref;
  submitLabel: string;
  onSubmit(pref: JoinPref): void;
  onCancel?: () => void;
}

export function JoinStep({ event, initial, submitLabel, onSubmit, onCancel }: Props) {
  const [table, setTable] = useState(initial.table ?? '');
  const [lang, setLang] = useState(initial.lang);
  const id = useId();
  const t = useT();

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ table: table || null, lang });
  }

  return (
    <form className="join" onSubmit={submit}>
      {event.tables.length > 0 && (
        <div className="join-field">
          <label htmlFor={`${id}-table`}>{t('att.yourTable')}</label>
          <select
            id={`${id}-table`}
            className="input"
            data-testid="join-table"
            value={table}
            onChange={(e) => setTable(e.target.value)}
          >
            <option value="">{t('att.noTable')}</option>
            {event.tables.map((t) => (
              <option key={t.id} value={t.id} dir="auto">
                {t.city && t.city !== t.name ? `${t.name} (${t.city})` : t.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="join-field">
        <label htmlFor={`${id}-lang`}>{t('att.language')}</label>
        <select
          id={`${id}-lang`}
          className="input"
          data-testid="join-language"
          value={lang}
          onChange={(e) => setLang(e.target.value)}
        >
          {event.languages.map((l) => (
            <option key={l} value={l} lang={l} dir={dirOf(l)}>
              {nativeName(l)}
            </option>
          ))}
        </select>
      </div>
      <div className="join-actions">
        <button type="submit" className="btn btn-primary btn-block" data-testid="join-go">
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-block" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
