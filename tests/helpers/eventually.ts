/**
 * `vi.waitFor` with a patient default. The suite runs files in parallel on a loaded CI machine,
 * and some deliveries cross two server processes, Redis streams and a 500 ms broadcast window:
 * a second is not "never". A passing check returns at once, so the timeout only bounds failures.
 */
import { vi } from 'vitest';

export const EVENTUALLY_MS = 10_000;

export function eventually<T>(check: () => T | Promise<T>, options: { timeout?: number; interval?: number } = {}): Promise<T> {
  return vi.waitFor(check, { timeout: EVENTUALLY_MS, interval: 25, ...options });
}
