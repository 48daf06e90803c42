/**
 * The API's answers compressed on the fly (brotli or gzip, by `Accept-Encoding`): JSON and text
 * bodies of 1 KB or more. Every answer of the API goes through `res.send` (`res.json` calls it),
 * so wrapping `send` covers them all, the report and its downloads included; what is not text
 * (slide page images, JPEG) or already coded passes untouched. Socket.IO never comes through
 * Express: its frames are its own business.
 */
import type { RequestHandler, Response } from 'express';
import { acceptedCodings, compressForAnswer, compressibleType } from './encoding.ts';

/** Below this, headers dominate and compressing costs more than it saves. */
export const COMPRESS_FROM_BYTES = 1024;

export function compressAnswers(minBytes = COMPRESS_FROM_BYTES): RequestHandler {
  return (req, res, next) => {
    const send = res.send.bind(res) as (body?: unknown) => Response;
    res.send = (body?: unknown) => {
      // Objects come back here as a string through res.json.
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) return send(body);
      if (res.get('Content-Encoding') || !compressibleType(res.get('Content-Type'))) return send(body);
      // The answer depends on the header even when this one is sent plain.
      res.vary('Accept-Encoding');
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      const coding = acceptedCodings(req.get('accept-encoding'))[0];
      if (size < minBytes || !coding || coding === 'identity') return send(body);
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      // Off the event loop (zlib's thread pool); Express then adds Content-Length and its ETag of
      // these bytes, and answers 304 itself when the client's copy matches. HEAD too, so its
      // headers are GET's.
      compressForAnswer(bytes, coding).then(
        (packed) => {
          if (packed.length >= bytes.length) return send(body);
          res.set('Content-Encoding', coding);
          // What Express adds to a string's type, not to a Buffer's: the bytes are UTF-8.
          const type = res.get('Content-Type')!;
          if (typeof body === 'string' && !/;\s*charset=/i.test(type)) res.set('Content-Type', `${type}; charset=utf-8`);
          send(packed);
        },
        () => send(body),
      ).catch(next);
      return res;
    };
    next();
  };
}
