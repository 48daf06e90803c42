/**
 * `createApp(deps)`: the HTTP API, the static client and Socket.IO on one server.
 * It reads no environment and listens on nothing: `main.ts` does that, tests choose the store.
 */
import fs from 'node:fs';
import http from 'node:http';
import type https from 'node:https';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import express from 'express';
import { Server } from 'socket.io';
import { LIMITS } from '../shared/schemas.ts';
import { deviceProofs } from './auth/device.ts';
import { securityHeaders } from './http/headers.ts';
import { apiRouter } from './http/routes.ts';
import type { TrustProxy } from './config.ts';
import { clientRoutes } from './http/static.ts';
import type { DomainContext, DomainPlug } from './domain.ts';
import type { Logger } from './log.ts';
import { allowanceTracker, DEFAULT_ALLOWANCES, type Allowances } from './socket/allowances.ts';
import type { CommandLimits } from './socket/commands.ts';
import { onConnection } from './socket/connection.ts';
import { createDelivery } from './socket/deliver.ts';
import { broadcastFolds, stateBroadcaster } from './socket/state-broadcast.ts';
import { DEFAULT_ENGINE_GUARD, guardEngine } from './socket/engine-guard.ts';
import { handshakeMiddleware } from './socket/handshake.ts';
import { textOnlyParser } from './socket/parser.ts';
import { createPresence } from './socket/presence.ts';
import type { TribuneServer } from './socket/types.ts';
import type { Store } from './store/types.ts';

export interface AppDeps {
  store: Store;
  logger: Logger;
  /** SHA-256 of the admin token. */
  adminTokenHash: string;
  /** Base of printed links and QR codes; a function when known only once listening (PORT=0). */
  publicUrl: string | (() => string);
  /** Built client (dist/client); absent: the API only. */
  clientDir?: string;
  /** Socket.IO adapter for several processes on one Redis. */
  adapter?: Parameters<TribuneServer['adapter']>[0];
  /** Coalescing interval of presence broadcasts (PROTOCOL: at most one every 2 s). */
  presenceIntervalMs?: number;
  /** How far apart phones are sent states that change only the audience (state-broadcast.ts). */
  attendeeAudienceSpacing?: (connected: number) => number;
  /** An HTTPS server to attach to instead of a new HTTP one. */
  httpsServer?: https.Server;
  /** Captions, questions, ratings, slides: see domain.ts and backend.ts. */
  domains?: DomainPlug[];
  /** Per-address allowances (defaults: socket/allowances.ts; README "Environment"). */
  allowances?: Partial<Allowances>;
  /** Command budgets per socket and the flood policy (defaults: socket/budgets.ts). */
  commandLimits?: CommandLimits;
  /**
   * Signs device proofs: shared by every process and kept across restarts, or a device is new
   * again after each one (main.ts derives it from the admin token). Absent: random per process.
   */
  deviceKey?: Buffer | string;
  /** A connection holding more unsent bytes than this is closed (default 8 MB). */
  maxBufferedBytes?: number;
  /** Whose X-Forwarded-For gives the client's address (TRUST_PROXY); absent: nobody's. */
  trustProxy?: TrustProxy;
}

export interface App {
  server: http.Server | https.Server;
  io: TribuneServer;
  /** Serves the same app on another server too (the consoles' HTTPS port): its requests and Socket.IO. */
  alsoServe(other: http.Server | https.Server): void;
  processId: string;
  close(): Promise<void>;
}

const CLIENT_ROUTES = ['/', '/admin', '/e/:code', '/m/:id', '/p/:id', '/i/:id', '/s/:id', '/r/:id'];

