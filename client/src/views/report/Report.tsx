/**
 * The report page (`/r/<eventId>#k=<key>`): the whole evening for the cities that could not
 * come, in the reader's language, with the transcript in one event language at a time (only
 * that one is fetched). Live while the event runs (with Refresh), final after it; printable
 * (report.css `@media print`). The key may be the read-only report key, the moderator's or the
 * admin token.
 */
import { useCallback, useEffect, useState } from 'react';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage, readerUiLanguage } from '../../lib/readerLanguage.ts';
import { explain } from '../../lib/explain.ts';
import { defaultTranscriptLanguage } from '../../lib/report.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { fragmentKey } from '../../router.ts';
import { loadReport, resetReport, useReport } from '../../store/report.ts';
import { ReportBody } from './ReportBody.tsx';
import './report.css';

export default function ReportPage({ eventId }: { eventId: string }) {
  const key = fragmentKey();
  const t = useT();
  const report = useReport((s) => s.report);
  const failure = useReport((s) => s.failure);
  const loading = useReport((s) => s.loading);
  /** The transcript language; null until the first report arrived. */
  const [lang, setLang] = useState<string | null>(null);
  useDocumentTitle(t('rep.title'), report?.event.title);
  useEffect(() => void applyReaderUiLanguage(), []);

  const open = useCallback(async () => {
    if (!key) return;
    // The reader's language first; for an event without it, the report without a transcript
    // says the event's languages, then the floor language's transcript is fetched.
    const ui = readerUiLanguage();
    if (await loadReport({ eventId, key, lang: ui })) return setLang(ui);
    if (useReport.getState().failure?.error.reason !== 'notALanguage') return;
    if (!(await loadReport({ eventId, key, lang: null }))) return;
    const floor = defaultTranscriptLanguage(ui, useReport.getState().report!.event.languages);
    if (await loadReport({ eventId, key, lang: floor })) setLang(floor);
  }, [eventId, key]);

  useEffect(() => {
    void open();
    return resetReport;
  }, [open]);

  if (!key) return <KeyProblem code="AUTH_FAILED" role="report" />;
  const code = failure?.error.code;
  if (!report && (code === 'AUTH_FAILED' || (code === 'NOT_FOUND' && failure?.error.reason !== 'notALanguage'))) {
    return <KeyProblem code={code} role="report" />;
  }
  if (!report || !lang) {
    if (!failure || loading) return <p className="page-loading">{t('common.loading')}</p>;
    return (
      <main className="page-message" role="alert">
        <h1>{t('rep.title')}</h1>
        <p>{t('rep.loadFailed', { reason: explain(failure.error) })}</p>
        <button type="button" className="btn btn-primary" onClick={() => void open()}>
          {t('common.tryAgain')}
        </button>
      </main>
    );
  }
  return (
    <ReportBody
      report={report}
      lang={lang}
      eventId={eventId}
      reportKey={key}
      onLanguage={(l) => {
        setLang(l);
        void loadReport({ eventId, key, lang: l });
      }}
      onRefresh={() => void loadReport({ eventId, key, lang })}
    />
  );
}
