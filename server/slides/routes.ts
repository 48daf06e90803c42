/**
 * The slides' HTTP routes (PROTOCOL.md `PUT …/deck`, page images; extensions: capabilities and
 * the moderator's deck list). Mounted under `/api` by the domain.
 *
 * An upload is checked in the order that costs the client least: secret, event and item, declared
 * type and length — before a byte is read — then size while streaming, then the bytes themselves,
 * then the renderer. Every refusal leaves the stored state and decks as they were: the state
 * changes only in the last step, once every page image is stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Router } from 'express';
import { OFFICE_TYPES, PDF_TYPE, PageSizes, type Capabilities, type DeckList, type DeckUploaded, type PageSize } from '../../shared/deck.ts';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { LiveState } from '../../shared/schemas.ts';
import { deckUploaded } from '../../shared/transitions.ts';
import { secretMatches } from '../auth/secrets.ts';
import { bearer } from '../http/routes.ts';
import type { Store } from '../store/types.ts';
import type { DeckStore } from './decks.ts';
import type { PageCache } from './page-cache.ts';
import { declaredKind, receiveBody, sniffKind } from './receive.ts';
import { RENDER_PROFILE, cannotRender, officeRefused, unsupported, type Renderer } from './render.ts';

export interface SlidesRouteDeps {
  store: Store;
  decks: DeckStore;
  renderer: Renderer;
  cache: PageCache;
  maxBytes: number;
  /** A deck landed in the state: decks it replaced may go (after a grace period). */
  uploaded(eventId: string): void;
}

/** A year, and `immutable`: a page's URL names its deck's content, so it never changes. */
const FOREVER = 'public, max-age=31536000, immutable';
/** Hex digits of the deck hash kept in `base` (128 bits). */
const HASH_CHARS = 32;
const HASH_SALT = `tribune-deck:${JSON.stringify(RENDER_PROFILE)}\n`;

/** The moderator secret of the event, or AUTH_FAILED / NOT_FOUND. */
async function requireModerator(store: Store, eventId: string, token: string | null): Promise<LiveState> {
  const record = await store.getEvent(eventId);
  if (!record) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  if (!token || !secretMatches(token, record.secretHashes.moderator)) {
    throw new TribuneError(ErrorCode.AUTH_FAILED, "the moderator's key is missing or wrong");
  }
  const state = await store.getState(eventId);
  if (!state) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  return state;
}

/** The page cache's key of a page; a deck's keys share the prefix `pageKey(id, hash)`. */
export const pageKey = (eventId: string, hash: string, page?: number, size?: PageSize) =>
  page === undefined ? `${eventId}/${hash}/` : `${eventId}/${hash}/${page}/${size}`;

export const deckBase = (eventId: string, hash: string) => `/api/events/${eventId}/decks/${hash}`;

/** The deck hash of a `base` this server made (null for none or another shape). */
export const baseHash = (eventId: string, base: string | null): string | null =>
  base?.startsWith(`${deckBase(eventId, '')}`) ? base.slice(deckBase(eventId, '').length) : null;

export function mountSlideRoutes(api: Router, deps: SlidesRouteDeps): void {
  const { store, decks, renderer, cache, maxBytes } = deps;
  const accepted = () => [PDF_TYPE, ...(renderer.canConvert ? OFFICE_TYPES : [])];
  const whatWeTake = () => (renderer.canConvert ? 'a PDF, PowerPoint (PPTX, PPT) or OpenDocument (ODP) file' : 'a PDF file');

  api.get('/capabilities', (_req, res) => {
    const body: Capabilities = {
      slides: { convert: renderer.canConvert, types: accepted(), maxBytes, maxPages: renderer.maxPages },
    };
    res.set('Cache-Control', 'no-cache').json(body);
  });

  api.get('/events/:id/decks', async (req, res) => {
    const state = await requireModerator(store, req.params.id, bearer(req));
    const body: DeckList = {
      items: state.agenda.map(({ id, speaker, delegation, title, slides }) => ({ id, speaker, delegation, title, slides })),
    };
    res.set('Cache-Control', 'no-store').json(body);
  });

  api.put('/events/:id/items/:itemId/deck', async (req, res) => {
    let work: string | null = null;
    try {
      const { id, itemId } = req.params;
      const state = await requireModerator(store, id, bearer(req));
      if (!state.agenda.some((i) => i.id === itemId)) {
        throw new TribuneError(ErrorCode.NOT_FOUND, `no item "${itemId}" in the running order`, 'noItem', { item: itemId });
      }
      const declared = declaredKind(req.get('content-type'));
      if (declared === 'refused') throw unsupported(`a deck must be ${whatWeTake()}, not "${req.get('content-type')}"`, 'deckType');
      if (declared === 'office' && !renderer.canConvert) throw officeRefused();
      if (!renderer.canRender) throw cannotRender();

      work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tribune-deck-'));
      const upload = path.join(work, 'upload');
      const received = await receiveBody(req, upload, maxBytes, HASH_SALT);
      if (received.bytes === 0) throw unsupported(`the file is empty: a deck must be ${whatWeTake()}`, 'deckEmpty');
      const kind = sniffKind(received.head);
      if (kind === null || (declared === 'pdf' && kind !== 'pdf')) {
        throw declared === 'pdf'
          ? unsupported('this file is not a PDF: export your slides as PDF and upload that', 'deckNotPdf')
          : unsupported(`this file is not ${whatWeTake()}: export your slides as PDF and upload that`, 'deckType');
      }
      if (kind !== 'pdf' && !renderer.canConvert) throw officeRefused();

      const hash = received.sha256.slice(0, HASH_CHARS);
      const base = deckBase(id, hash);
      // The same bytes were rendered before (another item, or a retry): their pages are stored.
      let pageCount = await decks.pageCount(id, hash);
      if (pageCount === null) {
        const rendered = await renderer.render(upload, kind, work);
        await decks.put(id, hash, rendered.pageCount, rendered.read);
        pageCount = rendered.pageCount;
      } else {
        await decks.touch(id, hash);
      }
      const count = pageCount;
      await store.change(id, 'deck', { itemId, pageCount: count, base });
      deps.uploaded(id);
      const body: DeckUploaded = { pageCount: count, base };
      res.status(201).json(body);
    } finally {
      // A refusal goes on to the API's error handler, which drains what the client is still sending.
      if (work) await fs.promises.rm(work, { recursive: true, force: true });
    }
  });

  api.get('/events/:id/decks/:hash/:page', async (req, res) => {
    const { id, hash } = req.params;
    const size = req.query.size ?? 'screen';
    if (typeof size !== 'string' || !(PageSizes as readonly string[]).includes(size)) {
      throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'size must be "phone" or "screen"');
    }
    const page = /^[0-9]{1,5}$/.test(req.params.page) ? Number(req.params.page) : 0;
    const image = page >= 1 ? await cache.get(pageKey(id, hash, page, size as PageSize), () => decks.get(id, hash, page, size as PageSize)) : null;
    if (!image) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such page');
    // Express answers 304 itself when If-None-Match matches this ETag.
    res
      .set({
        'Content-Type': 'image/jpeg',
        'Cache-Control': FOREVER,
        ETag: `"${hash}-${page}-${size}"`,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(image);
  });
}
