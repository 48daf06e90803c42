/**
 * The set-up the end-to-end suites share, as vitest hooks of the calling `describe`: one server on
 * one store location for the block, a fresh event before each test, the clients a test opened
 * closed after it, and everything closed and deleted at the end.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Backend } from '../../server/backend.ts';
import type { CreatedEvent } from '../../server/events/service.ts';
import { createMemoryEphemeral } from '../../server/log/ephemeral.ts';
import type { Store } from '../../server/store/types.ts';
import { createTestEvent, startBackendServer, type TestServer } from './server.ts';
import type { StoreKind } from './stores.ts';

/** Opens what the server runs on, at a store location (a data folder or a Redis prefix). */
export type OpenBackend = (location: string) => Promise<Backend>;

/** The live store alone as a backend (no domains): what `startServer(store)` runs. */
export function storeOnly(store: Store): Backend {
  return { store, logs: store.logs, ephemeral: createMemoryEphemeral(), domains: [], close: () => store.close() };
}

/** Handles on a suite's server, backend and current event (getters: read them once the hooks ran). */
export interface ServerSuite<C, A extends unknown[]> {
  /** The store location of the block. */
  readonly location: string;
  readonly backend: Backend;
  /** `backend.store`. */
  readonly store: Store;
  /** The server's base URL (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** The event created before the current test. */
  readonly ev: CreatedEvent;
  /** The clients `open` connected; those of a test are closed after it. */
  readonly clients: C[];
  /** Connects a client to the server; it is closed after the test. */
  open(auth: Record<string, unknown>, ...more: A): Promise<C>;
  /**
   * A restart: closes the server and the backend (not the clients) and opens both again on the
   * same location, with `open` or else as at the start.
   */
  restart(open?: OpenBackend): Promise<void>;
}

/**
 * Registers the hooks of a suite that runs against `kind` and returns its handles (read them in
 * hooks and tests, once they have run). `connectClient` makes the suite's clients; `openBackend`
 * defaults to every domain on the location (`kind.openBackend`).
 */
export function useServerSuite<C extends { close(): void }, A extends unknown[] = []>(
  kind: StoreKind,
  connectClient: (url: string, auth: Record<string, unknown>, ...more: A) => Promise<C>,
  openBackend: OpenBackend = (location) => kind.openBackend(location),
): ServerSuite<C, A> {
  let location = '';
  let backend: Backend;
  let server: TestServer;
  let ev: CreatedEvent;
  const clients: C[] = [];

  async function start(open: OpenBackend) {
    backend = await open(location);
    server = await startBackendServer(backend);
  }

  beforeAll(async () => {
    location = kind.newLocation();
    await start(openBackend);
  });
  beforeEach(async () => {
    ev = await createTestEvent(server.url);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.close();
    await backend.close();
    await kind.cleanup(location);
  });

  return {
    get location() {
      return location;
    },
    get backend() {
      return backend;
    },
    get store() {
      return backend.store;
    },
    get url() {
      return server.url;
    },
    get ev() {
      return ev;
    },
    clients,
    async open(auth, ...more) {
      const c = await connectClient(server.url, auth, ...more);
      clients.push(c);
      return c;
    },
    async restart(open = openBackend) {
      await server.close();
      await backend.close();
      await start(open);
    },
  };
}
