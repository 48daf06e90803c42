/** localStorage that never throws (private mode, disabled storage, quota). */
export function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Without storage the choice lasts for this page only; nothing else breaks.
  }
}

const DEVICE_KEY = 'tribune.deviceId';
let memoryDeviceId: string | null = null;

function randomId(): string {
  const bytes = new Uint8Array(16); // 128 bits → 22 base64url characters
  crypto.getRandomValues(bytes);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * This device's id (22 chars of base64url), kept in localStorage. It grants nothing: it only
 * makes "one vote per device" and idempotent retries work.
 */
export function deviceId(): string {
  try {
    const kept = localStorage.getItem(DEVICE_KEY);
    if (kept && /^[A-Za-z0-9_-]{8,64}$/.test(kept)) return kept;
    const fresh = randomId();
    localStorage.setItem(DEVICE_KEY, fresh);
    return fresh;
  } catch {
    memoryDeviceId ??= randomId();
    return memoryDeviceId;
  }
}

const PROOF_KEY = 'tribune.deviceProof';

/**
 * The server's proof for this device id (sent once, the first time it joins): with it, a phone
 * that comes back is known at once instead of counting as a new device of its network.
 */
export function deviceProof(): string | undefined {
  const kept = readJson<{ deviceId: string; proof: string }>(PROOF_KEY);
  return kept && kept.deviceId === deviceId() ? kept.proof : undefined;
}

export function saveDeviceProof(proof: string): void {
  writeJson(PROOF_KEY, { deviceId: deviceId(), proof });
}
