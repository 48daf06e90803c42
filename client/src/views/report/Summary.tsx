/**
 * The organisers' summary in the chosen language; without one, another language's, saying which.
 * A machine translation is said so in words. Paragraphs as written (blank lines), as text.
 */
import type { Report } from '../../../../shared/report.ts';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { dirOf, languageName } from '../../lib/lang.ts';
import { summaryFor } from '../../lib/report.ts';
import { Section } from './Section.tsx';

export function Summary({ report, lang }: { report: Report; lang: string }) {
  const t = useT();
  const ui = useUiLanguage();
  const shown = summaryFor(report.summary, lang, report.event.languages);
  return (
    <Section title={t('rep.summary')} testId="report-summary">
      {!shown ? (
        <p className="rp-muted">{t('rep.noSummary')}</p>
      ) : (
        <>
          {shown.lang !== lang && (
            <p className="rp-note" data-testid="summary-other">
              {t('rep.summaryOther', { wanted: languageName(lang, ui), language: languageName(shown.lang, ui) })}
            </p>
          )}
          {shown.entry.source === 'machine' && (
            <p className="rp-mt-note" data-testid="summary-machine">
              <span aria-hidden="true">≈ </span>
              {t('rep.machineSummary')}
            </p>
          )}
          <div className="rp-prose" lang={shown.lang} dir={dirOf(shown.lang)} data-testid="summary-text">
            {shown.entry.text.split(/\n\s*\n/).map((p, i) => (
              <p key={i} dir="auto">
                {p}
              </p>
            ))}
          </div>
        </>
      )}
    </Section>
  );
}
