/** The environment, read once (PROTOCOL.md "Running the server"). */
import os from 'node:os';
import { DEFAULT_ALLOWANCES, type Allowances } from './socket/allowances.ts';

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
  /** Per-address allowances (PROTOCOL v2); absent fields keep their defaults. */
  allowances: Partial<Allowances>;
}

/** A non-negative number from the environment, or undefined when unset. */
function count(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, not "${raw}"`);
  return n;
}

function readAllowances(env: NodeJS.ProcessEnv): Partial<Allowances> {
  const sockets = count(env, 'MAX_SOCKETS_PER_ADDRESS');
  const burst = count(env, 'NEW_DEVICES_BURST');
  const perSecond = count(env, 'NEW_DEVICES_PER_SECOND');
  const minutes = count(env, 'NEW_DEVICE_MINUTES');
  const d = DEFAULT_ALLOWANCES;
  return {
    ...(sockets !== undefined ? { maxSocketsPerAddress: Math.floor(sockets) } : {}),
    ...(burst !== undefined || perSecond !== undefined
      ? { newDevices: { burst: burst ?? d.newDevices.burst, perSecond: perSecond ?? d.newDevices.perSecond } }
      : {}),
    ...(minutes !== undefined ? { newDeviceMs: minutes * 60_000 } : {}),
  };
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
    allowances: readAllowances(env),
  };
}

/** The first non-internal IPv4 address: what phones on the venue Wi-Fi can reach. */
export function firstLanAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
