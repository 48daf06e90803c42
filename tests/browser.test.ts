/**
 * The three views in real Chromium: a phone, a tablet and a projector on one event.
 * Screenshots go to artifacts/ (git-ignored).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../server/store/memory.ts';
import { ARTIFACTS, chromiumAvailable, launchChromium } from './helpers/browser.ts';
import { createTestEvent, startServer, type TestServer } from './helpers/server.ts';

const clientDir = new URL('../dist/client/', import.meta.url).pathname;

describe.skipIf(!chromiumAvailable)('views in Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-browser-'));

  beforeAll(async () => {
    if (!fs.existsSync(path.join(clientDir, 'index.html'))) throw new Error('build the client first (vite build)');
    server = await startServer(createMemoryStore({ dataDir }), { clientDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function page(width: number, height: number, touch: boolean): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width, height },
      hasTouch: touch,
      isMobile: touch && width < 800,
      deviceScaleFactor: 1,
    });
    return context.newPage();
  }

  it('Next on the tablet puts the new speaker on the phone and the projector', async () => {
    const ev = await createTestEvent(server.url);
    const phone = await page(360, 740, true);
    const tablet = await page(1024, 768, true);
    const projector = await page(1920, 1080, false);

    await phone.goto(`${server.url}/e/${ev.event.code}`);
    // First visit: table and language in one step.
    await phone.getByTestId('join-table').selectOption('t1');
    await phone.getByTestId('join-language').selectOption('es');
    await phone.getByTestId('join-go').click();
    await phone.getByTestId('conn').and(phone.locator('[data-state="connected"]')).waitFor();

    await tablet.goto(ev.links.moderator.replace('http://tribune.test', server.url));
    await projector.goto(ev.links.projector.replace('http://tribune.test', server.url));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();
    await projector.getByTestId('join-code').waitFor();
    expect(await projector.getByTestId('join-code').innerText()).toContain(ev.event.code);
    // The address to type is PUBLIC_URL's, like the QR code, not the origin the projector opened.
    await expect.poll(() => projector.locator('.proj-url').innerText()).toBe(`tribune.test/e/${ev.event.code}`);

    // The phone counts in the audience, at its table.
    await expect.poll(() => tablet.getByTestId('audience-count').innerText()).toMatch(/1/);

    await tablet.getByTestId('next-button').click();
    await expect.poll(() => phone.getByTestId('now-speaker').innerText()).toBe('Aix speaker');
    await expect.poll(() => projector.getByTestId('now-speaker').innerText()).toBe('Aix speaker');
    await expect.poll(() => tablet.getByTestId('agenda-item-aix').getAttribute('data-status')).toBe('live');

    await tablet.getByTestId('next-button').click();
    await expect.poll(() => phone.getByTestId('now-speaker').innerText()).toBe('Granada speaker');
    await expect.poll(() => projector.getByTestId('now-speaker').innerText()).toBe('Granada speaker');
    await expect.poll(() => tablet.getByTestId('agenda-item-aix').getAttribute('data-status')).toBe('done');

    // The phone remembers its table and language: a reload goes straight to the live view.
    await phone.reload();
    await expect.poll(() => phone.getByTestId('now-speaker').innerText()).toBe('Granada speaker');

    await phone.screenshot({ path: path.join(ARTIFACTS, 'attendee-phone.png') });
    await tablet.screenshot({ path: path.join(ARTIFACTS, 'moderator-tablet.png') });
    await projector.screenshot({ path: path.join(ARTIFACTS, 'projector-1080p.png') });
  });

  it('a refused command says why on the tablet', async () => {
    const ev = await createTestEvent(server.url);
    const tablet = await page(1024, 768, true);
    await tablet.goto(ev.links.moderator.replace('http://tribune.test', server.url));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();
    for (let i = 0; i < 3; i++) {
      await tablet.getByTestId('next-button').click();
      await expect.poll(() => tablet.getByTestId(`agenda-item-${['aix', 'granada', 'coimbra'][i]}`).getAttribute('data-status')).toBe('live');
    }
    await tablet.getByTestId('next-button').click();
    await expect.poll(() => tablet.getByTestId('command-status').innerText()).toMatch(/no planned item/i);
  });

  it('a Hebrew phone lays out right-to-left', async () => {
    const ev = await createTestEvent(server.url);
    const phone = await page(360, 740, true);
    await phone.goto(`${server.url}/e/${ev.event.code}`);
    await phone.getByTestId('join-table').selectOption('t2');
    await phone.getByTestId('join-language').selectOption('he');
    await phone.getByTestId('join-go').click();
    await phone.getByTestId('conn').and(phone.locator('[data-state="connected"]')).waitFor();
    expect(await phone.locator('html').getAttribute('dir')).toBe('rtl');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'attendee-phone-he.png') });
  });
});
