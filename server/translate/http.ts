/**
 * A translation server named by `TRANSLATE_URL`: a LibreTranslate API (`POST /translate
 * {q, source, target, format}` → `{translatedText}`, `GET /languages`) or an Apertium APY server
 * (`GET /listPairs`, `POST /translate` form `q`, `langpair=fra|spa` → `{responseData:{translatedText}}`),
 * told apart by asking `/listPairs` first.
 *
 * Requests run at most `concurrency` at a time, each bounded by `timeoutMs`; past `maxQueue`
 * waiting requests the oldest are dropped (a translation that arrives minutes late is worthless).
 */
import type { Logger } from '../log.ts';
import { pairKey, primaryTag } from './languages.ts';

export interface HttpTranslatorOptions {
  /** Base URL of the service (`http://host:5000`) or its `/translate` endpoint. */
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  concurrency?: number;
  maxQueue?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

export function baseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/translate$/, '');
}

type Kind = 'libretranslate' | 'apy';

export interface HttpTranslator {
  /** Settles once the service said which pairs it has (or did not answer: then any pair is tried). */
  ready: Promise<void>;
  kind(): Kind;
  /** Direct pairs as `from>to` primary tags, or 'any' when the service does not list them. */
  pairs(): Set<string> | 'any';
  translateDirect(text: string, from: string, to: string): Promise<string | null>;
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${res.status}`);
  return res.json();
}

export function createHttpTranslator(options: HttpTranslatorOptions): HttpTranslator {
  const base = baseUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const concurrency = options.concurrency ?? 4;
  const maxQueue = options.maxQueue ?? 100;
  let kind: Kind = 'libretranslate';
  let pairs: Set<string> | 'any' = 'any';
  /** The service's own code for a primary tag (APY names languages `fra`, `spa`). */
  const codeOf = new Map<string, string>();

  async function discover() {
    try {
      const body = (await getJson(`${base}/listPairs`, timeoutMs)) as { responseData?: { sourceLanguage: string; targetLanguage: string }[] };
      if (Array.isArray(body.responseData)) {
        kind = 'apy';
        const found = new Set<string>();
        for (const p of body.responseData) {
          const from = primaryTag(p.sourceLanguage);
          const to = primaryTag(p.targetLanguage);
          // A plain code wins over a variant (`pt_BR`).
          if (!codeOf.has(from) || !/[_-]/.test(p.sourceLanguage)) codeOf.set(from, p.sourceLanguage);
          if (!codeOf.has(to) || !/[_-]/.test(p.targetLanguage)) codeOf.set(to, p.targetLanguage);
          if (from !== to) found.add(pairKey(from, to));
        }
        pairs = found;
        return;
      }
    } catch {
      // not an APY server
    }
    try {
      const list = (await getJson(`${base}/languages`, timeoutMs)) as { code: string; targets?: string[] }[];
      if (Array.isArray(list) && list.length) {
        const found = new Set<string>();
        const codes = list.map((l) => primaryTag(l.code));
        for (const l of list) {
          const from = primaryTag(l.code);
          for (const t of l.targets ?? codes) if (primaryTag(t) !== from) found.add(pairKey(from, primaryTag(t)));
        }
        pairs = found;
      }
    } catch {
      // No list: every pair is tried (the service refuses those it lacks).
    }
  }
  const ready = discover().then(() => options.logger?.info({ kind, pairs: pairs === 'any' ? 'any' : [...pairs] }, 'translation server'));

  async function request(q: string, from: string, to: string): Promise<string | null> {
    try {
      const res =
        kind === 'apy'
          ? await fetch(`${base}/translate`, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ q, langpair: `${codeOf.get(from) ?? from}|${codeOf.get(to) ?? to}`, markUnknown: 'no' }),
              signal: AbortSignal.timeout(timeoutMs),
            })
          : await fetch(`${base}/translate`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ q, source: from, target: to, format: 'text', ...(options.apiKey ? { api_key: options.apiKey } : {}) }),
              signal: AbortSignal.timeout(timeoutMs),
            });
      if (!res.ok) {
        options.logger?.warn({ status: res.status, from, to }, 'translation refused');
        return null;
      }
      const body = (await res.json()) as { translatedText?: unknown; responseData?: { translatedText?: unknown } };
      const text = kind === 'apy' ? body.responseData?.translatedText : body.translatedText;
      return typeof text === 'string' && text.trim() ? text.trim() : null;
    } catch (err) {
      options.logger?.warn({ err: String(err), from, to }, 'translation failed');
      return null;
    }
  }

  let running = 0;
  const queue: (() => void)[] = [];
  function pump() {
    while (running < concurrency && queue.length) queue.shift()!();
  }

  return {
    ready,
    kind: () => kind,
    pairs: () => pairs,
    translateDirect(q, from, to) {
      return new Promise((resolve) => {
        const run = () => {
          running++;
          request(q, from, to)
            .then(resolve)
            .finally(() => {
              running--;
              pump();
            });
        };
        queue.push(run);
        while (queue.length > maxQueue) {
          queue.shift();
          options.logger?.warn({ from, to }, 'translation dropped (queue full)');
        }
        pump();
        // A dropped request never runs: settle it after its timeout instead of leaking a promise.
        setTimeout(() => resolve(null), timeoutMs * 4).unref();
      });
    },
  };
}
