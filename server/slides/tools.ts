/**
 * The external programs that read decks — Debian's poppler (`pdfinfo`, `pdftoppm`) and, where
 * installed, LibreOffice (`soffice`) — run as child processes: off the event loop, at a lower CPU
 * priority than the live server, each killed (with its whole process group) past its deadline.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The first executable named `name` on PATH (or the path itself when it has a slash), or null. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = name.includes('/') ? [name] : (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
  for (const file of candidates) {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not there
    }
  }
  return null;
}

const nice = findExecutable('nice');

export interface ToolResult {
  code: number | null;
  /** The last few KB of stdout and stderr (for parsing and for the log). */
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const KEEP = 16 * 1024;

/**
 * Runs `command args` until `deadline` (ms epoch); past it the process group is killed and the
 * result says `timedOut`. Never rejects for a non-zero exit: the caller reads `code`.
 */
export function runTool(command: string, args: string[], deadline: number, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const timeLeft = deadline - Date.now();
    if (timeLeft <= 0) return resolve({ code: null, stdout: '', stderr: '', timedOut: true });
    // `nice`: a render must never take the CPU from the live traffic of the same machine.
    const [file, argv] = nice ? [nice, ['-n', '10', command, ...args]] : [command, args];
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a kill reaches soffice's children too
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('utf8')).slice(-KEEP)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-KEEP)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeLeft);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}
