/**
 * `npm run bench:size`: what a phone downloads to follow an event. Opens the attendee page in
 * real Chromium (first visit and a returning phone in Spanish and in English, in an English
 * browser; and a Spanish phone in a Spanish browser), records every script and stylesheet it
 * fetched, and prints their sizes raw, gzipped (level 9) and in brotli (quality 11): the build's
 * settings, what the server sends (scripts/precompress.ts), and the gzipped JS against the
 * attendee budget (issue 13: 90 KB). First, the entry script alone. Needs a built client
 * (`npm run build`). `-- --files`: each file fetched too, largest first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { EventSetup } from '../shared/schemas.ts';
import { createApp } from '../server/app.ts';
import { hashSecret } from '../server/auth/secrets.ts';
import { openBackend } from '../server/backend.ts';
import { demoSetup } from '../server/events/demo.ts';
import { createEvent } from '../server/events/service.ts';
import { createLogger } from '../server/log.ts';
import { compressForBuild } from '../server/http/encoding.ts';

const { values: args } = parseArgs({ options: { files: { type: 'boolean', default: false } } });
const clientDir = path.resolve('dist/client');
if (!fs.existsSync(path.join(clientDir, 'index.html'))) {
  console.error('Build the client first: npm run build');
  process.exit(1);
}
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-size-'));
const backend = await openBackend({ kind: 'memory', dataDir });
const app = createApp({
  store: backend.store,
  domains: backend.domains,
  logger: createLogger('silent'),
  adminTokenHash: hashSecret('unused-admin-token-0000'),
  publicUrl: 'http://127.0.0.1',
  clientDir,
});
await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
const port = (app.server.address() as { port: number }).port;
const url = `http://127.0.0.1:${port}`;
const demo = await createEvent(backend.store, EventSetup.parse(demoSetup), url);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** The attendee page's gzipped JS budget (issue 13), printed as over or under; not an assertion. */
const BUDGET_GZIP_KB = 90;

async function measure(label: string, lang: string | null, locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale });
  if (lang) {
    await context.addInitScript(
      ([code, l]) => localStorage.setItem(`tribune.join.${code}`, JSON.stringify({ table: 'granada', lang: l })),
      [demo.event.code, lang],
    );
  }
  const page = await context.newPage();
  const files = new Set<string>();
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (/\.(js|css)$/.test(u.pathname)) files.add(u.pathname);
  });
  await page.goto(`${url}/e/${demo.event.code}`, { waitUntil: 'networkidle' });
  const js = { raw: 0, gzip: 0, br: 0 };
  const css = { raw: 0, gzip: 0, br: 0 };
  for (const f of files) {
    const s = await sizes(f);
    const into = f.endsWith('.js') ? js : css;
    into.raw += s.raw;
    into.gzip += s.gzip;
    into.br += s.br;
  }
  const n = [...files].filter((f) => f.endsWith('.js')).length;
  const budget = js.gzip / 1024 <= BUDGET_GZIP_KB ? 'within' : 'OVER';
  console.log(`${label.padEnd(40)} JS in ${n} files ${line(js)} (${budget} the ${BUDGET_GZIP_KB} KB gzip budget); CSS ${line(css)}`);
  if (args.files) {
    const each = await Promise.all([...files].map(async (f) => [f, await sizes(f)] as const));
    for (const [f, s] of each.sort((a, b) => b[1].gzip - a[1].gzip)) console.log(`    ${f.padEnd(44)} ${line(s)}`);
  }
  await context.close();
}

interface Sizes {
  raw: number;
  gzip: number;
  br: number;
}
const known = new Map<string, Promise<Sizes>>();
/** A file's size raw, gzip 9 and brotli 11 (once per file: brotli 11 takes a while). */
function sizes(file: string): Promise<Sizes> {
  let s = known.get(file);
  if (!s) {
    const body = fs.readFileSync(path.join(clientDir, file));
    s = Promise.all([compressForBuild(body, 'gzip'), compressForBuild(body, 'br')]).then(([gz, br]) => ({ raw: body.length, gzip: gz.length, br: br.length }));
    known.set(file, s);
  }
  return s;
}
const line = (s: Sizes) => `${(s.raw / 1024).toFixed(1)} KB, gzip ${(s.gzip / 1024).toFixed(1)} KB, brotli ${(s.br / 1024).toFixed(1)} KB`;

const entry = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(fs.readFileSync(path.join(clientDir, 'index.html'), 'utf8'))?.[1];
if (entry) console.log(`${'Attendee entry script'.padEnd(40)} ${entry}: ${line(await sizes(entry))}`);
console.log('Attendee page (phone 360×740), scripts and stylesheets actually fetched:');
await measure('first visit (join step)', null);
await measure('returning phone, English', 'en');
await measure('returning phone, Spanish', 'es');
await measure('returning phone, Spanish, es-ES browser', 'es', 'es-ES');
await browser.close();
await app.close();
await backend.close();
fs.rmSync(dataDir, { recursive: true, force: true });
