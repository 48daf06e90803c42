/** After creation: the join code and QR, and every link with a Copy button. */
import { useEffect, useRef, useState } from 'react';
import { englishName } from '../../lib/lang.ts';
import { qrSrc, type CreatedEvent } from '../../net/api.ts';

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

function LinkRow({ label, url, testId, note }: { label: string; url: string; testId: string; note?: string }) {
  const ref = useRef<HTMLAnchorElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  return (
    <div className="link-row">
      <div className="link-row-head">
        <h3 className="link-row-label">{label}</h3>
        {note && <span className="link-row-note">{note}</span>}
      </div>
      <div className="link-row-body">
        <a ref={ref} className="link-row-url" href={url} data-testid={testId} target="_blank" rel="noopener noreferrer">
          {url}
        </a>
        <button
          type="button"
          className="btn"
          data-testid={`copy-${testId}`}
          onClick={async () => setState(await copyText(url, ref.current))}
        >
          {state === 'copied' ? '✓ Copied' : 'Copy'}
        </button>
      </div>
      <p className="link-row-status" role="status">
        {state === 'selected' ? 'Selected — press Ctrl+C (or ⌘C) to copy.' : ''}
      </p>
    </div>
  );
}

export function Created({ created, onAnother }: { created: CreatedEvent; onAnother(): void }) {
  const { event, links } = created;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    window.scrollTo(0, 0);
  }, []);
  return (
    <section className="created" aria-labelledby="created-h">
      <h2 id="created-h" ref={heading} tabIndex={-1} className="created-h">
        ✓ Event created: <bdi dir="auto">{event.title}</bdi>
      </h2>
      <p className="created-warn" role="note">
        The moderator, projector and interpreter links contain secret keys and are shown only now. Copy them
        somewhere safe before leaving this page.
      </p>

      <div className="created-join">
        <img className="created-qr" src={qrSrc(event.code)} alt={`QR code for joining with code ${event.code}`} />
        <div className="created-join-text">
          <p>Join code</p>
          <p className="created-code" data-testid="created-code">
            {event.code}
          </p>
          <LinkRow label="Attendee link (phones, public)" url={links.attendee} testId="link-attendee" />
        </div>
      </div>

      <LinkRow label="Moderator (tablet)" note="secret" url={links.moderator} testId="link-moderator" />
      <LinkRow label="Projector" note="secret" url={links.projector} testId="link-projector" />
      {Object.entries(links.interpreters).map(([lang, url]) => (
        <LinkRow
          key={lang}
          label={`Interpreter — ${englishName(lang)} (${lang})`}
          note="secret"
          url={url}
          testId={`link-interpreter-${lang}`}
        />
      ))}

      <button type="button" className="btn" onClick={onAnother}>
        Create another event
      </button>
    </section>
  );
}
