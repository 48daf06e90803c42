/**
 * The box's machine translation (PROTOCOL "Machine translation on the box"): one engine per server,
 * shared by every domain that translates (captions, questions, the report's drafts).
 *
 * Selection: `TRANSLATE_ENGINE=none` → none; `TRANSLATE_URL` → that server (LibreTranslate or
 * Apertium APY); else Debian's Apertium when `apertium` is on PATH with pairs installed; else none.
 *
 * Whatever the engine, this layer adds: languages matched by primary tag, a pivot through one
 * language when the pair itself is missing (fr → es → it), a bounded LRU cache keyed by
 * (from, to, text) with requests in flight shared (a question shown to many readers is translated
 * once per language), a bound on the text's length, and a pair that cannot be reached reported once.
 */
import type { Logger } from '../log.ts';
import { createApertium, findApertiumData, onPath, type Apertium } from './apertium.ts';
import { createHttpTranslator, type HttpTranslator } from './http.ts';
import { pairKey, primaryTag } from './languages.ts';

export type EngineName = 'apertium' | 'libretranslate' | 'apy';

/** How `to` is reached from `from`: the pair itself, or through one pivot language. */
export type Route = { kind: 'direct' } | { kind: 'pivot'; via: string };

export interface TranslationEngine {
  name(): EngineName;
  /** Settles once the engine knows its pairs (an HTTP server is asked at start). */
  ready: Promise<void>;
  /** How `from` reaches `to`, or null (same language, or no pair, even through a pivot). */
  reach(from: string, to: string): Route | null;
  /** The translation, or null: unreachable, too long, failed, timed out or dropped. */
  translate(text: string, from: string, to: string): Promise<string | null>;
  /** Starts what `from` → `to` needs now (Apertium's processes), so the first line is not slow. */
  warm(from: string, to: string): void;
  /** Direct pairs (primary tags), or 'any' when a server does not list them. */
  pairs(): { from: string; to: string }[] | 'any';
  /** The translator processes running on the box now (Apertium: one process group per pair). */
  processes(): { mode: string; pid: number }[];
  close(): Promise<void>;
}

/** What an engine provides; the routing, cache and bounds are this file's. */
interface Direct {
  name(): EngineName;
  ready: Promise<void>;
  pairs(): Set<string> | 'any';
  translateDirect(text: string, from: string, to: string): Promise<string | null>;
  warm?(from: string, to: string): void;
  processes?(): { mode: string; pid: number }[];
  close?(): void;
}

