/**
 * Bench child: a real Tribune server (createApp) on 127.0.0.1:0, with the demo event created
 * directly in the store. Run with `node --expose-gc --import tsx` so its heap can be measured.
 * argv[2]: JSON TribuneChildConfig.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../../server/app.ts';
import { createMemoryStore } from '../../server/store/memory.ts';
import type { Store } from '../../server/store/types.ts';
import { runChild, send, serveDemo } from './serve.ts';

export interface TribuneChildConfig {
  store: 'memory' | 'redis';
  redisUrl?: string;
  redisPrefix?: string;
  /** Redis mode: also use the Socket.IO streams adapter, as server/main.ts does. */
  adapter?: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Loads a server module that may not exist yet (typed loosely on purpose). */
async function optionalModule<T>(rel: string): Promise<T | null> {
  const file = path.resolve(here, rel);
  if (!fs.existsSync(file)) return null;
  return (await import(new URL(`file://${file}`).href)) as T;
}

interface RedisStoreModule {
  createRedisStore(opts: { url: string; prefix: string }): Promise<Store> | Store;
}
interface AdapterModule {
  createStreamsAdapter(url: string, prefix: string): Promise<{ adapter: AppDeps['adapter']; close(): unknown }>;
}

async function main() {
  const config = JSON.parse(process.argv[2] ?? '{"store":"memory"}') as TribuneChildConfig;
  let store: Store;
  let dataDir: string | null = null;
  let adapter: { adapter: AppDeps['adapter']; close(): unknown } | null = null;
  let adapterName: string | undefined;

  if (config.store === 'redis') {
    const mod = await optionalModule<RedisStoreModule>('../../server/store/redis.ts');
    if (!mod || typeof mod.createRedisStore !== 'function') {
      send({ type: 'skip', reason: 'server/store/redis.ts (createRedisStore) is not there yet' });
      return setTimeout(() => process.exit(0), 50);
    }
    try {
      store = await mod.createRedisStore({ url: config.redisUrl!, prefix: config.redisPrefix! });
    } catch (err) {
      send({ type: 'skip', reason: `--store redis: ${err instanceof Error ? err.message : String(err)}` });
      return setTimeout(() => process.exit(0), 50);
    }
    if (config.adapter) {
      // Its place since the registry commit; before, server/store/ (a bench may run an older checkout).
      const a =
        (await optionalModule<AdapterModule>('../../server/socket/redis-adapter.ts')) ??
        (await optionalModule<AdapterModule>('../../server/store/redis-adapter.ts'));
      if (a && typeof a.createStreamsAdapter === 'function') {
        adapter = await a.createStreamsAdapter(config.redisUrl!, config.redisPrefix!);
        adapterName = 'redis-streams';
      }
    }
  } else {
    // The embedded store as deployed: with its journal on disk (written before every ack).
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-bench-'));
    store = createMemoryStore({ dataDir });
  }

  await serveDemo({
    store,
    ...(adapter?.adapter ? { adapter: adapter.adapter } : {}),
    async release() {
      await adapter?.close();
      await store.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    info: () => (adapterName ? { adapter: adapterName } : {}),
  });
}

runChild('tribune bench server', main);
