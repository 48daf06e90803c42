/**
 * Bench child for the abuse bench: a real Tribune server with every domain, as server/main.ts runs
 * it, with the deployed per-address allowances (the defaults; `allowances: 'off'` for none), and
 * the demo event. argv[2]: JSON `{ store: 'memory' | 'redis', redisUrl?, redisPrefix?, allowances? }`.
 */
import { DEFAULT_ALLOWANCES } from '../../server/socket/allowances.ts';
import { createStreamsAdapter } from '../../server/socket/redis-adapter.ts';
import { openBenchBackend, runChild, serveDemo, type BackendChildConfig } from './serve.ts';

runChild('abuse bench server', async () => {
  const config = JSON.parse(process.argv[2] ?? '{}') as BackendChildConfig & { allowances?: 'deployed' | 'off' };
  const backend = await openBenchBackend(config, 'abuse');
  const adapter = config.store === 'redis' ? await createStreamsAdapter(config.redisUrl!, config.redisPrefix!) : null;
  await serveDemo({
    store: backend.store,
    domains: backend.domains,
    // 'off': every simulated phone as if on its own address (serveDemo's default).
    ...(config.allowances === 'off' ? {} : { allowances: DEFAULT_ALLOWANCES }),
    ...(adapter ? { adapter: adapter.adapter } : {}),
    async release() {
      await adapter?.close();
      await backend.close();
    },
  });
});
