/**
 * The evening's questions as the report keeps them: most votes first (the server's order), the
 * answered ones marked in words, each with its table, addressee and language. Text people wrote
 * is shown as text, in its own direction.
 */
import type { Report, ReportQuestion } from '../../../../shared/report.ts';
import { isolate, pluralKey, useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import './evaluation.css';

export function ReportQuestions({ report, testPrefix = '' }: { report: Report; testPrefix?: string }) {
  const t = useT();
  if (report.questions.length === 0) return <p className="mq-muted">{t('rep.noQuestions')}</p>;
  return (
    <ol className="ev-questions" data-testid={`${testPrefix}report-questions`}>
      {report.questions.map((q) => (
        <QuestionItem key={q.id} q={q} report={report} testId={`${testPrefix}report-question`} />
      ))}
    </ol>
  );
}

function QuestionItem({ q, report, testId }: { q: ReportQuestion; report: Report; testId: string }) {
  const t = useT();
  const ui = useUiLanguage();
  const table = q.table ? report.event.tables.find((x) => x.id === q.table)?.name : undefined;
  const item = q.itemId ? report.agenda.find((i) => i.id === q.itemId) : undefined;
  return (
    <li className={`ev-q is-${q.status}`} data-testid={testId} data-question-id={q.id} data-status={q.status}>
      <span className="ev-q-votes">{t(pluralKey('q.votes', q.votes), { n: q.votes })}</span>
      <div className="ev-q-body">
        <p className="ev-q-text" dir="auto">
          {q.text}
        </p>
        <p className="ev-q-meta">
          {q.status === 'answered' && (
            <span className="ev-q-answered">
              <span aria-hidden="true">✓ </span>
              {t('q.answered')}
            </span>
          )}
          {q.status === 'pending' && <span className="ev-q-pending">{t('q.awaiting')}</span>}
          {q.author && (
            <bdi dir="auto" className="ev-q-author">
              {q.author}
            </bdi>
          )}
          <span>{table ? t('q.table', { name: isolate(table) }) : t('mod.noTable')}</span>
          <span>{item ? t('q.toSpeaker', { name: isolate(item.speaker || item.delegation) }) : t('q.toAll')}</span>
          {q.lang !== report.event.languages[0] && <span>{languageName(q.lang, ui)}</span>}
        </p>
      </div>
    </li>
  );
}
