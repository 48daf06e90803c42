/**
 * The report page's content: the event, the controls (interface and transcript languages,
 * Print, Refresh while live), then the summary, the running order with its times, the
 * questions, the polls, the evaluation, the transcript by intervention and the downloads.
 */
import { useId, useMemo } from 'react';
import type { Report } from '../../../../shared/report.ts';
import { FloorTable } from '../../components/evaluation/FloorTable.tsx';
import { ParticipationTable } from '../../components/evaluation/ParticipationTable.tsx';
import { RatingsTable } from '../../components/evaluation/RatingsTable.tsx';
import { ReportPolls } from '../../components/evaluation/ReportPolls.tsx';
import { ReportQuestions } from '../../components/evaluation/ReportQuestions.tsx';
import { SpeakingTimeTables } from '../../components/evaluation/SpeakingTime.tsx';
import { isUiLanguage, UI_LANGUAGES, useT, useUiLanguage } from '../../i18n/index.ts';
import { explain } from '../../lib/explain.ts';
import { languageName, nativeName } from '../../lib/lang.ts';
import { chooseReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useReport } from '../../store/report.ts';
import { Downloads } from './Downloads.tsx';
import { Section } from './Section.tsx';
import { Summary } from './Summary.tsx';
import { Transcript } from './Transcript.tsx';

interface Props {
  report: Report;
  /** The transcript (and summary) language. */
  lang: string;
  eventId: string;
  reportKey: string;
  onLanguage(lang: string): void;
  onRefresh(): void;
}

export function ReportBody({ report, lang, eventId, reportKey, onLanguage, onRefresh }: Props) {
  const t = useT();
  const ui = useUiLanguage();
  const id = useId();
  const loading = useReport((s) => s.loading);
  const failure = useReport((s) => s.failure);
  const { event } = report;
  const clock = useMemo(() => new Intl.DateTimeFormat(ui, { timeStyle: 'short' }), [ui]);
  const date = useMemo(() => new Intl.DateTimeFormat(ui, { dateStyle: 'full' }), [ui]);
  return (
    <main className="rp" data-testid="report-page" data-final={report.final}>
      <header className="rp-head">
        <p className="rp-kicker">{t('rep.title')}</p>
        <h1 className="rp-title" dir="auto">
          {event.title}
        </h1>
        {event.theme && (
          <p className="rp-theme" dir="auto">
            {event.theme}
          </p>
        )}
        <p className="rp-date">{date.format(report.startedAt ?? report.generatedAt)}</p>
        <div className={`rp-state ${report.final ? 'is-final' : 'is-live'}`} data-testid="report-state">
          <p>{report.final ? t('rep.finalNote') : t('rep.liveNote', { time: clock.format(report.generatedAt) })}</p>
          {!report.final && (
            <button type="button" className="btn" onClick={onRefresh} aria-busy={loading || undefined} data-testid="report-refresh">
              {loading ? t('rep.refreshing') : t('rep.refresh')}
            </button>
          )}
        </div>
        {failure && (
          // A refresh or another transcript language failed: the report shown is the previous one.
          <p className="field-error" role="alert" data-testid="report-error">
            {t('rep.loadFailed', { reason: explain(failure.error) })}{' '}
            <button type="button" className="btn-link" onClick={onRefresh}>
              {t('common.tryAgain')}
            </button>
          </p>
        )}
      </header>

      <div className="rp-controls" role="group" aria-label={t('rep.settings')}>
        <div className="rp-control">
          <label htmlFor={`${id}-ui`}>{t('rep.uiLanguage')}</label>
          <select id={`${id}-ui`} className="input" value={ui} onChange={(e) => isUiLanguage(e.target.value) && void chooseReaderUiLanguage(e.target.value)} data-testid="report-ui-lang">
            {UI_LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {nativeName(l)}
              </option>
            ))}
          </select>
        </div>
        <div className="rp-control">
          <label htmlFor={`${id}-tr`}>{t('rep.transcriptLanguage')}</label>
          <select id={`${id}-tr`} className="input" value={lang} onChange={(e) => onLanguage(e.target.value)} data-testid="report-lang">
            {event.languages.map((l) => (
              <option key={l} value={l}>
                {languageName(l, ui)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => window.print()} data-testid="report-print">
          {t('rep.print')}
        </button>
      </div>

      <Summary report={report} lang={lang} />
      <Section title={t('rep.runningOrder')} testId="report-order">
        <SpeakingTimeTables items={report.agenda} clock={clock} final={report.final} />
      </Section>
      <Section title={t('q.fromRoomList')} testId="report-questions-section">
        <ReportQuestions report={report} />
      </Section>
      <Section title={t('mp.polls')} testId="report-polls-section">
        <ReportPolls polls={report.polls ?? []} />
      </Section>
      <Section title={t('eval.title')} testId="report-evaluation">
        <h3 className="rp-h3">{t('eval.ratings')}</h3>
        <RatingsTable items={report.agenda} indicators={event.indicators} ratings={report.ratings} />
        <h3 className="rp-h3">{t('eval.participation')}</h3>
        <p data-testid="report-peak">{t('rep.peak', { n: report.audience.peak })}</p>
        <ParticipationTable
          tables={event.tables}
          participation={report.participation}
          phones={report.audience.peakByTable}
          unseated={null}
          phonesLabel={t('rep.peakPhones')}
        />
        <h3 className="rp-h3">{t('floor.perTable')}</h3>
        <FloorTable tables={event.tables} floor={report.floor} />
      </Section>
      <Transcript report={report} lang={lang} />
      <Downloads eventId={eventId} reportKey={reportKey} lang={lang} />
    </main>
  );
}
