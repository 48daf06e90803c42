/**
 * Two Tribune servers on one Redis, as two server processes run: each with its own backend,
 * Socket.IO streams adapter and port, all under one key prefix of the suite.
 */
import { afterAll, beforeAll } from 'vitest';
import { openBackend, type Backend } from '../../server/backend.ts';
import { createStreamsAdapter } from '../../server/socket/redis-adapter.ts';
import { REDIS_URL, deleteKeys, uniquePrefix } from './redis.ts';
import { startBackendServer, type TestServer } from './server.ts';
import type { OpenBackend } from './suite.ts';

/** Handles on the two servers of a suite. */
export interface RedisPair<C> {
  /** The key prefix both servers share. */
  readonly prefix: string;
  /** Server A then server B, once the suite has started. */
  readonly servers: TestServer[];
  /** Clients of the tests: closed first at the end. */
  readonly clients: C[];
  /** `connect` as a test uses it: each client it opens is kept in `clients` (closed at the end). */
  tracked(connect: (url: string, auth: Record<string, unknown>) => Promise<C>): (url: string, auth: Record<string, unknown>) => Promise<C>;
}

/**
 * Registers the hooks of the calling `describe`: starts the two servers before its tests; after
 * them closes the clients, the servers, the adapters and the backends, then deletes the prefix's
 * keys. `open` defaults to every domain on Redis.
 */
export function useRedisPair<C extends { close(): void }>(
  name: string,
  open: OpenBackend = (prefix) => openBackend({ kind: 'redis', url: REDIS_URL, prefix }),
): RedisPair<C> {
  const prefix = uniquePrefix(name);
  const servers: TestServer[] = [];
  const backends: Backend[] = [];
  const adapters: { close(): unknown }[] = [];
  const clients: C[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const backend = await open(prefix);
      const adapter = await createStreamsAdapter(REDIS_URL, prefix);
      backends.push(backend);
      adapters.push(adapter);
      servers.push(await startBackendServer(backend, { adapter: adapter.adapter }));
    }
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    for (const s of servers) await s.close();
    for (const a of adapters) await a.close();
    for (const b of backends) await b.close();
    await deleteKeys(prefix);
  });

  const tracked: RedisPair<C>['tracked'] = (connect) => async (url, auth) => {
    const c = await connect(url, auth);
    clients.push(c);
    return c;
  };
  return { prefix, servers, clients, tracked };
}
