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
import { securityHeaders } from './http/headers.ts';
import { apiRouter } from './http/routes.ts';
import type { TrustProxy } from './config.ts';
import type { Domain, DomainContext } from './domain.ts';
import type { Logger } from './log.ts';
import { onConnection, stateBroadcaster } from './socket/connection.ts';
import { handshakeMiddleware } from './socket/handshake.ts';
import { rooms } from './socket/rooms.ts';
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
  /** An HTTPS server to attach to instead of a new HTTP one. */
  httpsServer?: https.Server;
  /** Captions, questions, ratings, slides: see domain.ts and backend.ts. */
  domains?: Domain[];
  /** Whose X-Forwarded-For gives the client's address (TRUST_PROXY); absent: nobody's. */
  trustProxy?: TrustProxy;
}

export interface App {
  server: http.Server | https.Server;
  io: TribuneServer;
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
  web.get('/healthz', (_req, res) => {
    res.json({ ok: true, store: store.kind });
  });
  const domains = deps.domains ?? [];
  // The context needs `io`, made below: domains only read it once requests arrive.
  const ctx = {} as DomainContext;
  // Sockets that joined with replaced secrets (every role but attendees) are closed, on every
  // process; they reconnect with their old key and are refused (AUTH_FAILED).
  const secretsReplaced = (eventId: string) =>
    ctx.io.in((['moderator', 'projector', 'interpreter'] as const).map((r) => rooms.role(eventId, r))).disconnectSockets();
  web.use('/api', apiRouter({ ...deps, secretsReplaced }, (api) => domains.forEach((d) => d.routes?.(api, ctx))));

  if (deps.clientDir && fs.existsSync(path.join(deps.clientDir, 'index.html'))) {
    const dir = deps.clientDir;
    // Hashed asset names change with their content: cache them forever.
    web.use('/assets', express.static(path.join(dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
    web.use(express.static(dir, { index: false, maxAge: '1h' }));
    const index = path.join(dir, 'index.html');
    web.get(CLIENT_ROUTES, (_req, res) => {
      res.set('Cache-Control', 'no-cache').sendFile(index);
    });
  }

  const server = deps.httpsServer ?? http.createServer();
  server.on('request', web);
  const io: TribuneServer = new Server(server, {
    maxHttpBufferSize: LIMITS.frameBytes,
    serveClient: false,
    // Phones on venue Wi-Fi: detect a dead socket within ~45 s, but tolerate slow radios.
    pingInterval: 20_000,
    pingTimeout: 25_000,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });
  const broadcast = stateBroadcaster(io);
  const presence = createPresence({
    store,
    processId,
    intervalMs: deps.presenceIntervalMs ?? 2000,
    logger,
    onChange: (state) => {
      broadcast(state);
      for (const d of domains) d.onAudience?.(state, ctx);
    },
  });
  io.use(
    handshakeMiddleware(store, (err) => {
      const id = randomBytes(4).toString('hex');
      logger.error({ errorId: id, err }, 'handshake failed');
      return 'INTERNAL';
    }),
  );
  Object.assign(ctx, { io, store, logger, broadcastState: broadcast, adminTokenHash: deps.adminTokenHash } satisfies DomainContext);
  io.on('connection', onConnection({ io, store, logger, presence, domains, ctx }));

  return {
    server,
    io,
    processId,
    async close() {
      await presence.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
