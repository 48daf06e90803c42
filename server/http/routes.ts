/** The HTTP API (PROTOCOL.md "HTTP"). Errors are `{"error":{"code","message"}}`. */
import express, { type NextFunction, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { ErrorCode, TribuneError, httpStatus, type WireError } from '../../shared/errors.ts';
import { EventSetup, LIMITS, type EventList, type EventSummary } from '../../shared/schemas.ts';
import { secretMatches } from '../auth/secrets.ts';
import { createEvent, replaceSecrets } from '../events/service.ts';
import type { Logger } from '../log.ts';
import { toWireError } from '../socket/errors.ts';
import type { Store } from '../store/types.ts';
import { hasBody, jsonBody } from './body.ts';
import { drain } from './drain.ts';
import { HttpRefusal } from './refusal.ts';
import { compressAnswers } from './compress.ts';

export interface ApiDeps {
  store: Store;
  logger: Logger;
  adminTokenHash: string;
  publicUrl: string | (() => string);
  /** An event's secrets were replaced: close the sockets that joined with the old ones. */
  secretsReplaced?: (eventId: string) => void;
}

/** The token of an `Authorization: Bearer <token>` header, or null (absent or another scheme). */
export function bearer(req: Request): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return m?.[1] ?? null;
}

async function publicEventByCode(store: Store, code: string) {
  code = code.trim();
  if (!/^[A-Za-z0-9]{1,20}$/.test(code)) throw new TribuneError(ErrorCode.NOT_FOUND, 'no event with this code');
  const id = await store.findEventIdByCode(code);
  const state = id ? await store.getState(id) : null;
  if (!state) throw new TribuneError(ErrorCode.NOT_FOUND, 'no event with this code');
  return state.event;
}

/** The status and error JSON of a refusal; anything unexpected is logged as internal. */
function answer(err: unknown, logger: Logger, path: string): { status: number; error: WireError } {
  if (err instanceof HttpRefusal) return { status: err.status, error: err.toWire() };
  // Express's body parsers (a domain's express.text or express.json) refuse a body with an
  // http-errors 400/413/415 marked `expose`: their status, the contract's codes.
  const e = err as { status?: unknown; expose?: unknown };
  if (e?.expose === true && (e.status === 400 || e.status === 413 || e.status === 415)) {
    if (e.status === 413) return { status: 413, error: { code: ErrorCode.TOO_LARGE, message: 'request body too large' } };
    return { status: e.status, error: { code: ErrorCode.INVALID_PAYLOAD, message: 'the request body could not be read' } };
  }
  const error = toWireError(err, logger, { path });
  return { status: httpStatus[error.code], error };
}

/** `mount` adds the domains' routes before the API's 404 and error handlers. */
export function apiRouter(deps: ApiDeps, mount: (api: express.Router) => void = () => {}) {
  const { store, logger, adminTokenHash } = deps;
  const publicUrl = () => (typeof deps.publicUrl === 'function' ? deps.publicUrl() : deps.publicUrl);
  const api = express.Router();
  // JSON and text answers of 1 KB or more, brotli or gzip as accepted (compress.ts).
  api.use(compressAnswers());
  // Only creating an event takes a JSON body, read once the admin token passed (401 before 400).
  const json = jsonBody(LIMITS.httpJsonBytes);

  const requireAdmin = (req: Request) => {
    const token = bearer(req);
    if (!token || !secretMatches(token, adminTokenHash)) {
      throw new TribuneError(ErrorCode.AUTH_FAILED, 'the admin token is missing or wrong');
    }
  };

  // The admin page's list: newest first, with what tells events apart (no secrets: only hashes exist).
  api.get('/events', async (req, res) => {
    requireAdmin(req);
    const records = await store.listEvents();
    // The states in parallel: on Redis, one round trip's wait for all of them, not one each.
    const states = await Promise.all(records.map((r) => store.getState(r.id)));
    const events: EventSummary[] = records.flatMap((record, n) => {
      const state = states[n];
      if (!state) return [];
      const { id, code, title, languages } = state.event;
      return [{ id, code, title, languages, createdAt: record.createdAt, items: state.agenda.length, phase: state.stage.phase }];
    });
    events.sort((a, b) => b.createdAt - a.createdAt);
    const body: EventList = { events };
    res.set('Cache-Control', 'no-store').json(body);
  });

  // New moderator, projector and interpreter links; the old ones stop working, their sockets close.
  api.post('/events/:id/secrets', async (req, res) => {
    requireAdmin(req);
    const created = await replaceSecrets(store, req.params.id, publicUrl());
    deps.secretsReplaced?.(created.event.id);
    res.set('Cache-Control', 'no-store').json(created);
  });

  api.post('/events', (req, _res, next) => (requireAdmin(req), next()), json, async (req, res) => {
    const parsed = EventSetup.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TribuneError(
        ErrorCode.INVALID_PAYLOAD,
        `${issue?.path.length ? issue.path.join('.') + ': ' : ''}${issue?.message ?? 'invalid event setup'}`,
      );
    }
    const created = await createEvent(store, parsed.data, publicUrl());
    res.status(201).json(created);
  });

  api.get('/join/:code', async (req, res) => {
    res.json(await publicEventByCode(store, req.params.code));
  });

  const joinUrl = (code: string) => `${publicUrl().replace(/\/+$/, '')}/e/${code}`;

  // The address phones type: PUBLIC_URL's, not the one the projector happens to be opened on.
  api.get('/join/:code/link', async (req, res) => {
    const event = await publicEventByCode(store, req.params.code);
    res.json({ url: joinUrl(event.code) });
  });

  api.get('/join/:code/qr.svg', async (req, res) => {
    const event = await publicEventByCode(store, req.params.code);
    const svg = await QRCode.toString(joinUrl(event.code), {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    });
    res.type('image/svg+xml').set('Cache-Control', 'public, max-age=3600').send(svg);
  });

  mount(api);

  api.use((_req, _res) => {
    throw new TribuneError(ErrorCode.NOT_FOUND, 'no such API route');
  });

  api.use(async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, error } = answer(err, logger, req.path);
    // A client still sending its body would miss an answer sent now (PROTOCOL v2: 413 delivered
    // before the connection closes): read the rest off first, within bounds, then close.
    const unread = hasBody(req) && !req.complete;
    if (unread) await drain(req);
    if (res.headersSent || res.destroyed) return;
    if (unread) res.set('Connection', 'close');
    res.status(status).json({ error });
  });
  return api;
}
