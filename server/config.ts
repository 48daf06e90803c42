/** The environment, read once (PROTOCOL.md "Running the server"). */
import os from 'node:os';
import { DEFAULT_ALLOWANCES, type Allowances } from './socket/allowances.ts';
import express from 'express';

/**
 * Express's `trust proxy` setting (https://expressjs.com/en/guide/behind-proxies.html): which
 * peers' X-Forwarded-For is believed. `false`: none (the peer is the client); `true`: every hop;
 * a number: that many hops; addresses, subnets and the names `loopback`, `linklocal`, `uniquelocal`.
 * One value for every place that needs the client's address (HTTP routes, Socket.IO handshakes).
 */
export type TrustProxy = boolean | number | string[];

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
  /** TRANSLATE_URL: a LibreTranslate or Apertium APY server; wins over Apertium on the box. */
  translateUrl: string | null;
  /** The debate floor: ms a device may be gone before its request leaves the queue (FLOOR_LEAVE_MS; default 2 min). */
  floorLeaveMs: number | null;
  /** TRANSLATE_ENGINE: `auto` (default: the server, else Apertium when installed), `apertium`, `none`. */
  translateEngine: 'auto' | 'apertium' | 'none';
  /** APERTIUM_DIR: the folder holding Apertium's `modes/` (absent: Debian's /usr/share/apertium). */
  apertiumDir: string | null;
  /** Per-address allowances (PROTOCOL v2); absent fields keep their defaults. */
  allowances: Partial<Allowances>;
  /** TRUST_PROXY; absent: false (X-Forwarded-For is ignored). */
  trustProxy: TrustProxy;
  /** HTTPS_PORT: a second port serving the same app over HTTPS (TLS_CERT/TLS_KEY, else self-signed). */
  httpsPort: number | null;
  /** Interpretation audio (server/audio): MEDIA_HOST, MEDIA_PORTS, AUDIO_MAX_LISTENERS. */
  media: { announce: string | null; portRange: [number, number] | null; maxListeners: number | null };
}

/** `MEDIA_PORTS`: `40000-40999` (inclusive), the UDP ports audio sessions use; unset: any. */
export function parseMediaPorts(value: string | undefined): [number, number] | null {
  const text = (value ?? '').trim();
  if (text === '') return null;
  const m = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(text);
  const [lo, hi] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(lo >= 1024 && hi <= 65535 && lo <= hi)) throw new Error(`MEDIA_PORTS must be a UDP port range such as "40000-40999", not "${text}"`);
  return [lo, hi];
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

/** `TRUST_PROXY`: `true`/`false`, a hop count, or a comma-separated list of addresses and subnets. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || /^false$/i.test(text)) return false;
  if (/^true$/i.test(text)) return true;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((a) => a.trim()).filter(Boolean);
  try {
    // Express compiles the setting when it is set, and refuses what it cannot read.
    express().set('trust proxy', list);
  } catch (err) {
    throw new Error(`TRUST_PROXY must be true, false, a hop count or addresses/subnets (e.g. "loopback, 10.0.0.0/8"): ${(err as Error).message}`);
  }
  return list;
}

function readFloorLeaveMs(text: string | undefined): number | null {
  if (!text) return null;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100) throw new Error(`FLOOR_LEAVE_MS must be a number of milliseconds (at least 100), not "${text}"`);
  return ms;
}

function readEngine(value: string | undefined): Config['translateEngine'] {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'none' || v === 'apertium') return v;
  throw new Error(`TRANSLATE_ENGINE must be auto, apertium or none, not "${value}"`);
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
    floorLeaveMs: readFloorLeaveMs(env.FLOOR_LEAVE_MS),
    translateEngine: readEngine(env.TRANSLATE_ENGINE),
    apertiumDir: env.APERTIUM_DIR || null,
    allowances: readAllowances(env),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    httpsPort: (() => {
      const raw = env.HTTPS_PORT?.trim();
      if (!raw) return null;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`HTTPS_PORT must be a port number, not "${raw}"`);
      return n;
    })(),
    media: {
      announce: env.MEDIA_HOST?.trim() || null,
      portRange: parseMediaPorts(env.MEDIA_PORTS),
      maxListeners: count(env, 'AUDIO_MAX_LISTENERS') ?? null,
    },
  };
}

/** The first non-internal IPv4 address: what phones on the venue Wi-Fi can reach. */
export function firstLanAddress(interfaces = os.networkInterfaces()): string {
  for (const list of Object.values(interfaces)) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** Addresses that mean "every interface": listening on one of them, any of the machine's addresses answers. */
export const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '::0', '0:0:0:0:0:0:0:0']);

/**
 * The base of the links Tribune prints and puts in QR codes when `PUBLIC_URL` is unset: an address
 * the server really answers on. Listening on every interface (`HOST` unset, `0.0.0.0`, `::`), that is
 * the machine's LAN address, which phones on the venue Wi-Fi reach; listening on one address or name
 * (`HOST=127.0.0.1`, `HOST=192.168.1.20`, `HOST=localhost`), it is that one, since the LAN address
 * would answer nobody. `PUBLIC_URL` (a proxy, a DNS name) always wins.
 */
export function linkBase(
  { publicUrl, host, scheme, port }: { publicUrl: string | null; host: string; scheme: 'http' | 'https'; port: number },
  lanAddress: () => string = firstLanAddress,
): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const h = host.trim();
  const name = ANY_ADDRESS.has(h) || h === '' ? lanAddress() : h.replace(/^\[(.*)\]$/, '$1');
  // An IPv6 address goes in brackets in a URL.
  return `${scheme}://${name.includes(':') ? `[${name}]` : name}:${port}`;
}
