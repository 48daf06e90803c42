/**
 * Uploading one item's deck: a file picker and a drop zone, the upload's progress, then "preparing
 * the pages" while the server renders, then the page count — or a refusal in words. Where the
 * server has no LibreOffice, it says "PDF only" before anyone tries a PowerPoint file.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { DeckUploaded } from '../../../shared/deck.ts';
import {
  acceptAttribute,
  checkDeckFile,
  deckCapabilities,
  megabytes,
  uploadDeck,
  uploadErrorText,
  type DeckCapabilities,
  type Upload,
  type UploadProgress,
} from '../net/deck.ts';
import { pluralKey, useT } from '../i18n/index.ts';
import './slides.css';

type Status =
  | { kind: 'idle' }
  | { kind: 'sending'; progress: UploadProgress; name: string }
  | { kind: 'done'; pageCount: number; name: string }
  | { kind: 'error'; text: string };

export interface DeckUploadProps {
  eventId: string;
  token: string;
  itemId: string;
  /** Who the deck is for ("Granada — Conservar…"), for screen readers and messages. */
  itemLabel: string;
  pageCount: number;
  onUploaded?(deck: DeckUploaded): void;
}

export function DeckUpload({ eventId, token, itemId, itemLabel, pageCount, onUploaded }: DeckUploadProps) {
  const [caps, setCaps] = useState<DeckCapabilities | null>(null);
  const t = useT();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const upload = useRef<Upload | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    void deckCapabilities().then((c) => live && setCaps(c));
    return () => {
      live = false;
      upload.current?.abort();
    };
  }, []);

  async function send(file: File) {
    if (status.kind === 'sending') return;
    const c = caps ?? (await deckCapabilities());
    const problem = checkDeckFile(file, c);
    if (problem) return setStatus({ kind: 'error', text: problem });
    const u = uploadDeck(eventId, itemId, token, file, (progress) => setStatus({ kind: 'sending', progress, name: file.name }));
    upload.current = u;
    setStatus({ kind: 'sending', progress: { sent: 0, total: file.size, rendering: false }, name: file.name });
    const r = await u.done;
    upload.current = null;
    if (input.current) input.current.value = '';
    if (r.ok) {
      setStatus({ kind: 'done', pageCount: r.data.pageCount, name: file.name });
      onUploaded?.(r.data);
    } else {
      setStatus({ kind: 'error', text: uploadErrorText(r.error, r.status) });
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void send(file);
  }

  const busy = status.kind === 'sending';
  const hintId = `deck-hint-${itemId}`;
  return (
    <div
      className={`deck-upload${over ? ' is-over' : ''}`}
      data-testid={`deck-upload-${itemId}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="deck-upload-row">
        <span className="deck-upload-state" data-testid={`deck-pages-${itemId}`}>
          {pageCount > 0 ? t(pluralKey('slides.pagesN', pageCount), { n: pageCount }) : t('slides.noDeck')}
        </span>
        <label className={`btn deck-upload-pick${busy ? ' is-disabled' : ''}`}>
          <input
            ref={input}
            type="file"
            className="visually-hidden"
            accept={caps ? acceptAttribute(caps) : '.pdf,application/pdf'}
            disabled={busy}
            aria-describedby={hintId}
            aria-label={t(pageCount > 0 ? 'slides.replaceFor' : 'slides.uploadFor', { item: itemLabel })}
            data-testid={`deck-file-${itemId}`}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void send(file);
            }}
          />
          {pageCount > 0 ? t('slides.replace') : t('slides.upload')}
        </label>
        {busy && (
          <button type="button" className="btn" onClick={() => upload.current?.abort()}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      <p id={hintId} className="deck-upload-hint">
        {t('slides.drop')} {caps?.convert ? t('slides.types') : t('slides.pdfOnly')}
        {caps ? t('slides.limits', { size: megabytes(caps.maxBytes), pages: caps.maxPages }) : '.'}
      </p>
      <div aria-live="polite" className="deck-upload-status" data-testid={`deck-status-${itemId}`} data-kind={status.kind}>
        {status.kind === 'sending' && <Progress progress={status.progress} name={status.name} />}
        {status.kind === 'done' && (
          <p className="deck-upload-ok">
            ✓ <bdi dir="auto">{status.name}</bdi>: {t(pluralKey('slides.readyN', status.pageCount), { n: status.pageCount })}
          </p>
        )}
        {status.kind === 'error' && (
          <p className="field-error" role="alert">
            {status.text}
          </p>
        )}
      </div>
    </div>
  );
}

function Progress({ progress, name }: { progress: UploadProgress; name: string }) {
  const percent = progress.total > 0 ? Math.round((progress.sent / progress.total) * 100) : 0;
  const t = useT();
  return (
    <div className="deck-progress">
      <progress max={100} value={progress.rendering ? undefined : percent} aria-label={`${t('slides.uploading')} ${name}`} />
      <span>
        {progress.rendering ? (
          t('slides.preparing')
        ) : (
          <>
            {t('slides.uploading')} <bdi dir="auto">{name}</bdi>: {percent} %
          </>
        )}
      </span>
    </div>
  );
}
