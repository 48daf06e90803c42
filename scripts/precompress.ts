/**
 * Precompression of the built client: after `vite build`, every compressible file of dist/client
 * gets a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) sibling, which the server sends as
 * they are (server/http/static.ts). A Vite plugin, so every build makes them: `npm run build`,
 * `npm test` and the first `npm start` (`npx vite build`) alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';
import { COMPRESSIBLE_FILE, SUFFIX, compressForBuild } from '../server/http/encoding.ts';

export interface Precompressed {
  /** Files that got at least one sibling. */
  files: number;
  /** Bytes of those files, and of their siblings. */
  bytes: number;
  br: number;
  gzip: number;
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Writes the `.br` and `.gz` siblings of every compressible file under `dir`. A sibling that would
 * not be smaller than its file (a few bytes of script) is not written, or removed if an earlier run
 * left one: the server then sends the file itself.
 */
export async function precompressDir(dir: string): Promise<Precompressed> {
  const total: Precompressed = { files: 0, bytes: 0, br: 0, gzip: 0 };
  const files = [...walk(dir)].filter((f) => COMPRESSIBLE_FILE.test(f));
  // All at once: zlib runs them on its thread pool.
  await Promise.all(
    files.map(async (file) => {
      const body = await fs.promises.readFile(file);
      let written = false;
      for (const coding of ['br', 'gzip'] as const) {
        const sibling = file + SUFFIX[coding];
        const packed = await compressForBuild(body, coding);
        if (packed.length < body.length) {
          await fs.promises.writeFile(sibling, packed);
          total[coding] += packed.length;
          written = true;
        } else {
          await fs.promises.rm(sibling, { force: true });
        }
      }
      if (written) {
        total.files++;
        total.bytes += body.length;
      }
    }),
  );
  return total;
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;

/** The Vite plugin: precompresses the output folder once the build has written it. */
export function precompress(): Plugin {
  let outDir = '';
  let log: (message: string) => void = () => {};
  return {
    name: 'tribune-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      log = (message) => config.logger.info(message);
    },
    async closeBundle(error?: Error) {
      if (error || !fs.existsSync(outDir)) return;
      const t = await precompressDir(outDir);
      log(`precompressed ${t.files} files (${kb(t.bytes)}): brotli ${kb(t.br)}, gzip ${kb(t.gzip)}`);
    },
  };
}
