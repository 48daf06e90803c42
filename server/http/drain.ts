/**
 * The rest of a refused request body. A client still sending when the server answers and closes
 * gets a reset (its kernel sees data arrive at a closed socket) and often never reads the answer:
 * so before answering a refusal, the server reads what is left and discards it. Within bounds:
 * an endless or crawling upload must not hold a connection open, so past them the server answers
 * anyway and closes, and that client may see the reset.
 */
import type { IncomingMessage } from 'node:http';

export interface DrainBounds {
  /** Bytes read after the refusal. */
  bytes: number;
  /** Time waited for the end of the body. */
  ms: number;
}

/** Above the largest upload (a 60 MB deck) so an over-size deck is still answered cleanly. */
export const DRAIN_BOUNDS: DrainBounds = { bytes: 128 * 1024 * 1024, ms: 10_000 };

/**
 * Reads and discards the request body to its end. Resolves true once it ended, false when the
 * client went away or a bound was reached first (the body is then left unread: close after
 * answering). A declared length beyond the bound is not waited for at all.
 */
export function drain(req: IncomingMessage, bounds: DrainBounds = DRAIN_BOUNDS): Promise<boolean> {
  if (req.complete) {
    req.resume();
    return Promise.resolve(true);
  }
  if (Number(req.headers['content-length']) > bounds.bytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let bytes = 0;
    const done = (whole: boolean) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      if (!whole) req.pause();
      resolve(whole);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > bounds.bytes) done(false);
    };
    const onEnd = () => done(true);
    const onClose = () => done(req.complete);
    const timer = setTimeout(() => done(false), bounds.ms);
    req.on('data', onData).on('end', onEnd).on('close', onClose);
    req.resume();
  });
}
