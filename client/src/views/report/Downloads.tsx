/**
 * Every file of the report, fetched with the page's key (a link cannot send it) and saved under
 * the server's file name; the transcripts in the chosen language. Not printed.
 */
import { useState } from 'react';
import type { ReportFile } from '../../../../shared/report.ts';
import { t as tr, useT, useUiLanguage, type MessageKey } from '../../i18n/index.ts';
import { explain } from '../../lib/explain.ts';
import { languageName } from '../../lib/lang.ts';
import { downloadReportFile } from '../../net/report.ts';
import { Section } from './Section.tsx';

const FILES: { file: ReportFile; label: MessageKey; transcript?: true }[] = [
  { file: 'transcript.vtt', label: 'rep.file.vtt', transcript: true },
  { file: 'transcript.srt', label: 'rep.file.srt', transcript: true },
  { file: 'questions.csv', label: 'rep.file.questions' },
  { file: 'ratings.csv', label: 'rep.file.ratings' },
  { file: 'speaking-time.csv', label: 'rep.file.time' },
  { file: 'polls.csv', label: 'rep.file.polls' },
  { file: 'floor-turns.csv', label: 'floor.file' },
  { file: 'report.json', label: 'rep.file.json' },
];

export function Downloads({ eventId, reportKey, lang }: { eventId: string; reportKey: string; lang: string }) {
  const t = useT();
  const ui = useUiLanguage();
  const [busy, setBusy] = useState<ReportFile | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function download(file: ReportFile, transcript: boolean) {
    setBusy(file);
    setStatus(null);
    const r = await downloadReportFile(eventId, reportKey, file, transcript ? lang : undefined);
    setBusy(null);
    setStatus(r.ok ? { ok: true, text: tr('rep.downloaded', { name: r.data.name }) } : { ok: false, text: tr('rep.downloadFailed', { reason: explain(r.error) }) });
  }

  return (
    <Section title={t('rep.downloads')} testId="report-downloads" className="rp-downloads">
      <ul className="rp-files">
        {FILES.map(({ file, label, transcript }) => (
          <li key={file}>
            <button
              type="button"
              className="btn"
              onClick={() => void download(file, !!transcript)}
              disabled={busy !== null}
              aria-busy={busy === file || undefined}
              data-testid={`download-${file}`}
            >
              {t(label, { language: languageName(lang, ui) })}
            </button>
          </li>
        ))}
      </ul>
      <p className={status && !status.ok ? 'field-error' : 'rp-muted'} role="status" data-testid="download-status">
        {status?.text ?? ''}
      </p>
    </Section>
  );
}
