/**
 * Redis for tests. The Redis at REDIS_URL is shared with other test runs: every suite uses its own
 * key prefix and deletes only its own keys — never FLUSHALL/FLUSHDB.
 *
 * Without a reachable Redis, Redis suites are skipped with a message; under CI (`CI` set) that is
 * a failure instead, so a broken CI Redis cannot turn into silently skipped tests.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe } from 'vitest';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Every test prefix starts with this; `deleteKeys` refuses anything else. */
const TEST_PREFIX = 'tribune-test-';

/** A key prefix of its own for one suite: `tribune-test-<name>-<pid>-<random>`. */
export function uniquePrefix(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${TEST_PREFIX}${safe}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** A short-lived client that never queues or retries: tests must not hang on a missing Redis. */
function quickClient(url = REDIS_URL): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

/** Whether Redis answers PING within about a second. */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const client = quickClient(url);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

let availability: Promise<boolean> | null = null;

/**
 * True when Redis is reachable. Unreachable: throws under CI, else prints why Redis tests are
 * skipped and returns false. Checked once per test file.
 */
export async function requireRedis(): Promise<boolean> {
  availability ??= redisAvailable().then((up) => {
    if (up) return true;
    const why = `Redis is not reachable at ${REDIS_URL}`;
    if (process.env.CI) throw new Error(`${why}: the Redis tests cannot run (CI is set, so this fails instead of skipping)`);
    console.warn(`${why}: skipping the Redis tests (set REDIS_URL, or start redis-server).`);
    return false;
  });
  return availability;
}

/** `describe` when Redis is reachable, `describe.skip` otherwise (see requireRedis). */
export const describeRedis = (await requireRedis()) ? describe : describe.skip;

/** Deletes the keys under `prefix` (SCAN MATCH `<prefix>:*`, then UNLINK), and only those. */
export async function deleteKeys(prefix: string, url = REDIS_URL): Promise<void> {
  if (!prefix.startsWith(TEST_PREFIX) || /[*?[\]\\{}]/.test(prefix)) {
    throw new Error(`deleteKeys refuses prefix ${JSON.stringify(prefix)}: tests delete only ${TEST_PREFIX}* keys`);
  }
  const client = quickClient(url);
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (found.length) await client.unlink(...found);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
