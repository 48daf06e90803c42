/**
 * Bench child for the question storm: a real Tribune server with every domain (openBackend, as
 * server/main.ts: the embedded store with its DATA_DIR journal, or Redis with the streams
 * adapter) on 127.0.0.1:0, and the demo event.
 * argv[2]: JSON `{ store: 'memory' | 'redis', redisUrl?, redisPrefix? }`.
 */
import { createStreamsAdapter } from '../../server/socket/redis-adapter.ts';
import { openBenchBackend, runChild, serveDemo, type BackendChildConfig } from './serve.ts';

runChild('questions bench server', async () => {
  const config = JSON.parse(process.argv[2] ?? '{}') as BackendChildConfig;
  const backend = await openBenchBackend(config, 'questions');
  const adapter = config.store === 'redis' ? await createStreamsAdapter(config.redisUrl!, config.redisPrefix!) : null;
  await serveDemo({
    store: backend.store,
    domains: backend.domains,
    ...(adapter ? { adapter: adapter.adapter } : {}),
    async release() {
      await adapter?.close();
      await backend.close();
    },
    info: () => (adapter ? { adapter: 'redis-streams' } : {}),
  });
});
