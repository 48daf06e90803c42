/**
 * Content codings, shared by the build (scripts/precompress.ts), the static client (static.ts) and
 * the API's answers (compress.ts): which one a request accepts best, what is worth compressing, and
 * the zlib settings of each.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Coding = 'br' | 'gzip' | 'identity';

/** Ties go to the first: brotli is ~15–20 % smaller than gzip on our scripts, and every current browser decodes it. */
const SERVER_ORDER: readonly Coding[] = ['br', 'gzip', 'identity'];

/** An implicit `identity` (not named, no `*`) is acceptable, but below any coding the client named. */
const IMPLICIT = 0.0001;

/**
 * The codings `Accept-Encoding` accepts, best first (RFC 9110 §12.5.3): by q-value, ties in the
 * server's order (br, gzip, identity). `identity` always comes last at worst: a client that refuses
 * it outright still gets a readable answer rather than a 406. No header, or an empty one: identity.
 */
export function acceptedCodings(header: string | undefined): Coding[] {
  if (!header?.trim()) return ['identity'];
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    let name = rawName.trim().toLowerCase();
    if (!name) continue;
    if (name === 'x-gzip') name = 'gzip'; // RFC 9110: to be treated as gzip
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) weight = Number(m[1]);
    }
    if (!Number.isFinite(weight)) continue;
    // A repeated name keeps its first weight, as most servers do.
    if (!q.has(name)) q.set(name, Math.min(1, Math.max(0, weight)));
  }
  const star = q.get('*');
  const weightOf = (c: Coding) => q.get(c) ?? star ?? (c === 'identity' ? IMPLICIT : 0);
  const ranked = SERVER_ORDER.filter((c) => weightOf(c) > 0).sort((a, b) => weightOf(b) - weightOf(a));
  if (!ranked.includes('identity')) ranked.push('identity');
  return ranked;
}

/** The file suffix of a precompressed sibling. */
export const SUFFIX = { br: '.br', gzip: '.gz' } as const satisfies Record<Exclude<Coding, 'identity'>, string>;

/**
 * Files worth compressing: text, and fonts that are not compressed already (woff/woff2 are;
 * images and media are too).
 */
export const COMPRESSIBLE_FILE = /\.(?:js|mjs|css|html|svg|json|webmanifest|map|txt|xml|ico|ttf|otf|eot)$/i;

/** Content types worth compressing on the fly: text, JSON, XML, SVG, subtitles. Never JPEG and friends. */
export function compressibleType(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/javascript' ||
    type === 'image/svg+xml' ||
    type === 'application/x-subrip' ||
    /^application\/[a-z0-9.+-]*\+(?:json|xml)$/.test(type) ||
    type === 'application/xml'
  );
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * At build time, once per file: the smallest output either coding can make (brotli quality 11,
 * gzip level 9). Brotli 11 takes about a second on the 250 KB entry: fine once, never per request.
 */
export function compressForBuild(body: Buffer, coding: Exclude<Coding, 'identity'>): Promise<Buffer> {
  if (coding === 'gzip') return gzip(body, { level: 9 });
  return brotli(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}

/**
 * Per answer: settings that stay fast on a report of several MB (zlib's thread pool, off the event
 * loop). Brotli's own default, quality 11, would take seconds on a long evening's transcript;
 * quality 5 takes about 0.1 s on 6 MB of caption JSON and still beats gzip's default level.
 */
export function compressForAnswer(body: Buffer, coding: Exclude<Coding, 'identity'>): Promise<Buffer> {
  if (coding === 'gzip') return gzip(body, { level: 6 });
  return brotli(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
}
