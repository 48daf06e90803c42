/**
 * WHIP and WHEP (PROTOCOL "Interpretation audio (WHIP / WHEP)"): `POST …/audio/:channel/whip` with
 * a key publishes, `…/whep` listens, `DELETE <Location>` ends a session. Checks in the contract's
 * order, each before anything costlier: the event and channel (404), the key (401, then 403), the
 * body (400), capacity (503 with Retry-After). No body is read before the key passed.
 */
import type { Request, Response, Router } from 'express';
import { audioChannels } from '../../shared/audio.ts';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { secretMatches } from '../auth/secrets.ts';
import { bearer } from '../http/routes.ts';
import { HttpRefusal } from '../http/refusal.ts';
import type { EventRecord } from '../events/records.ts';
import type { Store } from '../store/types.ts';
import type { EndOutcome, EndRequest, MediaEngine } from './media.ts';
import { CapacityError, OfferError } from './media.ts';
import { MAX_OFFER_BYTES, readAudioOffer } from './sdp.ts';

/** Seconds a listener refused for capacity is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

const badOffer = (message: string) => new TribuneError(ErrorCode.INVALID_PAYLOAD, message);
const noSession = () => new TribuneError(ErrorCode.NOT_FOUND, 'no such audio session (it ended)');

/** Who a key is for this event: the moderator, one language's interpreter, another role, or nobody. */
function keyHolder(record: EventRecord, token: string | null): { role: 'moderator' } | { role: 'interpreter'; lang: string } | { role: 'other' } | null {
  if (!token || token.length > 1000) return null;
  const h = record.secretHashes;
  // Every hash is compared (constant time each), whichever matches.
  let found: { role: 'moderator' } | { role: 'interpreter'; lang: string } | { role: 'other' } | null = null;
  if (secretMatches(token, h.moderator)) found = { role: 'moderator' };
  for (const [lang, hash] of Object.entries(h.interpreters)) if (secretMatches(token, hash) && !found) found = { role: 'interpreter', lang };
  const others = [h.projector, h.report].filter((x): x is string => typeof x === 'string');
  for (const hash of others) if (secretMatches(token, hash) && !found) found = { role: 'other' };
  return found;
}

/** 401 for a key that is none of the event's, 403 for one that may not publish on `channel`. */
function requirePublisherKey(record: EventRecord, req: Request, channel: string) {
  const holder = keyHolder(record, bearer(req));
  if (!holder) throw new TribuneError(ErrorCode.AUTH_FAILED, "the key is missing or not one of this event's");
  if (holder.role === 'moderator') return;
  if (holder.role === 'interpreter' && holder.lang === channel) return;
  throw new TribuneError(ErrorCode.FORBIDDEN, `this key may not publish on the ${channel} channel`);
}

/** The event's record and checks that `channel` is one of its channels (else 404). */
async function eventChannel(store: Store, eventId: string, channel: string): Promise<EventRecord> {
  const record = /^[A-Za-z0-9_-]{1,64}$/.test(eventId) ? await store.getEvent(eventId) : null;
  const state = record ? await store.getState(eventId) : null;
  if (!record || !state) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  if (!audioChannels(state.event).includes(channel)) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such audio channel in this event');
  return record;
}

/** The request's SDP offer as text: `application/sdp`, at most MAX_OFFER_BYTES, UTF-8. */
async function readOfferText(req: Request): Promise<string> {
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/sdp') throw badOffer('the body must be an SDP offer (Content-Type: application/sdp)');
  const encoding = (req.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw badOffer('an SDP offer is sent without Content-Encoding');
  if (Number(req.get('content-length') ?? 0) > MAX_OFFER_BYTES) {
    throw new HttpRefusal(ErrorCode.TOO_LARGE, `an SDP offer has at most ${MAX_OFFER_BYTES} bytes`, 413);
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_OFFER_BYTES) throw new HttpRefusal(ErrorCode.TOO_LARGE, `an SDP offer has at most ${MAX_OFFER_BYTES} bytes`, 413);
    parts.push(chunk);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    throw badOffer('the body is not UTF-8 text');
  }
}

function sendAnswer(res: Response, location: string, answer: string) {
  res
    .status(201)
    .set('Content-Type', 'application/sdp')
    .set('Location', location)
    .set('Cache-Control', 'no-store')
    // A Buffer: Express adds no charset to the contract's Content-Type.
    .send(Buffer.from(answer, 'utf8'));
}

