/**
 * A per-process cache of page images in front of the deck store. Pages never change (their URL
 * names the deck's content), so caching is always correct; it turns "1000 phones fetch the new
 * page at once" into one read of Redis or the disk, and concurrent misses share that one read.
 * A deck deleted by this process leaves its cache; another process's cache may serve it until
 * evicted, which is harmless: nothing links to it any more.
 */

export interface PageCache {
  /** The cached bytes, or `load()`'s (shared by concurrent callers; a null answer is not cached). */
  get(key: string, load: () => Promise<Buffer | null>): Promise<Buffer | null>;
  /** Drops every entry whose key starts with `prefix` (a deleted deck's pages). */
  forget(prefix: string): void;
  readonly bytes: number;
}

/** Least-recently-used, bounded by the total bytes held. */
export function createPageCache(maxBytes: number): PageCache {
  const entries = new Map<string, Buffer>(); // insertion order = recency order
  const inFlight = new Map<string, Promise<Buffer | null>>();
  let bytes = 0;

  function remember(key: string, value: Buffer) {
    if (value.length > maxBytes) return;
    entries.set(key, value);
    bytes += value.length;
    for (const [oldest, old] of entries) {
      if (bytes <= maxBytes) break;
      entries.delete(oldest);
      bytes -= old.length;
    }
  }

  return {
    get bytes() {
      return bytes;
    },
    forget(prefix) {
      for (const [key, value] of entries) {
        if (!key.startsWith(prefix)) continue;
        entries.delete(key);
        bytes -= value.length;
      }
    },
    get(key, load) {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return Promise.resolve(hit);
      }
      const pending = inFlight.get(key);
      if (pending) return pending;
      const loading = load().then(
        (value) => {
          inFlight.delete(key);
          if (value) remember(key, value);
          return value;
        },
        (err: unknown) => {
          inFlight.delete(key);
          throw err;
        },
      );
      inFlight.set(key, loading);
      return loading;
    },
  };
}
