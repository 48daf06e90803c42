/**
 * What every bench server child does once its store is open: a real Tribune server (createApp) on
 * 127.0.0.1:0 with the demo event created directly in the store, `ready` sent to the parent, then
 * samples and close on the parent's request (ipc.ts).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { EventSetup } from '../../shared/schemas.ts';
import { createApp, type AppDeps } from '../../server/app.ts';
import { hashSecret, newSecret } from '../../server/auth/secrets.ts';
import { openBackend, type Backend } from '../../server/backend.ts';
import { demoSetup } from '../../server/events/demo.ts';
import { createEvent, type CreatedEvent } from '../../server/events/service.ts';
import { createLogger } from '../../server/log.ts';
import { serveParent, type ChildMessage, type ReadyInfo } from './ipc.ts';

const PUBLIC_URL = 'http://tribune.bench';

/** Sends a message to the parent bench process. */
export const send = (m: ChildMessage) => process.send?.(m);

/** The JSON argument (argv[2]) of the children that open a whole backend. */
export interface BackendChildConfig {
  store?: 'memory' | 'redis';
  redisUrl?: string;
  redisPrefix?: string;
}

/**
 * Every domain on the configured store, as deployed: Redis, or the embedded store with its journal
 * in a fresh temporary DATA_DIR (`tribune-bench-<name>-…`) that `close` deletes.
 */
export async function openBenchBackend(config: BackendChildConfig, name: string): Promise<Backend> {
  if (config.store === 'redis') return openBackend({ kind: 'redis', url: config.redisUrl!, prefix: config.redisPrefix! });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tribune-bench-${name}-`));
  const backend = await openBackend({ kind: 'memory', dataDir });
  return {
    ...backend,
    async close() {
      await backend.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What the server runs on, and what the child adds to the ready info. */
/**
 * The bench phones all come from 127.0.0.1; they stand for a room where each phone has its own
 * address, so per-address allowances are off unless a bench measures them (bench-abuse.ts).
 */
const EVERY_PHONE_ITS_ADDRESS: AppDeps['allowances'] = {
  maxSocketsPerAddress: 0,
  newDevices: { burst: 1e9, perSecond: 1e9 },
  newDeviceMs: 0,
};

export interface DemoServerOptions extends Pick<AppDeps, 'store' | 'domains' | 'adapter' | 'allowances' | 'clientDir'> {
  /** Closes what the server ran on, once the server is closed (adapter, stores, data folder). */
  release(): Promise<void>;
  /** Ready info beyond the event's ids, secrets, tables, languages and the store kind. */
  info?(created: CreatedEvent): ReadyInfo;
  /** Runs once the demo event exists, before the server listens (e.g. stores an evening's questions). */
  prepare?(created: CreatedEvent): Promise<void>;
}

/** Serves the demo event on 127.0.0.1:0 and tells the parent it is ready. */
export async function serveDemo({ store, domains, adapter, release, info, allowances, clientDir, prepare }: DemoServerOptions): Promise<void> {
  const app = createApp({
    store,
    allowances: allowances ?? EVERY_PHONE_ITS_ADDRESS,
    ...(domains ? { domains } : {}),
    logger: createLogger('silent'),
    adminTokenHash: hashSecret(newSecret()),
    publicUrl: PUBLIC_URL,
    ...(adapter ? { adapter } : {}),
    ...(clientDir ? { clientDir } : {}),
    // presenceIntervalMs: the default (2 s), as deployed.
  });
  const created = await createEvent(store, EventSetup.parse(demoSetup), PUBLIC_URL);
  await prepare?.(created);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = app.server.address() as AddressInfo;
  serveParent(async () => {
    await app.close();
    await release();
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
      store: store.kind,
      ...info?.(created),
    },
  });
}

/** Runs a child's `main`; a failure is printed (`<what> failed: …`) and ends the process with 1. */
export function runChild(what: string, main: () => Promise<unknown>): void {
  main().catch((err) => {
    console.error(`${what} failed:`, err);
    process.exit(1);
  });
}
