/**
 * Bench child for the phone bench: a real Tribune server with every domain on the embedded store,
 * serving the built client (dist/client) as `npm start` does, and the demo event. argv[2]: unused JSON.
 */
import path from 'node:path';
import { ROOT } from './child.ts';
import { openBenchBackend, runChild, serveDemo } from './serve.ts';

runChild('phone bench server', async () => {
  const backend = await openBenchBackend({ store: 'memory' }, 'phone');
  await serveDemo({
    store: backend.store,
    domains: backend.domains,
    clientDir: path.join(ROOT, 'dist', 'client'),
    release: () => backend.close(),
  });
});
