/**
 * The three views in real Chromium: a phone, a tablet and a projector on one event.
 * Screenshots go to artifacts/ (git-ignored).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../server/store/memory.ts';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { ADMIN_TOKEN, createTestEvent } from './helpers/server.ts';
import { storeOnly } from './helpers/suite.ts';

describe.skipIf(!chromiumAvailable)('views in Chromium', () => {
  const b = useBrowserServer('views', async (dataDir) => storeOnly(createMemoryStore({ dataDir })));
  const { page } = b;

  it('Next on the tablet puts the new speaker on the phone and the projector', async () => {
    const ev = await createTestEvent(b.url);
    const phone = await page(360, 740, true);
    const tablet = await page(1024, 768, true);
    const projector = await page(1920, 1080, false);

    await phone.goto(`${b.url}/e/${ev.event.code}`);
    // First visit: table and language in one step.
    await phone.getByTestId('join-table').selectOption('t1');
    await phone.getByTestId('join-language').selectOption('es');
    await phone.getByTestId('join-go').click();
    await phone.getByTestId('conn').and(phone.locator('[data-state="connected"]')).waitFor();

    await tablet.goto(b.local(ev.links.moderator));
    await projector.goto(b.local(ev.links.projector));
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

  it('a refused command says why on the tablet, in the tablet\'s language', async () => {
    const ev = await createTestEvent(b.url);
    const tablet = await page(1024, 768, true, { locale: 'fr-FR' });
    await tablet.goto(b.local(ev.links.moderator));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();
    for (let i = 0; i < 3; i++) {
      await tablet.getByTestId('next-button').click();
      await expect.poll(() => tablet.getByTestId(`agenda-item-${['aix', 'granada', 'coimbra'][i]}`).getAttribute('data-status')).toBe('live');
    }
    await tablet.getByTestId('next-button').click();
    // The server's reason (noNextItem), in French: not its English message.
    await expect.poll(() => tablet.getByTestId('command-status').innerText()).toMatch(/plus aucun intervenant prévu/);
  });

  it('a Hebrew phone lays out right-to-left', async () => {
    const ev = await createTestEvent(b.url);
    // The interface speaks the reader's language (the browser's), whichever captions they read.
    const phone = await page(360, 740, true, { locale: 'he-IL' });
    await phone.goto(`${b.url}/e/${ev.event.code}`);
    await phone.getByTestId('join-table').selectOption('t2');
    await phone.getByTestId('join-language').selectOption('he');
    await phone.getByTestId('join-go').click();
    await phone.getByTestId('conn').and(phone.locator('[data-state="connected"]')).waitFor();
    // The Hebrew dictionary loads on its own: wait for the page to turn, do not read it once.
    await phone.locator('html[dir="rtl"]').waitFor({ state: 'attached' });
    expect(await phone.locator('html').getAttribute('dir')).toBe('rtl');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'attendee-phone-he.png') });
  });

  it('the admin page creates an event, lists it, and gives new links that retire the old ones', async () => {
    const admin = await page(1280, 900, false);
    await admin.goto(`${b.url}/admin#k=${ADMIN_TOKEN}`);
    await admin.getByTestId('setup-title').fill('Soirée des villes jumelles');
    await admin.getByTestId('setup-languages').fill('fr, es');
    const item = admin.getByTestId('setup-item-0');
    await item.getByLabel('Speaker').fill('Déléguée d’Aix');
    await item.getByLabel('Delegation').fill('Aix-en-Provence');
    await item.getByLabel('Planned minutes').fill('8');
    await admin.getByTestId('setup-submit').click();
    const code = await admin.getByTestId('created-code').innerText();
    const oldModerator = await admin.getByTestId('link-moderator').innerText();
    await admin.screenshot({ path: path.join(ARTIFACTS, 'admin-created.png'), fullPage: true });

    const tablet = await page(1024, 768, true);
    await tablet.goto(b.local(oldModerator));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();

    await admin.getByRole('button', { name: 'Create another event' }).click();
    const row = admin.getByTestId(`event-${code}`);
    await expect.poll(() => row.innerText()).toMatch(/Soirée des villes jumelles/);
    await row.getByTestId(`renew-${code}`).click();
    await expect.poll(() => row.innerText()).toMatch(/stop working at once/);
    await admin.screenshot({ path: path.join(ARTIFACTS, 'admin-events.png'), fullPage: true });
    await row.getByTestId(`renew-yes-${code}`).click();
    const newModerator = await admin.getByTestId('link-moderator').innerText();
    expect(newModerator).not.toBe(oldModerator);
    expect(await admin.getByTestId('created-code').innerText()).toBe(code);

    // The tablet on the old link is closed and told its key no longer works; the new link works.
    await tablet.getByTestId('key-problem').waitFor();
    expect(await tablet.getByTestId('key-problem').getAttribute('data-code')).toBe('AUTH_FAILED');
    const fresh = await page(1024, 768, true);
    await fresh.goto(b.local(newModerator));
    await fresh.getByTestId('conn').and(fresh.locator('[data-state="connected"]')).waitFor();
  });
});
