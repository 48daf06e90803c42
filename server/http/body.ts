/**
 * JSON request bodies (what express.json did), read here so that every refusal is the contract's:
 * a charset or Content-Encoding the server does not read → 415, bytes that do not decode (a broken
 * gzip stream, not UTF-8, not JSON) → 400, both INVALID_PAYLOAD; over the limit → 413 TOO_LARGE.
 * express.json answered the first ones as 500 and drained refused bodies without any bound; here
 * the API's error handler drains what is left within bounds (drain.ts) before answering.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { RequestHandler } from 'express';
import { ErrorCode } from '../../shared/errors.ts';
import { HttpRefusal } from './refusal.ts';

/** The encodings express.json read: scripted clients may compress; browsers never do. */
const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

const unsupported = (message: string) => new HttpRefusal(ErrorCode.INVALID_PAYLOAD, message, 415);
const undecodable = (message: string) => new HttpRefusal(ErrorCode.INVALID_PAYLOAD, message, 400);
export const tooLargeBody = (limit: number) =>
  new HttpRefusal(ErrorCode.TOO_LARGE, `request body too large (at most ${Math.round(limit / 1024)} KB)`, 413);

/** RFC 9112 §6.3: a body is there when a Transfer-Encoding or a non-zero Content-Length says so. */
export const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

function mediaType(req: IncomingMessage): { type: string; charset: string | null } {
  const header = req.headers['content-type'] ?? '';
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(header)?.[1]?.toLowerCase() ?? null;
  return { type: header.split(';')[0]!.trim().toLowerCase(), charset };
}

function parse(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw undecodable('the body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw undecodable('body is not valid JSON');
  }
}

/**
 * Parses an `application/json` body of at most `limit` bytes (decoded) into `req.body`; other
 * types are left unread with `req.body` undefined (the route's schema then refuses it).
 */
export function jsonBody(limit: number): RequestHandler {
  return (req, _res, next) => {
    req.body = undefined;
    const { type, charset } = mediaType(req);
    if (!hasBody(req) || type !== 'application/json') return next();
    if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
      return next(unsupported(`a JSON body must be UTF-8, not "${charset}"`));
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const decoder = encoding === 'identity' ? null : DECODERS[encoding]?.();
    if (decoder === undefined) return next(unsupported(`Content-Encoding "${encoding}" is not supported`));
    if (Number(req.headers['content-length']) > limit) return next(tooLargeBody(limit));

    const source: Readable = decoder ? req.pipe(decoder) : req;
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      source.off('data', onData).off('end', onEnd).off('error', onError);
      req.off('error', onError).off('close', onClose);
      if (decoder) {
        req.unpipe(decoder);
        decoder.destroy();
      }
      // Whatever is left waits for the error handler's bounded drain.
      if (err) {
        req.pause();
        return next(err);
      }
      try {
        req.body = parse(Buffer.concat(parts));
      } catch (e) {
        return next(e);
      }
      next();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish(tooLargeBody(limit));
      parts.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = () => finish(undecodable(decoder ? `the body is not valid ${encoding}` : 'the body could not be read'));
    // A request closes after its end too (before a decoder has flushed): only a short one is an error.
    const onClose = () => !req.complete && finish(undecodable('the body was cut short'));
    source.on('data', onData).on('end', onEnd).on('error', onError);
    req.on('error', onError).on('close', onClose);
  };
}