export interface EngineOptions {
  /** Characters; longer text is not translated (null). */
  maxChars?: number;
  /** Entries of the (from, to, text) cache. */
  cacheEntries?: number;
  /** Pivot languages tried in this order, before any other that works. */
  pivots?: string[];
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export const ENGINE_DEFAULTS = { maxChars: 5_000, cacheEntries: 2_000, pivots: ['es', 'en', 'fr'] };

export function wrapEngine(direct: Direct, options: EngineOptions = {}): TranslationEngine {
  const maxChars = options.maxChars ?? ENGINE_DEFAULTS.maxChars;
  const cacheEntries = options.cacheEntries ?? ENGINE_DEFAULTS.cacheEntries;
  const pivots = options.pivots ?? ENGINE_DEFAULTS.pivots;
  /** LRU: a Map keeps insertion order; a hit is moved to the end. */
  const cache = new Map<string, Promise<string | null>>();
  const reported = new Set<string>();

  const has = (from: string, to: string) => {
    const p = direct.pairs();
    return p === 'any' || p.has(pairKey(from, to));
  };

  function reach(fromTag: string, toTag: string): Route | null {
    const from = primaryTag(fromTag);
    const to = primaryTag(toTag);
    if (!from || !to || from === to) return null;
    if (has(from, to)) return { kind: 'direct' };
    const p = direct.pairs();
    if (p === 'any') return null;
    const middles = new Set<string>();
    for (const key of p) {
      const [a, b] = key.split('>') as [string, string];
      if (a === from && p.has(pairKey(b, to))) middles.add(b);
    }
    const via = pivots.find((l) => middles.has(l)) ?? [...middles].sort()[0];
    return via ? { kind: 'pivot', via } : null;
  }

  async function route(text: string, from: string, to: string, r: Route): Promise<string | null> {
    if (r.kind === 'direct') return direct.translateDirect(text, from, to);
    const middle = await direct.translateDirect(text, from, r.via);
    return middle === null ? null : direct.translateDirect(middle, r.via, to);
  }

  return {
    name: () => direct.name(),
    ready: direct.ready,
    reach,
    pairs() {
      const p = direct.pairs();
      return p === 'any' ? 'any' : [...p].map((k) => ({ from: k.split('>')[0]!, to: k.split('>')[1]! }));
    },
    translate(text, fromTag, toTag) {
      const from = primaryTag(fromTag);
      const to = primaryTag(toTag);
      const clean = text.trim();
      if (!clean) return Promise.resolve(null);
      if (from === to) return Promise.resolve(clean);
      if (clean.length > maxChars) return Promise.resolve(null);
      const r = reach(from, to);
      if (!r) {
        const key = pairKey(from, to);
        if (!reported.has(key)) {
          reported.add(key);
          options.logger?.warn({ from, to, engine: direct.name() }, 'no translation pair (reported once)');
        }
        return Promise.resolve(null);
      }
      const key = `${from}\0${to}\0${clean}`;
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const pending = route(clean, from, to, r).catch(() => null);
      cache.set(key, pending);
      // A failure is not remembered: the next time may work.
      void pending.then((out) => {
        if (out === null && cache.get(key) === pending) cache.delete(key);
      });
      while (cache.size > cacheEntries) cache.delete(cache.keys().next().value!);
      return pending;
    },
    warm(fromTag, toTag) {
      const from = primaryTag(fromTag);
      const to = primaryTag(toTag);
      const r = reach(from, to);
      if (!r || !direct.warm) return;
      if (r.kind === 'direct') direct.warm(from, to);
      else {
        direct.warm(from, r.via);
        direct.warm(r.via, to);
      }
    },
    processes: () => direct.processes?.() ?? [],
    async close() {
      direct.close?.();
    },
  };
}

/** Apertium's pipes as an engine. */
export function apertiumEngine(apertium: Apertium, options: EngineOptions = {}): TranslationEngine {
  return wrapEngine(
    {
      name: () => 'apertium',
      ready: Promise.resolve(),
      pairs: () => new Set(apertium.pairs.keys()),
      translateDirect: (t, f, to) => apertium.translateDirect(t, f, to),
      warm: (f, t) => apertium.warm(f, t),
      processes: () => [...apertium.pipes.values()].flatMap((p) => (p.pid ? [{ mode: p.mode, pid: p.pid }] : [])),
      close: () => apertium.close(),
    },
    options,
  );
}

export function httpEngine(http: HttpTranslator, options: EngineOptions = {}): TranslationEngine {
  return wrapEngine({ name: () => http.kind(), ready: http.ready, pairs: () => http.pairs(), translateDirect: (t, f, to) => http.translateDirect(t, f, to) }, options);
}

export type EngineChoice = 'auto' | 'none' | 'apertium';

export interface TranslateSettings extends EngineOptions {
  /** `TRANSLATE_URL`: a LibreTranslate or Apertium APY server; wins over Apertium on the box. */
  url?: string | null;
  apiKey?: string;
  /** `TRANSLATE_ENGINE`: `none` turns translation off; `apertium` ignores TRANSLATE_URL. */
  engine?: EngineChoice;
  /** `APERTIUM_DIR`: the folder holding Apertium's `modes/` (default: Debian's). */
  apertiumDir?: string | null;
  /** Per line (Apertium) or request (a server). */
  timeoutMs?: number;
}

/** The engine the settings and this machine give, or null (none). */
export function openTranslation(settings: TranslateSettings): TranslationEngine | null {
  const { logger } = settings;
  const choice = settings.engine ?? 'auto';
  if (choice === 'none') return null;
  if (settings.url && choice !== 'apertium') {
    return httpEngine(
      createHttpTranslator({
        url: settings.url,
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
        ...(logger ? { logger } : {}),
      }),
      settings,
    );
  }
  if (!onPath('apertium')) {
    if (choice === 'apertium') logger?.warn({}, 'TRANSLATE_ENGINE=apertium but `apertium` is not on PATH: no translation');
    return null;
  }
  const dataDir = settings.apertiumDir ?? findApertiumData();
  if (!dataDir) {
    logger?.warn({}, 'apertium is installed but no language pair is: no translation');
    return null;
  }
  const apertium = createApertium({ dataDir, ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}), ...(logger ? { logger } : {}) });
  if (apertium.pairs.size === 0) {
    logger?.warn({ dataDir }, 'no Apertium pair in this folder: no translation');
    return null;
  }
  logger?.info({ dataDir, modes: [...apertium.pairs.values()].map((p) => p.mode) }, 'translation: Apertium');
  return apertiumEngine(apertium, settings);
}
