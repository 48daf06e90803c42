/** Real headless Chromium (Debian's package) through playwright-core; no browser download. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { openBackend, type Backend } from '../../server/backend.ts';
import { startBackendServer, type TestServer } from './server.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);

if (!chromiumAvailable) {
  const message = `Chromium not found at ${CHROMIUM}: browser tests ${process.env.CI ? 'cannot run' : 'are skipped'} (apt-get install chromium)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

/**
 * Chromium with the project's flags, and `extraArgs` (a fake microphone, autoplay); `executable`:
 * a wrapper that starts it elsewhere (another network namespace, audio.netns.test.ts).
 */
export function launchChromium(extraArgs: string[] = [], executable = CHROMIUM): Promise<Browser> {
  return chromium.launch({
    executablePath: executable,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export const ARTIFACTS = new URL('../../artifacts/', import.meta.url).pathname;
fs.mkdirSync(ARTIFACTS, { recursive: true });

const CLIENT_DIR = new URL('../../dist/client/', import.meta.url).pathname;

/** One server serving the built client (dist/client) and one Chromium, shared by a browser suite. */
export interface BrowserSuite {
  /** The server's base URL. */
  readonly url: string;
  /**
   * A new browser context (closed at the end) of a device `width`×`height`: touch ones count as
   * mobile below 800 px wide; `options` override any of it.
   */
  context(width: number, height: number, touch: boolean, options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new `context(…)`. */
  page(width: number, height: number, touch: boolean, options?: BrowserContextOptions): Promise<Page>;
  /** A link made for PUBLIC_URL (`http://tribune.test`), pointed at this server. */
  local(link: string): string;
}

/**
 * Registers the hooks of the calling `describe`: before its tests a server on a fresh data folder
 * (`open`, default every domain on the embedded store) and Chromium; after them, everything closed
 * and the folder deleted. Throws when the client has not been built (`vite build`).
 */
export function useBrowserServer(
  name: string,
  open: (dataDir: string) => Promise<Backend> = (dataDir) => openBackend({ kind: 'memory', dataDir }),
): BrowserSuite {
  let browser: Browser;
  let backend: Backend;
  let server: TestServer;
  const contexts: BrowserContext[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tribune-browser-${name}-`));

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) throw new Error('build the client first (vite build)');
    backend = await open(dataDir);
    server = await startBackendServer(backend, { clientDir: CLIENT_DIR });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await backend?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const suite: BrowserSuite = {
    get url() {
      return server.url;
    },
    async context(width, height, touch, options = {}) {
      const context = await browser.newContext({
        viewport: { width, height },
        hasTouch: touch,
        isMobile: touch && width < 800,
        deviceScaleFactor: 1,
        ...options,
      });
      contexts.push(context);
      return context;
    },
    async page(width, height, touch, options) {
      return (await suite.context(width, height, touch, options)).newPage();
    },
    local: (link) => link.replace('http://tribune.test', server.url),
  };
  return suite;
}
