/**
 * Bench child for slides: a real Tribune server with every domain (openBackend on the embedded
 * store with its DATA_DIR, as deployed) on 127.0.0.1:0, and the demo event. argv[2]: unused JSON.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EventSetup } from '../../shared/schemas.ts';
import { createApp } from '../../server/app.ts';
import { hashSecret, newSecret } from '../../server/auth/secrets.ts';
import { openBackend } from '../../server/backend.ts';
import { demoSetup } from '../../server/events/demo.ts';
import { createEvent } from '../../server/events/service.ts';
import { createLogger } from '../../server/log.ts';
import { serveParent, type ChildMessage } from './ipc.ts';

const send = (m: ChildMessage) => process.send?.(m);

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-bench-slides-'));
  const backend = await openBackend({ kind: 'memory', dataDir });
  const app = createApp({
    store: backend.store,
    domains: backend.domains,
    logger: createLogger('silent'),
    adminTokenHash: hashSecret(newSecret()),
    publicUrl: 'http://tribune.bench',
  });
  const created = await createEvent(backend.store, EventSetup.parse(demoSetup), 'http://tribune.bench');
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  serveParent(async () => {
    await app.close();
    await backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  send({
    type: 'ready',
    port,
    info: {
      eventId: created.event.id,
      code: created.event.code,
      moderatorToken: created.secrets.moderator,
      firstItemId: demoSetup.agenda[0]!.id!,
      tables: created.event.tables.map((t) => t.id),
      languages: created.event.languages,
      store: backend.store.kind,
    },
  });
}

main().catch((err) => {
  console.error('slides bench server failed:', err);
  process.exit(1);
});
