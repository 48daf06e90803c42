/**
 * Bench child for slides: a real Tribune server with every domain (openBackend on the embedded
 * store with its DATA_DIR, as deployed) on 127.0.0.1:0, and the demo event. argv[2]: unused JSON.
 */
import { openBenchBackend, runChild, serveDemo } from './serve.ts';

runChild('slides bench server', async () => {
  const backend = await openBenchBackend({ store: 'memory' }, 'slides');
  await serveDemo({ store: backend.store, domains: backend.domains, release: () => backend.close() });
});
