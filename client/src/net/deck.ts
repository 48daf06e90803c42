/**
 * Decks over HTTP: what the server accepts (`GET /api/capabilities`), the running order's decks
 * (`GET /api/events/:id/decks`), and the upload itself (`PUT …/deck`) through XMLHttpRequest, the
 * one browser API that reports upload progress. Errors come back as words a moderator can act on.
 */
import type { Capabilities, DeckList, DeckUploaded } from '../../../shared/deck.ts';
import type { WireError } from '../../../shared/errors.ts';
import { DECK_LIMITS, OFFICE_EXTENSIONS, OFFICE_TYPES, PDF_TYPE } from '../../../shared/deck.ts';
import { t, useI18n } from '../i18n/index.ts';
import type { Result } from './api.ts';
import { explain } from '../lib/explain.ts';

export type DeckCapabilities = Capabilities['slides'];

/** Without an answer (an older server, the Wi-Fi): PDF only, the contract's limits. */
const FALLBACK: DeckCapabilities = { convert: false, types: [PDF_TYPE], maxBytes: DECK_LIMITS.maxBytes, maxPages: DECK_LIMITS.maxPages };

let capabilities: Promise<DeckCapabilities> | null = null;

/** What this server accepts as a deck (asked once per page). */
export function deckCapabilities(): Promise<DeckCapabilities> {
  capabilities ??= fetch('/api/capabilities')
    .then((r) => (r.ok ? (r.json() as Promise<Capabilities>) : null))
    .then((c) => c?.slides ?? FALLBACK)
    .catch(() => {
      capabilities = null; // ask again next time
      return FALLBACK;
    });
  return capabilities;
}

export async function fetchDeckList(eventId: string, token: string): Promise<Result<DeckList>> {
  try {
    const res = await fetch(`/api/events/${encodeURIComponent(eventId)}/decks`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json().catch(() => null)) as DeckList | { error: WireError } | null;
    if (res.ok && body && 'items' in body) return { ok: true, data: body };
    const error: WireError = body && 'error' in body ? body.error : { code: 'INTERNAL', message: `HTTP ${res.status}` };
    return { ok: false, status: res.status, error };
  } catch {
    return { ok: false, status: 0, error: { code: 'UNAVAILABLE', message: t('common.unreachable') } };
  }
}

const extensionTypes: Record<string, string> = {
  '.pdf': PDF_TYPE,
  '.pptx': OFFICE_TYPES[0],
  '.odp': OFFICE_TYPES[1],
  '.ppt': OFFICE_TYPES[2],
};

const extensionOf = (name: string) => /\.[A-Za-z0-9]+$/.exec(name)?.[0].toLowerCase() ?? '';

/** The `accept` attribute of a file picker for these capabilities. */
export function acceptAttribute(caps: DeckCapabilities): string {
  return [PDF_TYPE, '.pdf', ...(caps.convert ? [...OFFICE_TYPES, ...OFFICE_EXTENSIONS] : [])].join(',');
}

/** Why this file cannot be a deck here, before sending a byte (null: send it). */
export function checkDeckFile(file: File, caps: DeckCapabilities): string | null {
  const ext = extensionOf(file.name);
  const office = (OFFICE_EXTENSIONS as readonly string[]).includes(ext) || (OFFICE_TYPES as readonly string[]).includes(file.type);
  if (office && !caps.convert) {
    return t('slides.noConvert');
  }
  if (!office && ext !== '.pdf' && file.type !== PDF_TYPE) {
    return caps.convert ? t('slides.chooseAny') : t('slides.choosePdf');
  }
  if (file.size === 0) return t('slides.empty');
  if (file.size > caps.maxBytes) {
    return t('slides.tooBig', { size: megabytes(file.size), limit: megabytes(caps.maxBytes) });
  }
  return null;
}

/** "1.5 MB", "60 Mo", "60 ميغابايت": in the interface's language. */
export function megabytes(bytes: number): string {
  const digits = bytes < 10 * 1024 * 1024 ? 1 : 0;
  const value = bytes / 1024 / 1024;
  try {
    const unit = { style: 'unit', unit: 'megabyte', minimumFractionDigits: digits, maximumFractionDigits: digits } as const;
    return new Intl.NumberFormat(useI18n.getState().lang, unit).format(value);
  } catch {
    return `${value.toFixed(digits)} MB`;
  }
}

export interface UploadProgress {
  /** Bytes sent so far and in all (0..total). */
  sent: number;
  total: number;
  /** All bytes are sent: the server is rendering the pages. */
  rendering: boolean;
}

export interface Upload {
  done: Promise<Result<DeckUploaded>>;
  abort(): void;
}

/** Sends a deck; `onProgress` follows the upload, then "rendering" until the server answers. */
export function uploadDeck(eventId: string, itemId: string, token: string, file: File, onProgress: (p: UploadProgress) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Result<DeckUploaded>>((resolve) => {
    xhr.open('PUT', `/api/events/${encodeURIComponent(eventId)}/items/${encodeURIComponent(itemId)}/deck`);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', file.type || extensionTypes[extensionOf(file.name)] || 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress({ sent: e.loaded, total: e.lengthComputable ? e.total : file.size, rendering: false });
    xhr.upload.onload = () => onProgress({ sent: file.size, total: file.size, rendering: true });
    xhr.onload = () => {
      const body = xhr.response as DeckUploaded | { error?: WireError } | null;
      if (xhr.status === 201 && body && 'pageCount' in body) return resolve({ ok: true, data: body });
      const error: WireError =
        body && 'error' in body && body.error
          ? body.error
          : { code: xhr.status === 413 ? 'TOO_LARGE' : 'INTERNAL', message: xhr.status === 413 ? t('slides.fileTooLarge') : t('slides.httpStatus', { status: xhr.status }) };
      resolve({ ok: false, status: xhr.status, error });
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, error: { code: 'UNAVAILABLE', message: t('slides.connectionLost') } });
    xhr.onabort = () => resolve({ ok: false, status: 0, error: { code: 'UNAVAILABLE', message: t('slides.cancelled') } });
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** A refusal in words: the server's message (already meant for people), and what to do when it is not about the file. */
export function uploadErrorText(error: WireError, status: number): string {
  const text = explain(error);
  const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)}`.replace(/\.?$/, '.');
  if (status === 0) return `${sentence} ${t('slides.checkWifi')}`;
  if (error.code === 'AUTH_FAILED') return t('slides.badKey');
  if (error.code === 'NOT_FOUND') return `${sentence} ${t('slides.orderChanged')}`;
  return sentence;
}