export interface AudioRouteDeps {
  store: Store;
  /** The engine, once loaded; null: media is unavailable on this machine (503). */
  engine(): MediaEngine | null;
  /**
   * Ends the session a DELETE names, here or on the process holding it (domain.ts);
   * 'unanswered': that process did not answer in time.
   */
  end(request: EndRequest): Promise<EndOutcome | 'unanswered'>;
}

export function audioRoutes(api: Router, deps: AudioRouteDeps) {
  const { store } = deps;
  const engineOr503 = () => {
    const engine = deps.engine();
    if (!engine) throw new TribuneError(ErrorCode.UNAVAILABLE, 'audio is not available on this server (its media engine did not load)');
    return engine;
  };
  const base = (eventId: string, channel: string, kind: 'whip' | 'whep') =>
    `/api/events/${encodeURIComponent(eventId)}/audio/${encodeURIComponent(channel)}/${kind}`;

  api.post('/events/:id/audio/:channel/whip', async (req, res) => {
    const { id, channel } = req.params as { id: string; channel: string };
    const record = await eventChannel(store, id, channel);
    requirePublisherKey(record, req, channel);
    const sdp = await readOfferText(req);
    const offer = readAudioOffer(sdp, 'publish');
    if (typeof offer === 'string') throw badOffer(offer);
    const engine = engineOr503();
    try {
      const session = await engine.publish(record.id, channel, sdp, offer);
      sendAnswer(res, `${base(record.id, channel, 'whip')}/${session.id}`, session.answer);
    } catch (err) {
      if (err instanceof OfferError) throw badOffer(err.message);
      throw err;
    }
  });

  api.post('/events/:id/audio/:channel/whep', async (req, res) => {
    const { id, channel } = req.params as { id: string; channel: string };
    const record = await eventChannel(store, id, channel);
    const sdp = await readOfferText(req);
    const offer = readAudioOffer(sdp, 'listen');
    if (typeof offer === 'string') throw badOffer(offer);
    const engine = engineOr503();
    try {
      const session = await engine.listen(record.id, channel, sdp, offer);
      sendAnswer(res, `${base(record.id, channel, 'whep')}/${session.id}`, session.answer);
    } catch (err) {
      if (err instanceof CapacityError) {
        res.set('Retry-After', String(RETRY_AFTER_SECONDS));
        throw new TribuneError(ErrorCode.UNAVAILABLE, err.message);
      }
      if (err instanceof OfferError) throw badOffer(err.message);
      throw err;
    }
  });

  // A session URL takes DELETE only. No trickle ICE and no ICE restart here (the answer carries
  // every candidate; a phone that lost its path starts a new session): PATCH, like any other
  // method, is 405 with `Allow: DELETE` (RFC 9110 §15.5.6), whatever the session.
  const sessionPath = '/events/:id/audio/:channel/:kind/:session';
  const notAllowed = (req: Request, res: Response) => {
    res.set('Allow', 'DELETE');
    throw new HttpRefusal(ErrorCode.INVALID_PAYLOAD, `an audio session takes DELETE only, not ${req.method} (no trickle ICE, no ICE restart)`, 405);
  };
  for (const method of ['patch', 'get', 'put', 'post'] as const) api[method](sessionPath, notAllowed);

  api.delete(sessionPath, async (req, res) => {
    const { id, channel, kind, session: sessionId } = req.params as { id: string; channel: string; kind: string; session: string };
    if (kind !== 'whip' && kind !== 'whep') throw new TribuneError(ErrorCode.NOT_FOUND, 'no such API route');
    const record = await eventChannel(store, id, channel);
    const wanted = kind === 'whip' ? 'publisher' : 'listener';
    // A publisher's session ends with its key (or the moderator's); a listener's id is its own
    // secret. The key is judged here; the refusal is told only if the session exists (else 404).
    let refusal: TribuneError | null = null;
    if (wanted === 'publisher') {
      try {
        requirePublisherKey(record, req, channel);
      } catch (err) {
        if (!(err instanceof TribuneError)) throw err;
        refusal = err;
      }
    }
    const outcome = await deps.end({ session: sessionId, eventId: record.id, channel, kind: wanted, authorized: !refusal });
    if (outcome === 'refused') throw refusal!;
    if (outcome === 'missing') throw noSession();
    if (outcome === 'unanswered') {
      res.set('Retry-After', '1');
      throw new TribuneError(ErrorCode.UNAVAILABLE, 'the server process holding this session did not answer; try again');
    }
    res.status(200).set('Cache-Control', 'no-store').end();
  });
}
