/**
 * Requests as a plain `http.request` makes them: the body written whole (or as told), and what
 * happened on both sides recorded — the status and headers of the answer, and whether the body
 * was sent to its end or the server cut the connection under it (EPIPE, ECONNRESET).
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface RawAnswer {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The request body was written to its end. */
  sent: boolean;
  /** A socket error on the client's side (e.g. `ECONNRESET`, `EPIPE`), if any. */
  error: string | null;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /**
   * The body: bytes (sent with their Content-Length unless `chunked`), or a function that writes
   * it (called with the request; it ends it when it wants to).
   */
  body?: Buffer | ((req: http.ClientRequest) => void);
  chunked?: boolean;
}

/** Sends a request and resolves once the exchange is over (answer read, or connection closed). */
export function rawRequest(base: string, r: RawRequest): Promise<RawAnswer> {
  const url = new URL(r.path, base);
  const body = r.body ?? Buffer.alloc(0);
  const headers = { ...(Buffer.isBuffer(body) && !r.chunked ? { 'content-length': String(body.length) } : {}), ...r.headers };
  // A keep-alive agent, as browsers and fetch use: the request does not ask to close the connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve) => {
    const answer: RawAnswer = { status: null, headers: {}, body: '', sent: false, error: null };
    let responded = false;
    let closed = false;
    const finish = () => {
      if (!responded || !closed) return;
      agent.destroy();
      resolve(answer);
    };
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: r.method, headers, agent }, (res) => {
      answer.status = res.statusCode ?? null;
      answer.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (answer.body += d));
      res.on('end', () => ((responded = true), finish()));
      res.on('error', () => ((responded = true), finish()));
    });
    req.on('finish', () => (answer.sent = true));
    req.on('error', (err: NodeJS.ErrnoException) => {
      answer.error = err.code ?? err.message;
      responded = true;
      finish();
    });
    req.on('close', () => ((closed = true), finish()));
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

/** The `{"error":{"code"}}` of an answer, or null. */
export function errorCode(answer: RawAnswer): string | null {
  try {
    return (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

/** A pino logger whose lines are kept (parsed) for the test to read. */
export function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info', base: undefined }, sink), lines };
}
