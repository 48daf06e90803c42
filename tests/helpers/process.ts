/** The real entry point as a user runs it: `tsx server/main.ts` in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { eventually } from './eventually.ts';
import { ADMIN_TOKEN } from './server.ts';

/** A running `server/main.ts`. */
export interface MainProcess {
  child: ChildProcess;
  /** `http(s)://127.0.0.1:<port>`, as the server printed it. */
  url: string;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `server/main.ts` on a free port of 127.0.0.1 with the test admin token, no Redis and no
 * PUBLIC_URL unless `env` sets them; resolves once it says it is running (within 20 s). The child
 * is added to `children`: the caller kills them at the end.
 */
export async function startMain(env: Record<string, string>, children: ChildProcess[]): Promise<MainProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN, LOG_LEVEL: 'warn', REDIS_URL: '', PUBLIC_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await eventually(
    () => {
      const m = /running on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) throw new Error(`not started yet: ${out}`);
      return `${m[1]}://127.0.0.1:${m[2]}`;
    },
    { timeout: 20_000, interval: 50 },
  );
  return { child, url, output: () => out };
}
