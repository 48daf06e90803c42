/** The HTTP API (PROTOCOL.md "HTTP"). Errors come back as `{ code, message }`, never thrown. */
import type { WireError } from '../../../shared/errors.ts';
import type { EventList, EventSetupInput, PublicEvent } from '../../../shared/schemas.ts';
import { t } from '../i18n/index.ts';

export type Result<T> = { ok: true; data: T } | { ok: false; error: WireError; status: number };

export type Failure = Extract<Result<never>, { ok: false }>;

/** The request never reached the server (Wi-Fi, server down). */
export const unreachable = (): Failure => ({ ok: false, status: 0, error: { code: 'UNAVAILABLE', message: t('common.unreachable') } });

/** A JSON response's outcome: its body on success, else the server's `{error}` (or a generic one). */
export async function resultOf<T>(res: Response): Promise<Result<T>> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy error page): fall through to a generic error.
  }
  if (res.ok) return { ok: true, data: body as T };
  const error = (body as { error?: WireError } | null)?.error;
  return {
    ok: false,
    status: res.status,
    error: error?.code ? error : { code: res.status === 404 ? 'NOT_FOUND' : 'INTERNAL', message: `HTTP ${res.status}` },
  };
}

/** One JSON request; errors come back as a `Result`, never thrown. */
export async function call<T>(url: string, init?: RequestInit): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    return unreachable();
  }
  return resultOf<T>(res);
}

export function fetchJoin(code: string): Promise<Result<PublicEvent>> {
  return call<PublicEvent>(`/api/join/${encodeURIComponent(code)}`);
}

export interface CreatedEvent {
  event: PublicEvent;
  secrets: { moderator: string; projector: string; interpreters: Record<string, string>; report: string };
  links: { attendee: string; moderator: string; projector: string; interpreters: Record<string, string>; report: string };
}

export function createEvent(token: string, setup: EventSetupInput): Promise<Result<CreatedEvent>> {
  return call<CreatedEvent>('/api/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(setup),
  });
}

/** The join QR image (served by the server, encodes PUBLIC_URL/e/CODE). */
export const qrSrc = (code: string) => `/api/join/${encodeURIComponent(code)}/qr.svg`;

/** The attendee address in links and QR codes (the server's PUBLIC_URL). */
export function fetchJoinLink(code: string): Promise<Result<{ url: string }>> {
  return call<{ url: string }>(`/api/join/${encodeURIComponent(code)}/link`);
}

/** The admin page's list of events (admin token). */
export function listEvents(token: string): Promise<Result<EventList>> {
  return call<EventList>('/api/events', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
}

/** New moderator, projector and interpreter links for an event; the old ones stop working. */
export function replaceSecrets(token: string, eventId: string): Promise<Result<CreatedEvent>> {
  return call<CreatedEvent>(`/api/events/${encodeURIComponent(eventId)}/secrets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
}
