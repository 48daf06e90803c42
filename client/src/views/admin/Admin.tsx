/**
 * Admin: create an event. The admin token comes in the fragment (`/admin#k=...`) or is typed.
 * Required fields and limits are checked here first (form.ts `localErrors`, in the reader's
 * language); what the server still refuses (`{"error":{"code","message"}}`) lands at its field.
 * A field's error goes as soon as that field is edited.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { t as tr, useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { createEvent, type CreatedEvent } from '../../net/api.ts';
import { fragmentKey } from '../../router.ts';
import { Created } from './Created.tsx';
import { EventsSection } from './EventsSection.tsx';
import { emptyForm, localErrors, splitServerMessage, toSetup, type SetupForm } from './form.ts';
import { SetupFields } from './SetupFields.tsx';
import { TranslationSection } from './TranslationSection.tsx';
import './admin.css';

export interface FormErrors {
  /** Field path ("title", "agenda.2.speaker") → message. */
  fields: Record<string, string>;
  /** Shown at the top (always, so nothing fails silently). */
  summary: string | null;
}

const noErrors: FormErrors = { fields: {}, summary: null };

export default function Admin() {
  const t = useT();
  useDocumentTitle(t('admin.createTitle'));
  const [token, setToken] = useState(() => fragmentKey() ?? '');
  /** The token the events list is read with: the fragment's, then the typed one once the field is left. */
  const [listToken, setListToken] = useState(() => fragmentKey() ?? '');
  const [askToken, setAskToken] = useState(() => !fragmentKey());
  const [form, setForm] = useState<SetupForm>(emptyForm);
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ event: CreatedEvent; renewed: boolean } | null>(null);
  const [listed, setListed] = useState(0);
  // One message for a token problem: the summary right above the field (the field points to it).
  const tokenRefused = useCallback(() => {
    setAskToken(true);
    setListToken('');
    setErrors({ fields: { token: tr('admin.tokenWrong') }, summary: tr('admin.tokenWrong') });
  }, []);
  /** Forgets the errors of `path` and below it ("agenda.2" also clears "agenda.2.speaker"). */
  const clearError = useCallback((path: string) => {
    setErrors((e) => {
      const gone = Object.keys(e.fields).filter((k) => k === path || k.startsWith(`${path}.`));
      if (gone.length === 0) return e;
      const fields = { ...e.fields };
      for (const k of gone) delete fields[k];
      // The summary only pointed at the marked fields: it goes with the last of them.
      return { fields, summary: Object.keys(fields).length > 0 ? e.summary : null };
    });
  }, []);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => void applyReaderUiLanguage(), []);

  // After an error, bring the first faulty field into view.
  useEffect(() => {
    if (!errors.summary) return;
    const bad = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (bad ?? formRef.current?.querySelector<HTMLElement>('.form-summary'))?.focus();
  }, [errors]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    if (!token.trim()) {
      setAskToken(true);
      setErrors({ fields: { token: t('admin.typeToken') }, summary: t('admin.typeToken') });
      return;
    }
    const local = localErrors(form);
    if (Object.keys(local).length) {
      setErrors({ fields: local, summary: t('admin.correct') });
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    const r = await createEvent(token.trim(), toSetup(form));
    setBusy(false);
    if (r.ok) {
      setListToken(token.trim());
      setCreated({ event: r.data, renewed: false });
      return;
    }
    if (r.error.code === 'AUTH_FAILED') {
      tokenRefused();
      return;
    }
    const { path, text } = splitServerMessage(r.error.message);
    setErrors({
      fields: path ? { [path]: text } : {},
      summary: path ? `${describePath(path)}: ${text}` : t('admin.couldNot', { text, code: r.error.code }),
    });
  }

  if (created) {
    return (
      <main className="admin">
        <h1 className="admin-h1">Tribune · {created.renewed ? t('admin.newLinks') : t('admin.newEvent')}</h1>
        <Created
          created={created.event}
          renewed={created.renewed}
          onAnother={() => {
            setCreated(null);
            setForm(emptyForm());
            setListed((n) => n + 1);
          }}
        />
      </main>
    );
  }

  return (
    <main className="admin">
      <h1 className="admin-h1">Tribune · {t('admin.heading')}</h1>
      {listToken && (
        <EventsSection token={listToken} refresh={listed} onRenewed={(c) => setCreated({ event: c, renewed: true })} onTokenRefused={tokenRefused} />
      )}
      {listToken && <TranslationSection token={listToken} onTokenRefused={tokenRefused} />}
      <h2 className="events-h">{t('admin.createTitle')}</h2>
      <form ref={formRef} className="admin-form" onSubmit={submit} noValidate>
        {errors.summary && (
          <div id="admin-summary" className="form-summary" role="alert" tabIndex={-1} data-testid="form-error">
            {errors.summary}
          </div>
        )}
        {askToken && (
          <div className="field">
            <label htmlFor="admin-token">{t('admin.token')}</label>
            <input
              id="admin-token"
              className="input"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => {
                setToken(e.target.value);
                clearError('token');
              }}
              onBlur={() => token.trim() && token.trim() !== listToken && setListToken(token.trim())}
              aria-invalid={errors.fields.token ? true : undefined}
              aria-describedby={errors.fields.token ? 'admin-summary admin-token-help' : 'admin-token-help'}
              data-testid="admin-token"
            />
            <p id="admin-token-help" className="field-help">
              {t('admin.tokenHelp')}
            </p>
          </div>
        )}
        <SetupFields form={form} setForm={setForm} errors={errors.fields} clearError={clearError} />
        <div className="admin-submit">
          <button type="submit" className="btn btn-primary" data-testid="setup-submit" aria-busy={busy || undefined} disabled={busy}>
            {busy ? t('admin.creating') : t('admin.create')}
          </button>
        </div>
      </form>
    </main>
  );
}

/** "agenda.2.speaker" → "Running order, item 3, speaker". */
function describePath(path: string): string {
  const [section, index, field] = path.split('.');
  const names: Record<string, string> = {
    title: tr('admin.field.title'),
    theme: tr('admin.field.theme'),
    languages: tr('admin.field.languages'),
    moderation: tr('admin.field.moderation'),
    tables: tr('admin.field.tables'),
    agenda: tr('admin.field.agenda'),
    plannedSeconds: tr('admin.field.plannedSeconds'),
  };
  const parts = [names[section ?? ''] ?? section];
  if (index !== undefined && /^\d+$/.test(index)) parts.push(`${tr(section === 'tables' ? 'admin.field.table' : section === 'languages' ? 'admin.field.language' : 'admin.field.item')} ${Number(index) + 1}`);
  if (field) parts.push(names[field] ?? field);
  return parts.join(', ');
}
