/** The start page: type the event code shown on the projector. */
import { useEffect, useState, type FormEvent } from 'react';
import { useT } from '../i18n/index.ts';
import { applyReaderUiLanguage } from '../lib/readerLanguage.ts';
import { useDocumentTitle } from '../lib/title.ts';
import { navigate } from '../router.ts';

export default function Landing() {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle();
  const t = useT();
  useEffect(() => void applyReaderUiLanguage(), []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const clean = code.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    if (!clean) {
      setError(t('landing.codeMissing'));
      return;
    }
    navigate(`/e/${clean}`);
  }

  return (
    <main className="landing">
      <h1 className="landing-title">Tribune</h1>
      <p className="landing-lead">{t('landing.lead')}</p>
      <form className="landing-form" onSubmit={submit} noValidate>
        <label htmlFor="event-code">{t('landing.code')}</label>
        <input
          id="event-code"
          className="input input-code"
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            setError(null);
          }}
          autoCapitalize="characters"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          inputMode="text"
          maxLength={20}
          placeholder={t('landing.placeholder')}
          aria-describedby={error ? 'event-code-error' : undefined}
          aria-invalid={error ? true : undefined}
        />
        {error && (
          <p id="event-code-error" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" data-testid="landing-go">
          {t('landing.join')}
        </button>
      </form>
    </main>
  );
}
