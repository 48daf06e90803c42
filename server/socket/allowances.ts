/**
 * Per-address allowances (PROTOCOL v2): sockets held and new devices minted per address, and the
 * questions and votes of devices that are new. Phones on a venue LAN each have their own
 * address; behind a NAT they share one, so every bound is generous and configurable
 * (README "Environment"). Past a bound the handshake fails with `RATE_LIMITED`; the phone's
 * client retries with backoff.
 *
 * Kept in this process's memory, bounded: several processes each apply their own allowance.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { bucketsPerClient } from '../limits.ts';
import type { Budget } from './budgets.ts';

export interface Allowances {
  /** Attendee sockets held at once per address; 0: unbounded. */
  maxSocketsPerAddress: number;
  /** Devices never seen before, per address: a burst, then per second. */
  newDevices: Budget;
  /** A device is new for this long after it was first seen (ms). */
  newDeviceMs: number;
  /** Questions and votes of new devices, per address (on top of each device's own limits). */
  newDeviceActs: { ask: Budget; vote: Budget };
}

export const DEFAULT_ALLOWANCES: Allowances = {
  maxSocketsPerAddress: 500,
  newDevices: { burst: 100, perSecond: 5 },
  newDeviceMs: 10 * 60_000,
  newDeviceActs: { ask: { burst: 100, perSecond: 1 }, vote: { burst: 300, perSecond: 5 } },
};

/** Devices remembered by this process (for clients that keep no proof): oldest forgotten first. */
const REMEMBERED_DEVICES = 100_000;

/**
 * The address a socket or request counts against. `trust` is Express's compiled `trust proxy`
 * (TRUST_PROXY): forwarded addresses are believed only from trusted hops. IPv6 addresses count
 * per /64, the block one host gets (it can pick any address in it).
 */
export function addressOf(req: IncomingMessage, trust: (addr: string, hop: number) => boolean): string {
  return addressKey(proxyaddr(req, trust));
}

export function addressKey(raw: string | undefined): string {
  const addr = raw ?? '';
  if (addr.startsWith('::ffff:') && addr.includes('.')) return addr.slice(7);
  if (!addr.includes(':')) return addr;
  const [head = '', tail = ''] = addr.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = addr.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}

export interface AllowanceTracker {
  readonly limits: Allowances;
  /** Takes one of the address's socket places; false when it holds its maximum. */
  openSocket(address: string): boolean;
  closeSocket(address: string): void;
  /**
   * When the device was first seen: its proof's time, or this process's memory of it; a device
   * seen for the first time draws on its address's budget (null: refused, the budget is spent).
   */
  deviceSince(address: string, deviceId: string, provenSince: number | null, now?: number): number | null;
  /** A new device's question or vote, from its address's budget. */
  takeNewDeviceAct(address: string, act: 'ask' | 'vote'): boolean;
  /** Sockets held per address (tests and benchmarks). */
  sockets(address: string): number;
}

export function allowanceTracker(limits: Allowances = DEFAULT_ALLOWANCES): AllowanceTracker {
  const held = new Map<string, number>();
  const remembered = new Map<string, number>();
  const newDevice = bucketsPerClient(limits.newDevices.burst, limits.newDevices.perSecond);
  const acts = {
    ask: bucketsPerClient(limits.newDeviceActs.ask.burst, limits.newDeviceActs.ask.perSecond),
    vote: bucketsPerClient(limits.newDeviceActs.vote.burst, limits.newDeviceActs.vote.perSecond),
  };
  return {
    limits,
    openSocket(address) {
      const n = held.get(address) ?? 0;
      if (limits.maxSocketsPerAddress > 0 && n >= limits.maxSocketsPerAddress) return false;
      held.set(address, n + 1);
      return true;
    },
    closeSocket(address) {
      const n = (held.get(address) ?? 1) - 1;
      if (n > 0) held.set(address, n);
      else held.delete(address);
    },
    deviceSince(address, deviceId, provenSince, now = Date.now()) {
      const since = provenSince ?? remembered.get(deviceId);
      if (since !== undefined) return since;
      if (!newDevice(address)) return null;
      if (remembered.size >= REMEMBERED_DEVICES) remembered.delete(remembered.keys().next().value as string);
      remembered.set(deviceId, now);
      return now;
    },
    takeNewDeviceAct: (address, act) => acts[act](address),
    sockets: (address) => held.get(address) ?? 0,
  };
}
