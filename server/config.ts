/** The environment, read once (PROTOCOL.md "Running the server"). */
import os from 'node:os';

export interface Config {
  port: number;
  host: string;
  redisUrl: string | null;
  redisPrefix: string;
  dataDir: string;
  adminToken: string | null;
  publicUrl: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  /** Captions: LibreTranslate-compatible machine translation; absent: none. */
  translateUrl: string | null;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const adminToken = env.ADMIN_TOKEN || null;

  return {
    port,
    host: env.HOST || '0.0.0.0',
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX || 'tribune',
    dataDir: env.DATA_DIR || './data',
    adminToken,
    publicUrl: env.PUBLIC_URL || null,
    tlsCert: env.TLS_CERT || null,
    tlsKey: env.TLS_KEY || null,
    translateUrl: env.TRANSLATE_URL || null,
  };
}

/** The first non-internal IPv4 address: what phones on the venue Wi-Fi can reach. */
export function firstLanAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
