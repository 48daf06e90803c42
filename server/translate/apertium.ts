/**
 * Debian's Apertium on the box: one long-lived pipeline per installed mode, in null-flush mode
 * (`apertium -z`: each input ended by a NUL byte is translated, flushed and ended by a NUL).
 *
 * - The mode's programs read stdin, which as Node's socket pair fails for some (`apertium` prints its
 *   usage): the child is `bash -c 'cat | …'` with the mode file passed as an argument, never
 *   interpolated; the text only ever goes through the pipe, as data.
 * - One line at a time per process, each bounded by a timeout (the first line of a new process gets
 *   `startupMs` more, while the dictionaries load): a line past it gets null and the process group is
 *   killed (the next line starts a new one). A process that dies is restarted at the
 *   next line; one that dies before answering anything, three times in a row, marks its mode broken
 *   (reported once, not retried per line).
 * - A bounded queue: past `maxQueue` lines waiting, the oldest get null; a line that waited longer
 *   than `staleMs` is dropped when its turn comes (a caption translated seconds late is worthless).
 * - No deformatter: the text is escaped here as Apertium's text deformatter would (`\[`, `\^`, …) and
 *   unescaped on the way out; a trailing space keeps the last punctuation mark (without it the
 *   pipeline drops a final "." before the NUL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { choosePairs, pairKey, type ModePair } from './languages.ts';

export interface ApertiumOptions {
  /** The folder holding `modes/` (Debian: /usr/share/apertium). */
  dataDir: string;
  /** Per line, from the moment it is written to the process. */
  timeoutMs?: number;
  /** More time for the first line of a new process, which waits for the dictionaries to load. */
  startupMs?: number;
  /** Lines waiting per process beyond the one being translated. */
  maxQueue?: number;
  /** A line that waited longer than this is dropped when its turn comes. */
  staleMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/** The folders Debian and a source install put Apertium's data in. */
export const APERTIUM_DATA_DIRS = ['/usr/share/apertium', '/usr/local/share/apertium'];

/** Whether `name` is an executable file in a folder of PATH. */
export function onPath(name: string, pathVar = process.env.PATH ?? ''): string | null {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not there
    }
  }
  return null;
}

/** The modes installed under `dataDir/modes`, read as pairs (one per language pair). */
export function installedPairs(dataDir: string): Map<string, ModePair> {
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.join(dataDir, 'modes')).filter((f) => f.endsWith('.mode')).map((f) => f.slice(0, -'.mode'.length));
  } catch {
    // no such folder: no pairs
  }
  return choosePairs(names);
}

/** The first of the usual data folders with at least one pair installed. */
export function findApertiumData(candidates = APERTIUM_DATA_DIRS): string | null {
  return candidates.find((dir) => installedPairs(dir).size > 0) ?? null;
}

