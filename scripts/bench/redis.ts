/**
 * Redis for the bench's own bookkeeping (not the server's store). ioredis is loaded on first use
 * only, so a run on the embedded store never loads it into the load process.
 */
import type { Redis } from 'ioredis';

/** A client that fails fast instead of queueing or retrying; `connect()` it, `disconnect()` it. */
export async function quickRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    commandTimeout: 5_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  return redis;
}

/** Deletes this run's keys only: SCAN MATCH `<prefix>:*` + UNLINK (never FLUSHALL). Returns how many. */
export async function deleteKeys(url: string, prefix: string): Promise<number> {
  const redis = await quickRedis(url);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
