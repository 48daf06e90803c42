/**
 * Device proofs: what makes a `deviceId` cost something (PROTOCOL v2 "Per-address allowances").
 * A device id is minted by the phone and grants nothing; the first time a device joins, it draws
 * on its address's budget of new devices and the server hands it a proof — an HMAC of its id and
 * of when it was first seen. A phone that comes back with its proof (reconnect, sleep, a server
 * restart, another process sharing the key) is known at once, and how long it has been known is
 * in the proof itself: no table of devices to keep, bound or share.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SEP = '.';

export interface DeviceProofs {
  /** A proof that `deviceId` was first seen at `since` (ms). */
  issue(deviceId: string, since: number): string;
  /** When the device was first seen, if `proof` is this server's proof for `deviceId`; else null. */
  verify(deviceId: string, proof: unknown, now?: number): number | null;
}

/** `key`: a secret shared by every process of the deployment and kept across restarts. */
export function deviceProofs(key: Buffer | string): DeviceProofs {
  const mac = (deviceId: string, seconds: string) =>
    createHmac('sha256', key).update(`tribune-device\u0000${deviceId}\u0000${seconds}`).digest().subarray(0, 16);
  return {
    issue(deviceId, since) {
      const seconds = Math.floor(since / 1000).toString(36);
      return `${seconds}${SEP}${mac(deviceId, seconds).toString('base64url')}`;
    },
    verify(deviceId, proof, now = Date.now()) {
      if (typeof proof !== 'string' || proof.length > 64) return null;
      const [seconds, sig] = proof.split(SEP);
      if (!seconds || !sig || !/^[0-9a-z]{1,10}$/.test(seconds)) return null;
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(deviceId, seconds);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const since = parseInt(seconds, 36) * 1000;
      // A proof from the future was not made by this clock: treat the device as new.
      return since <= now + 60_000 ? since : null;
    },
  };
}
