/**
 * Machine translation through a LibreTranslate-compatible server (`TRANSLATE_URL`):
 * `POST <url>/translate {q, source, target, format:"text"}` → `{translatedText}`.
 *
 * It must never slow human captions down: requests run after the human caption was stored and
 * sent, at most `concurrency` at a time, each bounded by `timeoutMs`; past `maxQueue` waiting
 * requests the oldest ones are dropped (a translation that arrives minutes late is worthless).
 */
import type { Logger } from '../log.ts';

export interface TranslatorOptions {
  /** Base URL of the service (`http://host:5000`) or its `/translate` endpoint. */
  url: string;
  apiKey?: string;
  timeoutMs?: number;
  concurrency?: number;
  maxQueue?: number;
  logger?: Logger;
}

export interface Translator {
  /** Resolves with the translation, or null when it failed, timed out or was dropped. */
  translate(q: string, source: string, target: string): Promise<string | null>;
}

export function translateEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/translate$/.test(trimmed) ? trimmed : `${trimmed}/translate`;
}

export function createTranslator(options: TranslatorOptions): Translator {
  const endpoint = translateEndpoint(options.url);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const concurrency = options.concurrency ?? 4;
  const maxQueue = options.maxQueue ?? 100;
  let running = 0;
  const queue: (() => void)[] = [];

  async function request(q: string, source: string, target: string): Promise<string | null> {
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ q, source, target, format: 'text', ...(options.apiKey ? { api_key: options.apiKey } : {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) {
        options.logger?.warn({ status: res.status, source, target }, 'translation refused');
        return null;
      }
      const body = (await res.json()) as { translatedText?: unknown };
      return typeof body.translatedText === 'string' && body.translatedText.trim() ? body.translatedText : null;
    } catch (err) {
      options.logger?.warn({ err: String(err), source, target }, 'translation failed');
      return null;
    }
  }

  function pump() {
    while (running < concurrency && queue.length) queue.shift()!();
  }

  return {
    translate(q, source, target) {
      return new Promise((resolve) => {
        const run = () => {
          running++;
          request(q, source, target)
            .then(resolve)
            .finally(() => {
              running--;
              pump();
            });
        };
        queue.push(run);
        // Too many waiting: the oldest are stale, drop them.
        while (queue.length > maxQueue) {
          queue.shift();
          options.logger?.warn({ source, target }, 'translation dropped (queue full)');
        }
        pump();
        // A dropped request never runs: settle it after its timeout instead of leaking a promise.
        setTimeout(() => resolve(null), timeoutMs * 4).unref();
      });
    },
  };
}