const SPECIAL = /[\\[\]^$/<>@{}~#]/g;
/** Text as Apertium's stream format takes it: special characters escaped, one line, no NUL. */
export function escapeForApertium(text: string): string {
  return text.replace(/\0/g, '').replace(/\s+/g, ' ').trim().replace(SPECIAL, (c) => `\\${c}`);
}
/** The pipeline's output as text: escapes undone, unknown-word marks gone, spaces trimmed. */
export function unescapeFromApertium(out: string): string {
  return out.replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim();
}

/**
 * The child's script (bash; its one argument is the mode file). The mode's own pipeline is run with
 * every program in null-flush mode (`apertium-wblank-mode -z`, or `-z` added after each program's
 * name where that tool is missing), as Apertium's APY does: the `apertium` script's own wrappers
 * (gawk with a regex record separator) hold the output back until the input ends. `-n` is the
 * generator's "no unknown-word marks" (`apertium -u`). `cat` turns Node's socket pair into a pipe.
 */
const PIPELINE = [
  'if command -v apertium-wblank-mode >/dev/null 2>&1; then script=$(apertium-wblank-mode -z "$1") || exit 1;',
  'else script=$(sed -E \'s/(^|\\|)[[:space:]]*([^[:space:]|]+)/\\1 \\2 -z/g\' "$1") || exit 1; fi;',
  'cat | exec bash -c "$script" tribune-apertium-mode -n ""',
].join(' ');

interface Line {
  text: string;
  queuedAt: number;
  resolve(out: string | null): void;
}

/** One mode's pipeline: started on demand, one line at a time. */
export class ApertiumPipe {
  private child: ChildProcess | null = null;
  private chunks: Buffer[] = [];
  private current: (Line & { timer: NodeJS.Timeout }) | null = null;
  private queue: Line[] = [];
  private failuresInARow = 0;
  /** The running process answered a line already (its dictionaries are loaded). */
  private ready = false;
  private stderrTail = '';
  private closed = false;
  /** Set once the mode failed to start three times in a row. */
  broken = false;
  /** How many processes were started (tests, the benchmark). */
  starts = 0;

  constructor(
    readonly mode: string,
    private readonly opts: Required<Omit<ApertiumOptions, 'logger'>> & Pick<ApertiumOptions, 'logger'>,
  ) {}

  /** The process group's id while one runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  translate(text: string): Promise<string | null> {
    if (this.broken || this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.queue.push({ text, queuedAt: Date.now(), resolve });
      while (this.queue.length > this.opts.maxQueue) {
        this.queue.shift()!.resolve(null);
        this.opts.logger?.warn({ mode: this.mode }, 'translation dropped (queue full)');
      }
      this.pump();
    });
  }

  /** Starts the process now, so that the first line does not wait for the dictionaries to load. */
  warm(): void {
    if (!this.broken && !this.closed && !this.child) this.start();
  }

  private start(): ChildProcess {
    this.starts++;
    // Own process group (detached): a kill reaches every program of the pipeline.
    const modeFile = path.join(this.opts.dataDir, 'modes', `${this.mode}.mode`);
    const child = spawn('bash', ['-c', PIPELINE, 'tribune-apertium', modeFile], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    this.child = child;
    this.chunks = [];
    this.ready = false;
    let answered = false;
    child.stdout!.on('data', (d: Buffer) => {
      if (this.child !== child) return;
      answered = true;
      this.ready = true;
      this.onData(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString('utf8')).slice(-400);
    });
    child.stdin!.on('error', () => {
      // The process went away: its exit handles the line.
    });
    child.on('error', (err) => this.opts.logger?.warn({ mode: this.mode, err: String(err) }, 'apertium could not start'));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.closed) return;
      this.failuresInARow = answered ? 0 : this.failuresInARow + 1;
      this.opts.logger?.warn({ mode: this.mode, code, signal, stderr: this.stderrTail.trim() }, 'apertium stopped; restarted at the next line');
      if (this.failuresInARow >= 3) {
        this.broken = true;
        this.opts.logger?.warn({ mode: this.mode }, 'apertium mode broken: not retried');
      }
      this.finishCurrent(null);
      if (this.broken) for (const l of this.queue.splice(0)) l.resolve(null);
      else this.pump();
    });
    return child;
  }

  private kill(child: ChildProcess | null) {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  private onData(d: Buffer) {
    this.chunks.push(d);
    let buf = Buffer.concat(this.chunks);
    let nul: number;
    while ((nul = buf.indexOf(0)) >= 0) {
      const out = buf.subarray(0, nul).toString('utf8');
      buf = buf.subarray(nul + 1);
      if (!this.current) {
        // Output nobody asked for: the pipe is out of step. Start afresh.
        this.opts.logger?.warn({ mode: this.mode }, 'apertium out of step; restarted');
        const child = this.child;
        this.child = null;
        this.kill(child);
        this.chunks = [];
        this.pump();
        return;
      }
      const text = unescapeFromApertium(out);
      this.finishCurrent(text || null);
    }
    this.chunks = buf.length ? [buf] : [];
    this.pump();
  }

  private finishCurrent(out: string | null) {
    const line = this.current;
    if (!line) return;
    this.current = null;
    clearTimeout(line.timer);
    line.resolve(out);
  }

  private pump() {
    if (this.current || this.closed) return;
    let line: Line | undefined;
    while ((line = this.queue.shift())) {
      if (Date.now() - line.queuedAt <= this.opts.staleMs) break;
      line.resolve(null);
      this.opts.logger?.warn({ mode: this.mode }, 'translation dropped (stale)');
    }
    if (!line) return;
    const child = this.child ?? this.start();
    const limit = this.opts.timeoutMs + (this.ready ? 0 : this.opts.startupMs);
    const timer = setTimeout(() => {
      if (this.current?.timer !== timer) return;
      this.opts.logger?.warn({ mode: this.mode, timeoutMs: this.opts.timeoutMs }, 'apertium timed out; restarted');
      this.child = null;
      this.kill(child);
      this.finishCurrent(null);
      this.pump();
    }, limit);
    timer.unref();
    this.current = { ...line, timer };
    // A trailing space keeps the last punctuation mark (see the file's comment).
    child.stdin!.write(`${escapeForApertium(line.text)} \0`);
  }

  close() {
    this.closed = true;
    const child = this.child;
    this.child = null;
    this.kill(child);
    this.finishCurrent(null);
    for (const l of this.queue.splice(0)) l.resolve(null);
  }
}

/** Every installed pair's pipe, made on first use. */
export function createApertium(options: ApertiumOptions) {
  const opts = {
    dataDir: options.dataDir,
    timeoutMs: options.timeoutMs ?? 5_000,
    startupMs: options.startupMs ?? 10_000,
    maxQueue: options.maxQueue ?? 20,
    staleMs: options.staleMs ?? options.timeoutMs ?? 5_000,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  const pairs = installedPairs(options.dataDir);
  const pipes = new Map<string, ApertiumPipe>();
  function pipe(from: string, to: string): ApertiumPipe | null {
    const key = pairKey(from, to);
    const pair = pairs.get(key);
    if (!pair) return null;
    let p = pipes.get(key);
    if (!p) pipes.set(key, (p = new ApertiumPipe(pair.mode, opts)));
    return p;
  }
  return {
    pairs,
    pipe,
    pipes,
    translateDirect(text: string, from: string, to: string): Promise<string | null> {
      return pipe(from, to)?.translate(text) ?? Promise.resolve(null);
    },
    warm(from: string, to: string) {
      pipe(from, to)?.warm();
    },
    close() {
      for (const p of pipes.values()) p.close();
    },
  };
}
export type Apertium = ReturnType<typeof createApertium>;
