/** After creation: the join code and QR, and every link with a Copy button. */
import { useEffect, useRef, useState } from 'react';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { qrSrc, type CreatedEvent } from '../../net/api.ts';
import { DecksSection } from './DecksSection.tsx';

async function copyText(text: string, fallbackTarget: HTMLElement | null): Promise<'copied' | 'selected'> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return 'copied';
    }
  } catch {
    // Fall through: select the text so the user can copy it themselves.
  }
  if (fallbackTarget) {
    const range = document.createRange();
    range.selectNodeContents(fallbackTarget);
    const sel = window.getSelection();
    sel?.removeAllRanges();
    sel?.addRange(range);
    try {
      if (document.execCommand('copy')) return 'copied';
    } catch {
      // Selected; the user copies by hand.
    }
  }
  return 'selected';
}

function LinkRow({ label, url, testId, note, help }: { label: string; url: string; testId: string; note?: string; help?: string }) {
  const ref = useRef<HTMLAnchorElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const t = useT();
  return (
    <div className="link-row surface-box">
      <div className="link-row-head">
        <h3 className="link-row-label">{label}</h3>
        {note && <span className="link-row-note">{note}</span>}
      </div>
      {help && <p className="field-help">{help}</p>}
      <div className="link-row-body">
        <a ref={ref} className="link-row-url" href={url} data-testid={testId} target="_blank" rel="noopener noreferrer" dir="ltr">
          {url}
        </a>
        <button
          type="button"
          className="btn"
          data-testid={`copy-${testId}`}
          onClick={async () => setState(await copyText(url, ref.current))}
        >
          {state === 'copied' ? t('admin.copied') : t('admin.copy')}
        </button>
      </div>
      <p className="link-row-status" role="status">
        {state === 'selected' ? t('admin.selected') : ''}
      </p>
    </div>
  );
}

export function Created({ created, renewed = false, onAnother }: { created: CreatedEvent; renewed?: boolean; onAnother(): void }) {
  const { event, links } = created;
  const heading = useRef<HTMLHeadingElement>(null);
  const t = useT();
  const ui = useUiLanguage();
  useEffect(() => {
    heading.current?.focus();
    window.scrollTo(0, 0);
  }, []);
  return (
    <section className="created" aria-labelledby="created-h">
      <h2 id="created-h" ref={heading} tabIndex={-1} className="created-h">
        {renewed ? t('admin.renewed') : t('admin.created')} <bdi dir="auto">{event.title}</bdi>
      </h2>
      <p className="created-warn" role="note">
        {t('admin.secretWarn')}
      </p>

      <div className="created-join surface-box">
        <img className="created-qr" src={qrSrc(event.code)} alt={t('admin.qrAlt', { code: event.code })} />
        <div className="created-join-text">
          <p>{t('admin.joinCode')}</p>
          <p className="created-code" data-testid="created-code" dir="ltr">
            {event.code}
          </p>
          <LinkRow label={t('admin.attendeeLink')} url={links.attendee} testId="link-attendee" />
        </div>
      </div>

      <LinkRow label={t('admin.moderatorLink')} note={t('admin.secret')} url={links.moderator} testId="link-moderator" />
      <LinkRow label={t('admin.projectorLink')} note={t('admin.secret')} url={links.projector} testId="link-projector" />
      <LinkRow
        label={t('admin.speakerLink')}
        note={t('admin.speakerNote')}
        url={links.moderator.replace(`/m/${event.id}`, `/s/${event.id}`)}
        testId="link-speaker"
      />
      {Object.entries(links.interpreters).map(([lang, url]) => (
        <LinkRow
          key={lang}
          label={t('admin.interpreterLink', { language: languageName(lang, ui), lang })}
          note={t('admin.secret')}
          url={url}
          testId={`link-interpreter-${lang}`}
        />
      ))}

      {links.report && (
        <LinkRow label={t('admin.reportLink')} note={t('admin.readOnly')} help={t('admin.reportHelp')} url={links.report} testId="link-report" />
      )}

      <DecksSection eventId={event.id} token={created.secrets.moderator} />

      <button type="button" className="btn" onClick={onAnother}>
        {renewed ? t('admin.backToEvents') : t('admin.another')}
      </button>
    </section>
  );
}
