/**
 * The report's HTTP calls (PROTOCOL.md `GET /api/events/:id/report`, its downloads and the
 * summary routes). The key is the moderator's, the event's read-only report key or the admin
 * token; it travels in the Authorization header, never in a URL.
 */
import type { Report, ReportFile, SummaryEntry } from '../../../shared/report.ts';
import { call, resultOf, unreachable, type Failure, type Result } from './api.ts';

export type Summaries = Record<string, SummaryEntry>;

const base = (eventId: string) => `/api/events/${encodeURIComponent(eventId)}/report`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const langQuery = (lang: string | undefined) => (lang ? `?lang=${encodeURIComponent(lang)}` : '');

/**
 * The report; `lang` keeps the transcript of that language only, null keeps none (the panels),
 * absent: every language.
 */
export function fetchReport(eventId: string, key: string, lang?: string | null): Promise<Result<Report>> {
  const query = lang === null ? '?transcript=none' : langQuery(lang);
  return call<Report>(`${base(eventId)}${query}`, { headers: bearer(key), cache: 'no-store' });
}

/** Stores `text` as the summary in `lang` (empty: removes it); answers every language's. */
export function saveSummary(eventId: string, key: string, lang: string, text: string): Promise<Result<{ summary: Summaries }>> {
  return call(`${base(eventId)}/summary/${encodeURIComponent(lang)}`, {
    method: 'PUT',
    headers: { ...bearer(key), 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
}

/** Machine-translates the summary in `from` into a draft in `lang`. */
export function draftSummary(eventId: string, key: string, lang: string, from: string): Promise<Result<{ summary: Summaries }>> {
  return call(`${base(eventId)}/summary/${encodeURIComponent(lang)}/draft`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/json' },
    body: JSON.stringify({ from }),
  });
}

/** The file name of `Content-Disposition: attachment; filename="…"` (or `filename*=UTF-8''…`). */
export function attachmentName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // A malformed encoding: try the plain form.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(header);
  return plain?.[1] ?? plain?.[2] ?? null;
}

/**
 * Downloads a report file. A plain link cannot send the Authorization header, so the file is
 * fetched here and handed to the browser as a blob through a temporary `<a download>`, named
 * as the server names it.
 */
export async function downloadReportFile(eventId: string, key: string, file: ReportFile, lang?: string): Promise<Result<{ name: string }>> {
  let res: Response;
  try {
    res = await fetch(`${base(eventId)}/${file}${langQuery(lang)}`, { headers: bearer(key), cache: 'no-store' });
  } catch {
    return unreachable();
  }
  if (!res.ok) return (await resultOf<never>(res)) as Failure;
  let blob: Blob;
  try {
    blob = await res.blob();
  } catch {
    return unreachable(); // the connection dropped mid-file
  }
  const name = attachmentName(res.headers.get('content-disposition')) ?? file;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Not at once: the browser reads the blob after the click has returned.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return { ok: true, data: { name } };
}
