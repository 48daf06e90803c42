/**
 * The built client (dist/client): hashed assets, cached for a year, and the page (index.html),
 * revalidated at every load, for every client route. Each is sent in the best coding the request
 * accepts among the build's precompressed siblings (`.br`, `.gz`: scripts/precompress.ts), so
 * nothing is compressed per request.
 *
 * Ranges are not offered (`Accept-Ranges: none`, a `Range` header is answered with the whole file):
 * scripts and pages are read whole, and a range of a compressed sibling is easy to get wrong.
 */
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response } from 'express';
import { COMPRESSIBLE_FILE, SUFFIX, acceptedCodings, type Coding } from './encoding.ts';
import { pageHints } from './hints.ts';

/** Vite names every file of `assets/` by its content's hash: a name never changes meaning. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page names the current assets: browsers keep it but ask each time whether it changed (304). */
const REVALIDATE = 'no-cache';

/** Names a request may ask for: no hidden files, no way up, not the siblings themselves. */
const SAFE_NAME = /^(?!\.)[A-Za-z0-9._-]+$/;
const SIBLING = /\.(?:br|gz)$/i;

interface Opened {
  handle: fs.FileHandle;
  stat: Stats;
}

/** The regular file at `file`, opened, or null when there is none. */
async function openFile(file: string): Promise<Opened | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if (['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG'].includes((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  }
  const stat = await handle.stat();
  if (stat.isFile()) return { handle, stat };
  await handle.close();
  return null;
}

/**
 * The representation to send: the best accepted sibling that exists and is not older than the
 * file (a file edited after the build is sent as it is now), else the file itself.
 */
async function choose(req: Request, file: string, original: Opened): Promise<{ coding: Coding; opened: Opened }> {
  if (!COMPRESSIBLE_FILE.test(file)) return { coding: 'identity', opened: original };
  for (const coding of acceptedCodings(req.get('accept-encoding'))) {
    if (coding === 'identity') break;
    const sibling = await openFile(file + SUFFIX[coding]);
    if (sibling && sibling.stat.mtimeMs >= original.stat.mtimeMs) return { coding, opened: sibling };
    await sibling?.handle.close();
  }
  return { coding: 'identity', opened: original };
}

/**
 * Sends `file` (GET or HEAD) with `cacheControl`, in the best accepted coding, or answers 304 when
 * the client's copy is current. Resolves false when there is no such file (nothing sent).
 */
async function sendFile(req: Request, res: Response, file: string, cacheControl: string): Promise<boolean> {
  const original = await openFile(file);
  if (!original) return false;
  const { coding, opened } = await choose(req, file, original).catch(async (err: unknown) => {
    await original.handle.close();
    throw err;
  });
  // From here on only the chosen representation's file is open.
  if (opened !== original) await original.handle.close();
  try {
    const { size, mtimeMs } = opened.stat;
    if (COMPRESSIBLE_FILE.test(file)) res.vary('Accept-Encoding');
    res.set({
      'Cache-Control': cacheControl,
      // One tag per representation: each coding of a file is its own bytes (RFC 9110 §8.8.3.3).
      ETag: `"${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}${coding === 'identity' ? '' : `-${coding}`}"`,
      'Last-Modified': original.stat.mtime.toUTCString(),
      'Accept-Ranges': 'none',
    });
    // Express compares If-None-Match / If-Modified-Since with the ETag and Last-Modified just set.
    if (req.fresh) {
      res.status(304).end();
      return true;
    }
    res.type(path.extname(file));
    if (coding !== 'identity') res.set('Content-Encoding', coding);
    res.set('Content-Length', String(size));
    if (req.method === 'HEAD') res.end();
    // A phone that goes away mid-file is not an error of ours.
    else await pipeline(opened.handle.createReadStream({ autoClose: false }), res).catch(() => {});
    return true;
  } finally {
    await opened.handle.close();
  }
}

const notFound = (res: Response) => res.status(404).type('text/plain').set('Cache-Control', 'no-store').send('Not found');

/**
 * The client's routes: `/assets/*` (a missing asset is a 404, never the page), the page at each of
 * `pages`, and any other file at the top of `dir` (revalidated, as it has no hash in its name).
 */
export function clientRoutes(dir: string, pages: string[]): express.Router {
  const router = express.Router();
  const assets = path.join(dir, 'assets');
  const page = path.join(dir, 'index.html');
  const hints = pageHints(dir);

  router.get('/assets/*parts', async (req, res) => {
    const parts = (req.params as { parts: string[] }).parts;
    const safe = parts.every((p) => SAFE_NAME.test(p)) && !SIBLING.test(parts.at(-1) ?? '');
    if (!safe || !(await sendFile(req, res, path.join(assets, ...parts), IMMUTABLE))) notFound(res);
  });

  router.get(pages, async (req, res) => {
    // What the page's first screen needs besides the entry, fetched beside it (hints.ts).
    const link = hints(req.path, req.get('accept-language'));
    if (link) res.set('Link', link);
    if (!(await sendFile(req, res, page, REVALIDATE))) notFound(res);
  });

  router.get('/:name', async (req, res, next) => {
    const { name } = req.params;
    if (!SAFE_NAME.test(name) || SIBLING.test(name) || !(await sendFile(req, res, path.join(dir, name), REVALIDATE))) next();
  });

  // Any other path: the app's own not-found page, in the reader's language (the client routes
  // unknown paths to it), with a 404 status — not Express's "Cannot GET".
  router.get('/*rest', async (req, res) => {
    if (/^\/assets(\/|$)/.test(req.path)) return void notFound(res);
    res.status(404);
    if (!(await sendFile(req, res, page, REVALIDATE))) notFound(res);
  });
  return router;
}
