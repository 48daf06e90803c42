/**
 * The evening's report on the tablet and on the admin page: speaking time, audience peaks and
 * participation per table, the rating grid, the questions, and the summary editor, with a link
 * to the report page. Fetched over HTTP with the screen's key (the moderator's, or the admin
 * token): when it opens, on Refresh, and every 15 s while it stays open. Closed, it fetches nothing.
 */
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { FloorTable } from '../../components/evaluation/FloorTable.tsx';
import { ParticipationTable } from '../../components/evaluation/ParticipationTable.tsx';
import { RatingsTable } from '../../components/evaluation/RatingsTable.tsx';
import { ReportQuestions } from '../../components/evaluation/ReportQuestions.tsx';
import { SpeakingTimeTables } from '../../components/evaluation/SpeakingTime.tsx';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { explain } from '../../lib/explain.ts';
import { reportPagePath } from '../../lib/report.ts';
import { loadReport, resetReport, useReport, type ReportTarget } from '../../store/report.ts';
import { SummaryEditor } from './SummaryEditor.tsx';
import './report-panel.css';

/** While open, the report is fetched again this often (a report is a few store reads; no need for more). */
const REPORT_REFRESH_MS = 15_000;

interface Props {
  eventId: string;
  token: string;
}

/** The tablet's panel: a heading and a button that opens and closes the report. */
export function ReportPanel(props: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <section className="mod-card mq-panel rpn" aria-labelledby={`${id}-h`} data-testid="report-panel">
      <div className="rpn-head">
        <h2 id={`${id}-h`} className="mod-h rpn-h">
          {t('rep.panel')}
        </h2>
        <button type="button" className="btn" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)} data-testid="report-toggle">
          {open ? t('rep.hide') : t('rep.show')}
        </button>
      </div>
      <div id={`${id}-body`}>{open && <ReportContent {...props} />}</div>
    </section>
  );
}

/** The report itself, fetched while it is on screen (the admin page shows it without the toggle). */
export function ReportContent({ eventId, token }: Props) {
  const t = useT();
  const ui = useUiLanguage();
  const report = useReport((s) => s.report);
  const failure = useReport((s) => s.failure);
  const loading = useReport((s) => s.loading);
  // No transcript: the panel shows none (the report page has them).
  const target = useMemo<ReportTarget>(() => ({ eventId, key: token, lang: null }), [eventId, token]);
  const clock = useMemo(() => new Intl.DateTimeFormat(ui, { timeStyle: 'short' }), [ui]);
  const seconds = useMemo(() => new Intl.DateTimeFormat(ui, { timeStyle: 'medium' }), [ui]);

  useEffect(() => {
    void loadReport(target);
    const timer = setInterval(() => {
      if (!document.hidden && !useReport.getState().loading) void loadReport(target);
    }, REPORT_REFRESH_MS);
    return () => {
      clearInterval(timer);
      resetReport();
    };
  }, [target]);

  return (
    <div className="rpn-body" data-testid="report-content">
      <div className="rpn-actions">
        <button type="button" className="btn" onClick={() => void loadReport(target)} aria-busy={loading || undefined} data-testid="report-refresh">
          {loading ? t('rep.refreshing') : t('rep.refresh')}
        </button>
        <a className="btn" href={reportPagePath(eventId, token)} target="_blank" rel="noopener noreferrer" data-testid="report-open-page">
          {t('rep.openPage')}
        </a>
        {report && (
          <span className="rpn-help" data-testid="report-updated">
            {t('rep.updated', { time: seconds.format(report.generatedAt) })}
            {!report.final && ` · ${t('rep.liveShort')}`}
          </span>
        )}
      </div>
      {failure && (
        <p className="field-error" role="alert" data-testid="report-error">
          {t('rep.loadFailed', { reason: explain(failure.error) })}
        </p>
      )}
      {!report && !failure && <p className="rpn-help">{t('common.loading')}</p>}
      {report && (
        <>
          <Fold id="time" title={t('eval.time')} open>
            <SpeakingTimeTables items={report.agenda} clock={clock} final={report.final} testPrefix="report-" />
          </Fold>
          <Fold id="participation" title={t('eval.participation')}>
            <p data-testid="report-peak">{t('rep.peak', { n: report.audience.peak })}</p>
            <ParticipationTable
              tables={report.event.tables}
              participation={report.participation}
              phones={report.audience.peakByTable}
              unseated={null}
              phonesLabel={t('rep.peakPhones')}
              testPrefix="report-"
            />
            <h3 className="mq-h">{t('floor.perTable')}</h3>
            <FloorTable tables={report.event.tables} floor={report.floor} />
          </Fold>
          <Fold id="ratings" title={t('eval.ratings')}>
            <RatingsTable items={report.agenda} indicators={report.event.indicators} ratings={report.ratings} testPrefix="report-" />
          </Fold>
          <Fold id="questions" title={t('q.questions')}>
            <ReportQuestions report={report} testPrefix="panel-" />
          </Fold>
          <SummaryEditor key={`${eventId}:${token}`} eventId={eventId} token={token} report={report} />
        </>
      )}
    </div>
  );
}

function Fold({ id, title, open = false, children }: { id: string; title: string; open?: boolean; children: ReactNode }) {
  return (
    <details className="rpn-fold" open={open}>
      <summary className="rpn-sub rpn-summary" data-testid={`report-fold-${id}`}>
        {title}
      </summary>
      {children}
    </details>
  );
}