export function createApp(deps: AppDeps): App {
  const { store, logger } = deps;
  const processId = randomBytes(6).toString('hex');
  const web = express();
  web.disable('x-powered-by');
  // `req.ip` (per-address limits) is the forwarded client only behind a proxy we were told to trust.
  web.set('trust proxy', deps.trustProxy ?? false);
  web.use(securityHeaders);
  web.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () =>
      logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: +(performance.now() - started).toFixed(1) }, 'http'),
    );
    next();
  });
  // A load balancer routes away from a process whose store is away (503), and back once it answers.
  web.get('/healthz', async (_req, res) => {
    const up = await store.healthy().catch(() => false);
    res.set('Cache-Control', 'no-store');
    if (up) res.json({ ok: true, store: store.kind });
    else res.status(503).json({ ok: false, store: 'unavailable' });
  });
  const server = deps.httpsServer ?? http.createServer();
  server.on('request', web);
  const io: TribuneServer = new Server(server, {
    maxHttpBufferSize: LIMITS.frameBytes,
    // No command takes binary: a packet with attachments closes its connection (parser.ts).
    parser: textOnlyParser,
    // A connection that has not joined the event within 10 s is closed (Socket.IO's default: 45 s).
    connectTimeout: 10_000,
    serveClient: false,
    // Phones on venue Wi-Fi: detect a dead socket within ~45 s, but tolerate slow radios.
    pingInterval: 20_000,
    pingTimeout: 25_000,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });
  const deliver = createDelivery(io);
  const broadcast = stateBroadcaster(deliver, deps.attendeeAudienceSpacing);
  // Built once, now that `io` exists: every domain gets the same context, those that send at their making.
  const ctx: DomainContext = { deliver, store, logger, adminTokenHash: deps.adminTokenHash };
  const domains = (deps.domains ?? []).map((d) => (typeof d === 'function' ? d(ctx) : d));
  // Sockets that joined with replaced secrets (every role but attendees) are closed, on every
  // process; they reconnect with their old key and are refused (AUTH_FAILED).
  const secretsReplaced = (eventId: string) => deliver.disconnect(eventId, { roles: ['moderator', 'projector', 'interpreter'] });
  web.use('/api', apiRouter({ ...deps, secretsReplaced }, (api) => domains.forEach((d) => d.routes?.(api, ctx))));

  if (deps.clientDir && fs.existsSync(path.join(deps.clientDir, 'index.html'))) {
    web.use(clientRoutes(deps.clientDir, CLIENT_ROUTES));
  }

  const allowances = { ...DEFAULT_ALLOWANCES, ...deps.allowances };
  // Express's compiled `trust proxy` (TRUST_PROXY): sockets count against the same address as requests.
  const trust = web.get('trust proxy fn') as (addr: string, hop: number) => boolean;
  const engineGuard = guardEngine(io, {
    ...DEFAULT_ENGINE_GUARD,
    trust,
    // Room above the attendees' bound for the keyed screens and for refused handshakes closing.
    maxPerAddress: allowances.maxSocketsPerAddress > 0 ? allowances.maxSocketsPerAddress + 100 : 0,
    ...(deps.maxBufferedBytes ? { maxBufferedBytes: deps.maxBufferedBytes } : {}),
  });
  const proofs = deviceProofs(deps.deviceKey ?? randomBytes(32));
  const tracker = allowanceTracker(allowances);
  const presence = createPresence({
    store,
    processId,
    intervalMs: deps.presenceIntervalMs ?? 2000,
    logger,
  });
  broadcastFolds(store.logs, broadcast, (state) => {
    for (const d of domains) d.onAudience?.(state, ctx);
  });
  io.use(
    handshakeMiddleware(store, { allowances: tracker, proofs, trust }, (err) => {
      const id = randomBytes(4).toString('hex');
      logger.error({ errorId: id, err }, 'handshake failed');
      return 'INTERNAL';
    }),
  );
  const limits = deps.commandLimits ?? {};
  io.on('connection', onConnection({ io, store, logger, presence, domains, ctx, proofs, limits, allowances: tracker }));

  return {
    server,
    io,
    alsoServe(other) {
      other.on('request', web);
      // The same engine (and guards) answers Socket.IO on the other server; its requests come first.
      io.engine.attach(other, { path: '/socket.io/' });
    },
    processId,
    async close() {
      engineGuard.stop();
      await presence.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
