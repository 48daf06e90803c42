/**
 * A `redis-server` of a test's own, on a free port: a test may stop, kill or freeze it, which it must
 * never do to the Redis at REDIS_URL (other test runs share that one).
 *
 * Without `redis-server` installed such suites are skipped with a message; under CI that fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { eventually } from './eventually.ts';

export const redisServerPath = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();

/** False (with a message) when redis-server is missing; throws under CI. */
export function requireRedisServer(what: string): boolean {
  if (redisServerPath) return true;
  const message = `redis-server is not installed: ${what} ${process.env.CI ? 'cannot run' : 'is skipped'}`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
  return false;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Starts a Redis persisting every write (AOF, fsync always) in `dir` on `port`, and resolves once it
 * accepts connections. Started again on the same `dir` and `port`, it has the same data. The child
 * is added to `children`: the caller kills them at the end.
 */
export async function startPrivateRedis(dir: string, port: number, children: ChildProcess[]): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];
  const child = spawn(redisServerPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await eventually(() => expect(out).toMatch(/Ready to accept connections/), { timeout: 10_000 });
  return child;
}

/** Resolves once `child` has exited. */
export const exited = (child: ChildProcess) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));

/**
 * The private Redis processes and temporary folders of a test file: `children` (give it to
 * startPrivateRedis) are killed and `tmp(name)` folders deleted once the file's tests are done.
 */
export function useScratch(): { children: ChildProcess[]; tmp(name: string): string } {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterAll(() => {
    children.forEach((c) => c.kill('SIGKILL'));
    dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });
  return {
    children,
    tmp(name) {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), `tribune-${name}-`));
      dirs.push(d);
      return d;
    },
  };
}
