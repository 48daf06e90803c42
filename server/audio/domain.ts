/**
 * Interpretation audio as a domain: the WHIP/WHEP routes (routes.ts), the media engine (media.ts)
 * and `state.audio`. Each process counts its own sessions per event and channel and publishes them
 * like the audience (socket/presence-loop.ts: a changed event at most once per interval, every
 * process's counts summed through `Ephemeral.presence`), so a storm of listeners costs a handful
 * of state broadcasts, not one each.
 */
import type { AudioChannel } from '../../shared/schemas.ts';
import type { Domain } from '../domain.ts';
import type { Logger } from '../log.ts';
import { presenceLoop } from '../socket/presence-loop.ts';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.ts';
import type { Store } from '../store/types.ts';
import { createRedisRelay, type AudioRelay } from './relay.ts';
import { endRequested, newProcessId, sessionOwner, type EndOutcome, type EndRequest, type MediaEngine, type MediaOptions } from './media.ts';
import { audioRoutes } from './routes.ts';

export interface AudioOptions extends Partial<MediaOptions> {
  /** Coalescing interval of `state.audio` changes (default 1 s). */
  intervalMs?: number;
}

/** Listener sessions one process holds by default (AUDIO_MAX_LISTENERS). */
export const DEFAULT_MAX_LISTENERS = 1000;

export async function createAudioDomain(
  store: Store,
  options: AudioOptions = {},
  logger?: Logger,
  /** Several processes on one Redis: channels relayed between them (relay.ts). */
  redis?: { redis: Redis; keys: Keys },
): Promise<Domain & { engine(): MediaEngine | null }> {
  const processId = options.processId ?? newProcessId();
  let engine: MediaEngine | null = null;
  let relay: AudioRelay | null = null;
  try {
    // Loaded here, not at import: a machine without the native binary still runs everything else.
    const { createMediaEngine } = await import('./media.ts');
    if (redis) {
      try {
        relay = await createRedisRelay(redis.redis, redis.keys, {
          processId,
          receive: (...args) => engine?.inject(...args),
          endHere: (request) => (engine ? endRequested(engine, request) : 'missing'),
        });
      } catch (err) {
        // Channels stay within each process (as with one process) until the next start.
        const message = 'interpretation audio: channels are not relayed between processes (Redis subscription failed)';
        if (logger) logger.warn({ err: String(err) }, message);
        else console.warn(`${message}: ${String(err)}`);
      }
    }
    engine = createMediaEngine({
      maxListeners: DEFAULT_MAX_LISTENERS,
      processId,
      ...(relay ? { relay: relay.send } : {}),
      ...options,
    });
  } catch (err) {
    const message = 'interpretation audio unavailable: the media engine did not load';
    if (logger) logger.warn({ err: String(err) }, message);
    else console.warn(`${message}: ${String(err)}`);
  }
  /** DELETE: ended here, or by the process whose id begins the session's (relay.ts). */
  async function end(request: EndRequest): Promise<EndOutcome | 'unanswered'> {
    if (!engine) return 'missing';
    const here = endRequested(engine, request);
    const owner = sessionOwner(request.session);
    if (here !== 'missing' || !relay || !owner || owner === processId) return here;
    return relay.end(owner, request);
  }
  let loop: ReturnType<typeof presenceLoop<Record<string, AudioChannel>>> | null = null;
  const counting = (log: Logger) =>
    (loop ??= presenceLoop<Record<string, AudioChannel>>({
      what: 'audio',
      intervalMs: options.intervalMs ?? 1000,
      logger: log,
      empty: () => ({}),
      isEmpty: (c) => Object.keys(c).length === 0,
      publish: async (eventId, c) => void (await store.publishAudio(eventId, processId, c)),
      // Every tick, not only on a change here: two processes publishing at once (a takeover across
      // them) may each compare with a state that misses the other's entry; the next tick mends it.
      everyTick: true,
    }));
  return {
    name: 'audio',
    engine: () => engine,
    routes(api, ctx) {
      const l = counting(ctx.logger);
      engine?.onChange((eventId) => {
        // The loop publishes this object: it becomes the engine's counts now.
        const c = l.counts(eventId);
        for (const k of Object.keys(c)) delete c[k];
        Object.assign(c, engine!.counts(eventId));
        l.touch(eventId);
      });
      audioRoutes(api, { store, engine: () => engine, end });
    },
    async close() {
      await engine?.close();
      await relay?.close();
      await loop?.stop();
    },
  };
}
