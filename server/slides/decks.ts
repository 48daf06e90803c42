/**
 * The event's rendered decks, written once for every backend: which decks are stored, their page
 * count and stored time are entries of the event's log (`slides.deck`, `slides.drop`, folded by
 * rules.ts); the page images are blobs (blobs.ts: files under DATA_DIR, memory, or Redis).
 *
 * A deck's entry is appended after every page image is stored, so a deck that can be read is whole,
 * whatever process reads it. Decks are content-addressed (`hash` = SHA-256 of the render profile
 * and the uploaded bytes): a deck is written at most once and never changes, so readers may cache
 * it forever. An upload of stored bytes appends the entry again, renewing its stored time, so that
 * the slides domain removes decks no item uses only once they are older than a grace period
 * (domain.ts `prune`), never racing an upload in progress.
 */
import type { PageSize } from '../../shared/deck.ts';
import { domainLog, type EventLogs } from '../log/event-logs.ts';
import { isKeySafe } from '../store/keys.ts';
import type { PageBlobs } from './blobs.ts';
import { decksReducer, type DecksEntry, type DecksState } from './rules.ts';

/** Reads one rendered page image (from the render's temporary folder). */
export type PageSource = (page: number, size: PageSize) => Promise<Buffer>;

export interface StoredDeck {
  hash: string;
  /** When the deck was stored or last uploaded again (ms epoch). */
  storedAt: number;
}

export const DECK_HASH = /^[0-9a-f]{16,64}$/;
const SIZES: readonly PageSize[] = ['phone', 'screen'];
/** Pages whose images are written at once (a page's two images are ~100–300 KB together). */
const PUT_PAGES = 3;

/** Whether an event id, hash and page can name a stored page at all (else: nothing to look up). */
const nameable = (eventId: string, hash: string, page = 1) => isKeySafe(eventId) && DECK_HASH.test(hash) && Number.isInteger(page) && page >= 1;

export type DeckStore = ReturnType<typeof createDeckStore>;

export function createDeckStore(logs: EventLogs, blobs: PageBlobs) {
  const log = domainLog<DecksState, DecksEntry>(logs, decksReducer);
  const deck = async (eventId: string, hash: string) => (nameable(eventId, hash) ? ((await log.state(eventId)).decks[hash] ?? null) : null);
  return {
    kind: blobs.kind,
    /** The page count of a deck stored whole, or null. */
    async pageCount(eventId: string, hash: string): Promise<number | null> {
      return (await deck(eventId, hash))?.pageCount ?? null;
    },
    /** Stores every page (phone and screen) from `source`, then the deck's entry; nothing when stored. */
    async put(eventId: string, hash: string, pageCount: number, source: PageSource): Promise<void> {
      if (!nameable(eventId, hash)) throw new Error('invalid deck name');
      if (await deck(eventId, hash)) return;
      // PUT_PAGES pages at a time: on Redis their images leave in one pipelined write.
      for (let first = 1; first <= pageCount; first += PUT_PAGES) {
        const pages = Array.from({ length: Math.min(PUT_PAGES, pageCount - first + 1) }, (_, i) => first + i);
        await Promise.all(pages.flatMap((page) => SIZES.map(async (size) => blobs.put(eventId, hash, page, size, await source(page, size)))));
      }
      await log.append(eventId, { kind: 'slides.deck', payload: { hash, pageCount } });
    },
    /** One page image, or null (unknown deck, page 0 or past the last page). */
    async get(eventId: string, hash: string, page: number, size: PageSize): Promise<Buffer | null> {
      const d = nameable(eventId, hash, page) ? await deck(eventId, hash) : null;
      return d && page <= d.pageCount ? blobs.get(eventId, hash, page, size) : null;
    },
    /** A stored deck was uploaded again: its stored time becomes now. */
    async touch(eventId: string, hash: string): Promise<void> {
      const d = await deck(eventId, hash);
      if (d) await log.append(eventId, { kind: 'slides.deck', payload: { hash, pageCount: d.pageCount } });
    },
    /** The event's stored decks. */
    async list(eventId: string): Promise<StoredDeck[]> {
      if (!isKeySafe(eventId)) return [];
      return Object.entries((await log.state(eventId)).decks).map(([hash, d]) => ({ hash, storedAt: d.storedAt }));
    },
    /** Deletes a deck: its entry first (it reads as absent at once), then its images. */
    async remove(eventId: string, hash: string): Promise<void> {
      const d = await deck(eventId, hash);
      if (!d) return;
      await log.append(eventId, { kind: 'slides.drop', payload: { hash } });
      await blobs.remove(eventId, hash, d.pageCount);
    },
  };
}
