/**
 * The transcript in one language, by intervention in running order (each starts a new printed
 * page), what was said with nobody on stage under its own heading. Machine-translated lines
 * carry the words "machine translation", not only a colour.
 */
import { useMemo } from 'react';
import type { Report } from '../../../../shared/report.ts';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { dirOf, languageName } from '../../lib/lang.ts';
import { transcriptSections } from '../../lib/report.ts';
import { Section } from './Section.tsx';

export function Transcript({ report, lang }: { report: Report; lang: string }) {
  const t = useT();
  const ui = useUiLanguage();
  const lines = report.transcript[lang];
  const sections = useMemo(() => (lines ? transcriptSections(report.agenda, lines) : []), [report.agenda, lines]);
  const clock = useMemo(() => new Intl.DateTimeFormat(ui, { timeStyle: 'short' }), [ui]);
  const seconds = useMemo(() => new Intl.DateTimeFormat(ui, { timeStyle: 'medium' }), [ui]);
  const language = languageName(lang, ui);
  return (
    <Section title={t('rep.transcript', { language })} testId="report-transcript" className="rp-transcript">
      {!lines ? (
        <p className="rp-muted">{t('common.loading')}</p>
      ) : sections.length === 0 ? (
        <p className="rp-muted">{t('rep.noTranscript', { language })}</p>
      ) : (
        sections.map(({ item, lines: own }) => (
          <article key={item?.id ?? ''} className="rp-intervention" data-testid="transcript-section" data-item={item?.id ?? ''}>
            <h3 className="rp-h3">
              {item ? (
                <>
                  <bdi dir="auto">{item.speaker || item.delegation || item.title}</bdi>
                  {item.speaker && item.delegation && (
                    <>
                      {' · '}
                      <bdi dir="auto">{item.delegation}</bdi>
                    </>
                  )}
                </>
              ) : (
                t('rep.between')
              )}
            </h3>
            {item?.title && (
              <p className="rp-item-title" dir="auto">
                {item.title}
              </p>
            )}
            {item?.startedAt && <p className="rp-muted">{t('rep.startedAt', { time: clock.format(item.startedAt) })}</p>}
            <ol className="rp-lines" lang={lang} dir={dirOf(lang)}>
              {own.map((line) => (
                <li key={line.id} className={line.source === 'machine' ? 'is-machine' : undefined} data-testid="transcript-line" data-source={line.source}>
                  <time className="rp-at" dateTime={new Date(line.at).toISOString()}>
                    {seconds.format(line.at)}
                  </time>
                  {line.source === 'machine' && (
                    <span className="rp-mt" lang={ui}>
                      {t('captions.machineBadge')}
                    </span>
                  )}
                  <span className="rp-line" dir="auto">
                    {line.text}
                  </span>
                </li>
              ))}
            </ol>
          </article>
        ))
      )}
    </Section>
  );
}
