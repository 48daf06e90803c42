/** The event setup fields: title, theme, languages, moderation, tables, running order. */
import type { Dispatch, ReactNode, SetStateAction } from 'react';
import { isolate, useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { emptyItem, freshTableId, MAX, move, newKey, parseLanguages, type ItemRow, type SetupForm, type TableRow } from './form.ts';

interface Props {
  form: SetupForm;
  setForm: Dispatch<SetStateAction<SetupForm>>;
  errors: Record<string, string>;
  /** Called as a field is edited: its error (and those below it) go. */
  clearError(path: string): void;
}

const domId = (path: string) => `f-${path.replace(/\./g, '-')}`;

/** The error for a field: its own path, or a deeper one ("languages.2" shows at "languages"). */
function errorAt(errors: Record<string, string>, path: string, deep = false): string | undefined {
  if (errors[path]) return errors[path];
  if (!deep) return undefined;
  const hit = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return hit ? errors[hit] : undefined;
}

function a11y(path: string, error: string | undefined, help?: boolean) {
  const id = domId(path);
  const described = [error ? `${id}-err` : null, help ? `${id}-help` : null].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? (true as const) : undefined,
    'aria-describedby': described || undefined,
  };
}

function Field(props: { path: string; label: ReactNode; error?: string | undefined; help?: ReactNode; children: ReactNode; className?: string }) {
  const id = domId(props.path);
  return (
    <div className={`field${props.className ? ` ${props.className}` : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children}
      {props.help && (
        <p id={`${id}-help`} className="field-help">
          {props.help}
        </p>
      )}
      {props.error && (
        <p id={`${id}-err`} className="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A row's field as the server names it (the form keeps minutes, the server seconds). */
const itemPath = (key: string) => (key === 'minutes' ? 'plannedSeconds' : key);

export function SetupFields({ form, setForm, errors, clearError }: Props) {
  const languages = parseLanguages(form.languages);
  const tr = useT();
  const ui = useUiLanguage();
  const set = <K extends keyof SetupForm>(key: K, value: SetupForm[K]) => {
    clearError(key);
    setForm((f) => ({ ...f, [key]: value }));
  };
  const setTable = (i: number, patch: Partial<TableRow>) => {
    clearError(`tables.${i}`);
    setForm((f) => ({ ...f, tables: f.tables.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  };
  const setItem = (i: number, patch: Partial<ItemRow>) => {
    for (const key of Object.keys(patch)) clearError(`agenda.${i}.${itemPath(key)}`);
    clearError(`agenda.${i}.id`);
    setForm((f) => ({ ...f, agenda: f.agenda.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  };
  /** Rows moved or removed: their errors' numbers no longer match, so they go. */
  const setRows = (section: 'tables' | 'agenda', update: (f: SetupForm) => SetupForm) => {
    clearError(section);
    setForm(update);
  };

  const titleErr = errorAt(errors, 'title');
  const themeErr = errorAt(errors, 'theme');
  const langErr = errorAt(errors, 'languages', true);
  const tablesErr = errorAt(errors, 'tables');
  const agendaErr = errorAt(errors, 'agenda');

  return (
    <>
      <fieldset className="section surface-box">
        <legend>{tr('admin.theEvent')}</legend>
        <Field path="title" label={tr('admin.field.title')} error={titleErr}>
          <input
            {...a11y('title', titleErr)}
            className="input"
            dir="auto"
            value={form.title}
            maxLength={MAX.titleChars}
            onChange={(e) => set('title', e.target.value)}
            data-testid="setup-title"
            placeholder={tr('admin.titlePlaceholder')}
          />
        </Field>
        <Field path="theme" label={tr('admin.themeOptional')} error={themeErr}>
          <input
            {...a11y('theme', themeErr)}
            className="input"
            dir="auto"
            value={form.theme}
            maxLength={MAX.themeChars}
            onChange={(e) => set('theme', e.target.value)}
            data-testid="setup-theme"
          />
        </Field>
        <Field
          path="languages"
          label={tr('admin.field.languages')}
          error={langErr}
          help={
            languages.length > 0 ? (
              <span className="chips">
                {languages.map((l, i) => (
                  <span key={l} className="chip">
                    {languageName(l, ui)} ({l}){i === 0 ? ` — ${tr('admin.floorLanguage')}` : ''}
                  </span>
                ))}
              </span>
            ) : (
              tr('admin.languagesHelp')
            )
          }
        >
          <input
            {...a11y('languages', langErr, true)}
            className="input"
            dir="ltr"
            value={form.languages}
            onChange={(e) => set('languages', e.target.value)}
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            placeholder="fr, es, it, en"
            data-testid="setup-languages"
          />
        </Field>
        <fieldset className="field radios">
          <legend>{tr('admin.questions')}</legend>
          {(['pre', 'post'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="moderation" value={m} checked={form.moderation === m} onChange={() => set('moderation', m)} />{' '}
              {tr(m === 'pre' ? 'admin.pre' : 'admin.post')}
            </label>
          ))}
        </fieldset>
      </fieldset>

      <fieldset className="section surface-box">
        <legend>{tr('admin.tablesOptional')}</legend>
        {tablesErr && <p className="field-error">{tablesErr}</p>}
        {form.tables.length === 0 && <p className="field-help">{tr('admin.noTables')}</p>}
        <ol className="rows">
          {form.tables.map((t, i) => {
            const nameErr = errorAt(errors, `tables.${i}.name`) ?? errorAt(errors, `tables.${i}`);
            const cityErr = errorAt(errors, `tables.${i}.city`);
            const idErr = errorAt(errors, `tables.${i}.id`);
            return (
              <li key={t.key} className="row" data-testid={`setup-table-${i}`}>
                <span className="row-n">{tr('admin.tableN', { n: i + 1 })}</span>
                <Field path={`tables.${i}.name`} label={tr('admin.name')} error={nameErr ?? idErr}>
                  <input {...a11y(`tables.${i}.name`, nameErr ?? idErr)} className="input" dir="auto" maxLength={MAX.nameChars} value={t.name} onChange={(e) => setTable(i, { name: e.target.value })} />
                </Field>
                <Field path={`tables.${i}.city`} label={tr('admin.cityOptional')} error={cityErr}>
                  <input {...a11y(`tables.${i}.city`, cityErr)} className="input" dir="auto" maxLength={MAX.nameChars} value={t.city} onChange={(e) => setTable(i, { city: e.target.value })} />
                </Field>
                <div className="row-actions">
                  <button
                    type="button"
                    className="btn"
                    onClick={() => setRows('tables', (f) => ({ ...f, tables: f.tables.filter((_, j) => j !== i) }))}
                  >
                    {/* Named by its visible words, then which row (axe: label-content-name-mismatch). */}
                    {tr('admin.remove')}
                    <span className="visually-hidden">
                      {' — '}
                      {tr('admin.tableN', { n: i + 1 })}
                      {t.name ? ` (${isolate(t.name)})` : ''}
                    </span>
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <button
          type="button"
          className="btn"
          data-testid="add-table"
          onClick={() => setForm((f) => ({ ...f, tables: [...f.tables, { key: newKey(), id: freshTableId(f.tables), name: '', city: '' }] }))}
        >
          {tr('admin.addTable')}
        </button>
      </fieldset>

      <fieldset className="section surface-box">
        <legend>{tr('admin.field.agenda')}</legend>
        {agendaErr && <p className="field-error">{agendaErr}</p>}
        <ol className="rows">
          {form.agenda.map((r, i) => {
            const p = (f: string) => `agenda.${i}.${f}`;
            const e = (f: string) => errorAt(errors, p(f));
            const lang = r.language && languages.includes(r.language) ? r.language : '';
            return (
              <li key={r.key} className="row row-item" data-testid={`setup-item-${i}`}>
                <span className="row-n">{tr('admin.itemN', { n: i + 1 })}</span>
                <Field path={p('speaker')} label={tr('admin.speaker')} error={e('speaker') ?? errorAt(errors, `agenda.${i}`)}>
                  <input {...a11y(p('speaker'), e('speaker') ?? errorAt(errors, `agenda.${i}`))} className="input" dir="auto" maxLength={MAX.nameChars} value={r.speaker} onChange={(ev) => setItem(i, { speaker: ev.target.value })} />
                </Field>
                <Field path={p('delegation')} label={tr('admin.delegation')} error={e('delegation')}>
                  <input {...a11y(p('delegation'), e('delegation'))} className="input" dir="auto" maxLength={MAX.nameChars} value={r.delegation} onChange={(ev) => setItem(i, { delegation: ev.target.value })} />
                </Field>
                <Field path={p('title')} label={tr('admin.itemTitle')} error={e('title')} className="field-wide">
                  <input {...a11y(p('title'), e('title'))} className="input" dir="auto" maxLength={MAX.titleChars} value={r.title} onChange={(ev) => setItem(i, { title: ev.target.value })} />
                </Field>
                <Field path={p('language')} label={tr('admin.spokenIn')} error={e('language')}>
                  <select {...a11y(p('language'), e('language'))} className="input" value={lang} onChange={(ev) => setItem(i, { language: ev.target.value })}>
                    <option value="">{languages[0] ? tr('admin.floorOption', { language: languageName(languages[0], ui) }) : tr('admin.floorOptionBare')}</option>
                    {languages.map((l) => (
                      <option key={l} value={l}>
                        {languageName(l, ui)} ({l})
                      </option>
                    ))}
                  </select>
                </Field>
                <Field path={p('plannedSeconds')} label={tr('admin.plannedMinutes')} error={e('plannedSeconds')} className="field-narrow">
                  <input
                    {...a11y(p('plannedSeconds'), e('plannedSeconds'))}
                    className="input"
                    inputMode="decimal"
                    value={r.minutes}
                    onChange={(ev) => setItem(i, { minutes: ev.target.value })}
                  />
                </Field>
                <div className="row-actions">
                  <button type="button" className="btn" aria-label={tr('admin.moveUp', { n: i + 1 })} disabled={i === 0} onClick={() => setRows('agenda', (f) => ({ ...f, agenda: move(f.agenda, i, i - 1) }))}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn"
                    aria-label={tr('admin.moveDown', { n: i + 1 })}
                    disabled={i === form.agenda.length - 1}
                    onClick={() => setRows('agenda', (f) => ({ ...f, agenda: move(f.agenda, i, i + 1) }))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn"
                    disabled={form.agenda.length === 1}
                    onClick={() => setRows('agenda', (f) => ({ ...f, agenda: f.agenda.filter((_, j) => j !== i) }))}
                  >
                    {tr('admin.remove')}
                    <span className="visually-hidden">
                      {' — '}
                      {tr('admin.itemN', { n: i + 1 })}
                    </span>
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <button type="button" className="btn" data-testid="add-item" onClick={() => setForm((f) => ({ ...f, agenda: [...f.agenda, emptyItem()] }))}>
          {tr('admin.addSpeaker')}
        </button>
      </fieldset>
    </>
  );
}
