/** Reads the environment, opens the store, listens, prints the links. Nothing else. */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventSetup } from '../shared/schemas.ts';
import { createApp } from './app.ts';
import { adminToken } from './auth/admin-token.ts';
import { hashSecret } from './auth/secrets.ts';
import { ANY_ADDRESS, firstLanAddress, linkBase, readConfig } from './config.ts';
import { selfSignedCertificate } from './tls.ts';
import { demoSetup } from './events/demo.ts';
import { createEvent } from './events/service.ts';
import { createLogger } from './log.ts';
import { openBackend } from './backend.ts';
import { createStreamsAdapter } from './socket/redis-adapter.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = path.join(root, 'dist', 'client');

async function main() {
  const config = readConfig();
  const logger = createLogger();

  if (process.argv.includes('--build-if-missing') && !fs.existsSync(path.join(clientDir, 'index.html'))) {
    console.log('Building the client (first start)…');
    const r = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('client build failed');
  }

  const translate = {
    translate: { url: config.translateUrl, engine: config.translateEngine, apertiumDir: config.apertiumDir, logger },
    ...(config.floorLeaveMs ? { floor: { leaveMs: config.floorLeaveMs } } : {}),
  };
  // Audio's UDP sockets listen where HTTP does (HOST naming one address), every address otherwise.
  const bindAddress = ANY_ADDRESS.has(config.host.trim()) || config.host.trim() === '' || !/^[\d.]+$|:/.test(config.host) ? null : config.host.replace(/^\[(.*)\]$/, '$1');
  const audio = {
    audio: {
      ...(bindAddress ? { bindAddress } : {}),
      ...(config.media.announce ? { announce: config.media.announce } : {}),
      ...(config.media.portRange ? { portRange: config.media.portRange } : {}),
      ...(config.media.maxListeners !== null ? { maxListeners: Math.floor(config.media.maxListeners) } : {}),
    },
  };
  const backend = await openBackend(
    config.redisUrl
      ? { kind: 'redis', url: config.redisUrl, prefix: config.redisPrefix, ...translate, ...audio }
      : { kind: 'memory', dataDir: path.resolve(config.dataDir), ...translate, ...audio },
  );
  const { store } = backend;
  const adapter = config.redisUrl ? await createStreamsAdapter(config.redisUrl, config.redisPrefix) : null;

  const admin = adminToken(config.adminToken, config.dataDir);
  const tls = config.tlsCert && config.tlsKey;
  const scheme = tls ? 'https' : 'http';
  let publicUrl = config.publicUrl ?? '';
  const app = createApp({
    store,
    logger,
    adminTokenHash: hashSecret(admin.token),
    publicUrl: () => publicUrl,
    clientDir,
    domains: backend.domains,
    allowances: config.allowances,
    // Device proofs outlive a restart and hold on every process that shares the admin token.
    deviceKey: createHmac('sha256', admin.token).update('tribune device proofs').digest(),
    trustProxy: config.trustProxy,
    ...(adapter ? { adapter: adapter.adapter } : {}),
    ...(tls
      ? { httpsServer: https.createServer({ cert: fs.readFileSync(config.tlsCert!), key: fs.readFileSync(config.tlsKey!) }) }
      : {}),
  });

  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => resolve());
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Known once listening: with PORT=0 the port is the one the system chose.
  // An address the server answers on: the LAN's when listening on every interface, else HOST itself.
  publicUrl = linkBase({ publicUrl: config.publicUrl, host: config.host, scheme, port });

  // The consoles over HTTPS on a second port (the microphone needs a secure page): the same app.
  let consoles: string | null = null;
  let tlsServer: https.Server | null = null;
  if (config.httpsPort !== null && !tls) {
    const lan = firstLanAddress();
    const names = [lan, '127.0.0.1', 'localhost', ...(ANY_ADDRESS.has(config.host) ? [] : [config.host])];
    const made = selfSignedCertificate(path.join(path.resolve(config.dataDir), 'tls'), names);
    if ('error' in made) {
      console.warn(`HTTPS_PORT: no certificate (${made.error}); set TLS_CERT and TLS_KEY, or install openssl`);
    } else {
      tlsServer = https.createServer({ cert: made.cert, key: made.key });
      app.alsoServe(tlsServer);
      await new Promise<void>((resolve, reject) => {
        tlsServer!.once('error', reject);
        tlsServer!.listen(config.httpsPort!, config.host, () => resolve());
      });
      const a = tlsServer.address();
      const tlsPort = typeof a === 'object' && a ? a.port : config.httpsPort;
      const host = ANY_ADDRESS.has(config.host) ? lan : config.host;
      consoles = `https://${host.includes(':') ? `[${host}]` : host}:${tlsPort}`;
    }
  }
  const overHttps = (link: string) => (consoles ? link.replace(publicUrl, consoles) : link);

  // The token is printed only the one time Tribune made it: start-up output ends up in journals
  // and terminal scroll-back that outlive the evening.
  const lines = ['', `Tribune is running on ${scheme}://${config.host}:${port} (store: ${store.kind})`];
  if (consoles) lines.push(`  Consoles over HTTPS (microphones need it; accept the self-signed certificate once): ${consoles}`);
  if (admin.source === 'new') {
    lines.push(
      `  Admin (create events): ${publicUrl}/admin#k=${admin.token}`,
      `  (a new admin token, kept in ${admin.file}: later starts use it again and do not print it)`,
    );
  } else if (admin.source === 'file') {
    lines.push(`  Admin (create events): ${publicUrl}/admin#k=<the key kept in ${admin.file}>`);
  } else {
    lines.push(`  Admin (create events): ${publicUrl}/admin#k=<ADMIN_TOKEN> (the key is your ADMIN_TOKEN)`);
    if (admin.token.length < 16) lines.push('  WARNING: ADMIN_TOKEN is short and easy to guess: use 16 characters or more');
  }
  if ((await store.countEvents()) === 0) {
    const demo = await createEvent(store, EventSetup.parse(demoSetup), publicUrl);
    lines.push(
      '',
      `Demo event "${demo.event.title}" — join code ${demo.event.code}`,
      `  Attendee (phones): ${demo.links.attendee}`,
      `  Moderator:         ${demo.links.moderator}`,
      `  Projector:         ${demo.links.projector}`,
      ...Object.entries(demo.links.interpreters).map(([l, u]) => `  Interpreter (${l}):  ${overHttps(u)}`),
      `  Report (read-only, for the cities that could not come): ${demo.links.report}`,
      '  These keys are shown once: keep this output.',
    );
  }
  console.log(lines.join('\n') + '\n');

  const shutdown = async () => {
    tlsServer?.close();
    await app.close();
    await adapter?.close();
    await backend.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(`Tribune could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
