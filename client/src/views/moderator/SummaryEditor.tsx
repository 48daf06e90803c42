/**
 * The organisers' summary of the evening, per event language: the stored text to edit and save,
 * a machine draft from another language's summary where the server can translate, and what
 * happened, in words. Nothing typed is lost: each language's unsaved text stays in the box
 * (switching languages keeps it too) until a save of exactly that text succeeds.
 */
import { useId, useState } from 'react';
import type { Report } from '../../../../shared/report.ts';
import { REPORT_LIMITS } from '../../../../shared/report-limits.ts';
import { t as tr, useT, useUiLanguage } from '../../i18n/index.ts';
import { explain } from '../../lib/explain.ts';
import { languageName } from '../../lib/lang.ts';
import { defaultTranscriptLanguage, summaryFor } from '../../lib/report.ts';
import { draftSummary, saveSummary, type Summaries } from '../../net/report.ts';
import type { Result } from '../../net/api.ts';
import { setSummaries } from '../../store/report.ts';

const SUMMARY_MAX_CHARS = REPORT_LIMITS.summaryChars;

type Status = { kind: 'busy' | 'ok' | 'error'; text: string } | null;

export function SummaryEditor({ eventId, token, report }: { eventId: string; token: string; report: Report }) {
  const t = useT();
  const ui = useUiLanguage();
  const id = useId();
  const languages = report.event.languages;
  const [lang, setLang] = useState(() => defaultTranscriptLanguage(ui, languages));
  /** Text typed and not saved yet, per language. */
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<Status>(null);
  const stored = report.summary[lang];
  const text = typed[lang] ?? stored?.text ?? '';
  const unsaved = typed[lang] !== undefined && typed[lang] !== (stored?.text ?? '');
  // A draft only into an empty box: it would replace what is there.
  const from = !stored && text === '' && report.machineDrafts ? summaryFor(report.summary, lang, languages) : null;
  const name = (l: string) => languageName(l, ui);

  /** Runs a save or a draft of `lang`; on success forgets the typed text if it is still `sent`. */
  async function apply(request: Promise<Result<{ summary: Summaries }>>, sent: string, done: string, failed: 'rep.saveFailed' | 'rep.draftFailed') {
    const r = await request;
    if (!r.ok) {
      setStatus({ kind: 'error', text: tr(failed, { reason: explain(r.error) }) });
      return;
    }
    setSummaries(r.data.summary);
    setTyped((all) => {
      if (all[lang] !== sent) return all; // typed on meanwhile: keep it
      const rest = { ...all };
      delete rest[lang];
      return rest;
    });
    setStatus({ kind: 'ok', text: done });
  }

  function save() {
    setStatus({ kind: 'busy', text: t('rep.saving') });
    void apply(saveSummary(eventId, token, lang, text), text, t('rep.saved', { language: name(lang) }), 'rep.saveFailed');
  }

  function draft(source: string) {
    setStatus({ kind: 'busy', text: t('rep.drafting') });
    void apply(draftSummary(eventId, token, lang, source), text, t('rep.drafted', { language: name(lang) }), 'rep.draftFailed');
  }

  const busy = status?.kind === 'busy';
  const left = SUMMARY_MAX_CHARS - text.length;
  return (
    <div className="rpn-editor" data-testid="summary-editor">
      <h3 className="rpn-sub">{t('rep.summaryEditor')}</h3>
      <p className="rpn-help">{t('rep.summaryHelp')}</p>
      <div className="rpn-field">
        <label htmlFor={`${id}-lang`}>{t('rep.summaryLang')}</label>
        <select
          id={`${id}-lang`}
          className="input"
          value={lang}
          onChange={(e) => {
            setLang(e.target.value);
            setStatus(null);
          }}
          data-testid="summary-lang"
        >
          {languages.map((l) => (
            <option key={l} value={l}>
              {report.summary[l] ? t('rep.langWritten', { language: name(l) }) : name(l)}
            </option>
          ))}
        </select>
      </div>
      {stored?.source === 'machine' && (
        <p className="rpn-machine" data-testid="summary-machine">
          <span aria-hidden="true">≈ </span>
          {t('rep.machineDraft')}
        </p>
      )}
      <div className="rpn-field">
        <label htmlFor={`${id}-text`}>{t('rep.summaryText', { language: name(lang) })}</label>
        <textarea
          id={`${id}-text`}
          className="input rpn-text"
          rows={8}
          dir="auto"
          lang={lang}
          maxLength={SUMMARY_MAX_CHARS}
          value={text}
          onChange={(e) => {
            const value = e.target.value;
            setTyped((all) => ({ ...all, [lang]: value }));
            if (status?.kind !== 'busy') setStatus(null);
          }}
          data-testid="summary-text"
        />
        {left < 1000 && <p className="rpn-help">{t('q.charsLeft', { n: left })}</p>}
      </div>
      <div className="rpn-actions">
        <button type="button" className="btn btn-primary" onClick={save} disabled={busy || !unsaved} aria-busy={busy || undefined} data-testid="summary-save">
          {t('common.save')}
        </button>
        {from && (
          <button type="button" className="btn" onClick={() => draft(from.lang)} disabled={busy} data-testid="summary-draft">
            {t('rep.draftFrom', { language: name(from.lang) })}
          </button>
        )}
        {unsaved && !busy && <span className="rpn-help">{t('rep.unsaved')}</span>}
      </div>
      <p className={`rpn-status${status ? ` is-${status.kind}` : ''}`} role="status" data-testid="summary-status" data-kind={status?.kind ?? 'idle'}>
        {status?.text ?? ''}
      </p>
    </div>
  );
}
