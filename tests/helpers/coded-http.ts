/**
 * HTTP as the bytes go on the wire: fetch() decodes bodies and adds its own Accept-Encoding, so
 * tests of content codings use node:http with exactly the headers they mean.
 */
import http from 'node:http';
import zlib from 'node:zlib';

export interface CodedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (still coded). */
  body: Buffer;
}

export function codedRequest(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<CodedAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body decoded by its Content-Encoding (none, br or gzip; anything else throws). */
export function decoded(answer: CodedAnswer): Buffer {
  const coding = answer.headers['content-encoding'];
  if (coding === undefined) return answer.body;
  if (coding === 'br') return zlib.brotliDecompressSync(answer.body);
  if (coding === 'gzip') return zlib.gunzipSync(answer.body);
  throw new Error(`unexpected Content-Encoding: ${coding}`);
}
