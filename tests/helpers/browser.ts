/** Real headless Chromium (Debian's package) through playwright-core; no browser download. */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM);

if (!chromiumAvailable) {
  const message = `Chromium not found at ${CHROMIUM}: browser tests ${process.env.CI ? 'cannot run' : 'are skipped'} (apt-get install chromium)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const ARTIFACTS = new URL('../../artifacts/', import.meta.url).pathname;
fs.mkdirSync(ARTIFACTS, { recursive: true });
