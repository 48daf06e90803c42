/**
 * Bench child for captions: a real Tribune server with every domain (openBackend on the embedded
 * store with its DATA_DIR, as deployed) on 127.0.0.1:0, and the demo event (six languages).
 * argv[2]: JSON `{ store: 'memory' | 'redis', redisUrl?, redisPrefix? }`.
 */
import { openBenchBackend, runChild, serveDemo, type BackendChildConfig } from './serve.ts';

runChild('captions bench server', async () => {
  const config = JSON.parse(process.argv[2] ?? '{}') as BackendChildConfig;
  const backend = await openBenchBackend(config, 'captions');
  await serveDemo({
    store: backend.store,
    domains: backend.domains,
    release: () => backend.close(),
    info: (created) => ({ interpreterTokens: created.secrets.interpreters }),
  });
});
