/**
 * The event's rendered decks, written once for every backend: which decks are stored, their page
 * count and stored time are entries of the event's log (`slides.deck`, `slides.drop`, folded by
 * `decksReducer`); the page images are blobs (blobs.ts: files under DATA_DIR, memory, or Redis).
 *
 * A deck's entry is appended after every page image is stored, so a deck that can be read is whole,
 * whatever process reads it. Decks are content-addressed (`hash` = SHA-256 of the render profile
 * and the uploaded bytes): a deck is written at most once and never changes, so readers may cache
 * it forever. An upload of stored bytes appends the entry again, renewing its stored time, so that
 * the slides domain removes decks no item uses only once they are older than a grace period
 * (domain.ts `prune`), never racing an upload in progress.
 */
import type { PageSize } from '../../shared/deck.ts';
import { domainLog, type EventLogs, type Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';
import { isKeySafe } from '../store/keys.ts';
import type { PageBlobs } from './blobs.ts';

/** Reads one rendered page image (from the render's temporary folder). */
export type PageSource = (page: number, size: PageSize) => Promise<Buffer>;

export interface StoredDeck {
  hash: string;
  /** When the deck was stored or last uploaded again (ms epoch). */
  storedAt: number;
}

export const DECK_HASH = /^[0-9a-f]{16,64}$/;
const SIZES: readonly PageSize[] = ['phone', 'screen'];

export interface DecksState {
  decks: Record<string, { pageCount: number; storedAt: number }>;
}

/**
 * `slides.deck` stores a deck or renews its time (`storedAt`: given by an import of an older
 * version's deck, else the entry's time); `slides.drop` forgets one (its images go after).
 */
export type DecksEntry =
  | { kind: 'slides.deck'; payload: { hash: string; pageCount: number; storedAt?: number } }
  | { kind: 'slides.drop'; payload: { hash: string } };

export const decksReducer: Reducer<DecksState, void> = {
  name: 'slides',
  initial: () => ({ decks: Object.create(null) }),
  apply(state, entry: Entry) {
    const e = entry as Entry & DecksEntry;
    if (e.kind === 'slides.deck') state.decks[e.payload.hash] = { pageCount: e.payload.pageCount, storedAt: e.payload.storedAt ?? e.at };
    else if (e.kind === 'slides.drop') delete state.decks[e.payload.hash];
  },
  save: (state) => state.decks,
  load: (json) => ({ decks: Object.assign(Object.create(null), json) }),
};

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
      for (let page = 1; page <= pageCount; page++) {
        for (const size of SIZES) await blobs.put(eventId, hash, page, size, await source(page, size));
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
