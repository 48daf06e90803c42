/**
 * The slides domain: decks uploaded per running-order item, rendered once into page images that
 * any server process serves, and the projector's overlay switch. The slide pointer itself
 * (`slide:*`) is the live core's (shared/transitions.ts bounds it by the deck's page count).
 */
import { DECK_LIMITS } from '../../shared/deck.ts';
import type { BackendContext } from '../backend.ts';
import type { Domain, DomainContext } from '../domain.ts';
import type { Store } from '../store/types.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { fileBlobs, memoryBlobs, redisBlobs } from './blobs.ts';
import { createDeckStore, type DeckStore } from './decks.ts';
import { createPageCache } from './page-cache.ts';
import { createRenderer, type RendererOptions } from './render.ts';
import { baseHash, mountSlideRoutes, pageKey } from './routes.ts';

export interface SlidesOptions extends Omit<RendererOptions, 'warn'> {
  /** Upload cap in bytes (PROTOCOL: 60 MB). */
  maxBytes?: number;
  /** Bytes of page images each process keeps in memory (default 64 MB). */
  cacheBytes?: number;
  /** Where page images live; default: by backend (DATA_DIR files, memory, or Redis). */
  decks?: DeckStore;
  /**
   * A deck no item uses any more is deleted once it has been stored (or re-uploaded) this long
   * ago, and at least this long after the upload that replaced it (default 5 minutes): phones
   * still showing it finish, and an upload in progress on another process is never caught.
   */
  pruneAfterMs?: number;
}

/** The decks of a backend: on its logs, images in files under DATA_DIR (or memory), or Redis. */
export function deckStoreFor(ctx: BackendContext, logs: EventLogs): DeckStore {
  const blobs = ctx.kind === 'redis' ? redisBlobs(ctx.redis, ctx.keys) : ctx.dataDir ? fileBlobs(ctx.dataDir) : memoryBlobs();
  return createDeckStore(logs, blobs);
}

/** Built by the app with its context (DomainPlug): its renders and prunes log through the app's logger. */
export function createSlidesDomain(ctx: BackendContext, store: Store, options: SlidesOptions = {}): (app: DomainContext) => Domain {
  return (app) => slidesDomain(app, ctx, store, options);
}

function slidesDomain(app: DomainContext, ctx: BackendContext, store: Store, options: SlidesOptions): Domain {
  const decks = options.decks ?? deckStoreFor(ctx, store.logs);
  const renderer = createRenderer({ ...options, warn: (info, message) => app.logger.warn(info, message) });
  const cache = createPageCache(options.cacheBytes ?? 64 * 1024 * 1024);
  const graceMs = options.pruneAfterMs ?? 5 * 60_000;
  const pending = new Map<string, NodeJS.Timeout>();

  /** Deletes the event's decks that no item uses and that were stored over `graceMs` ago. */
  async function prune(eventId: string): Promise<void> {
    const state = await store.getState(eventId);
    if (!state) return;
    const used = new Set(state.agenda.map((i) => baseHash(eventId, i.slides.base)));
    const before = Date.now() - graceMs;
    for (const deck of await decks.list(eventId)) {
      if (used.has(deck.hash) || deck.storedAt >= before) continue;
      await decks.remove(eventId, deck.hash);
      cache.forget(pageKey(eventId, deck.hash));
    }
  }
  /** After an upload: one prune per event, a grace period later (a later upload pushes it back). */
  function schedulePrune(eventId: string) {
    clearTimeout(pending.get(eventId));
    const timer = setTimeout(() => {
      pending.delete(eventId);
      prune(eventId).catch((err: unknown) => app.logger.warn({ eventId, err: String(err) }, 'replaced decks not removed'));
    }, graceMs + 1000);
    timer.unref();
    pending.set(eventId, timer);
  }

  return {
    name: 'slides',
    commands: (dctx) => ({
      'projector:overlay': async ({ visible }, socket) => {
        await dctx.store.change(socket.data.eventId, 'overlay', { visible });
        return undefined;
      },
    }),
    routes(api) {
      mountSlideRoutes(api, {
        store,
        decks,
        renderer,
        cache,
        maxBytes: options.maxBytes ?? DECK_LIMITS.maxBytes,
        uploaded: schedulePrune,
      });
    },
    async close() {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}
