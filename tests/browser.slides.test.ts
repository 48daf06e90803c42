/**
 * Slides in real Chromium: a deck uploaded from the tablet's file picker; the tablet moves to the
 * next page and the phone's image and the projector change; the speaker view's keys move it too.
 * Screenshots go to artifacts/ (git-ignored).
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { makePdf } from './helpers/pdf.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { createTestEvent } from './helpers/server.ts';

describe.skipIf(!chromiumAvailable || !popplerAvailable)('slides in Chromium', () => {
  const b = useBrowserServer('slides');
  const { page, local } = b;
  const shownPage = (p: Page, testId: string) => p.getByTestId(testId).getAttribute('data-page');

  it('the tablet uploads a deck and moves to the next page; the phone and the projector follow', async () => {
    const ev = await createTestEvent(b.url);
    const phone = await page(360, 740, true);
    const tablet = await page(1024, 768, true);
    const projector = await page(1920, 1080, false);
    const deckRequests: string[] = [];
    phone.on('request', (r) => {
      if (r.url().includes('/decks/')) deckRequests.push(new URL(r.url()).pathname.split('/').pop() + new URL(r.url()).search);
    });

    await phone.goto(`${b.url}/e/${ev.event.code}`);
    await phone.getByTestId('join-table').selectOption('t1');
    await phone.getByTestId('join-language').selectOption('fr');
    await phone.getByTestId('join-go').click();
    await tablet.goto(local(ev.links.moderator));
    await projector.goto(local(ev.links.projector));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();

    // Upload through the tablet's file picker (XMLHttpRequest with progress), for the first speaker.
    await tablet.getByTestId('decks-summary').waitFor(); // open while no item has a deck
    await tablet.getByTestId('deck-file-aix').setInputFiles({ name: 'aix.pdf', mimeType: 'application/pdf', buffer: makePdf(10) });
    await expect.poll(() => tablet.getByTestId('deck-status-aix').innerText(), { timeout: 20_000 }).toMatch(/10 pages ready/);
    await expect.poll(() => tablet.getByTestId('deck-pages-aix').innerText()).toBe('10 pages');
    // A file that is not a deck is refused in words, before or after sending.
    await tablet.getByTestId('deck-file-granada').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect.poll(() => tablet.getByTestId('deck-status-granada').innerText()).toMatch(/PDF/);

    await tablet.getByTestId('next-button').click();
    await tablet.getByTestId('projector-slide').click();
    await expect.poll(() => shownPage(phone, 'slide-image')).toBe('1');
    await expect.poll(() => shownPage(projector, 'slide-image')).toBe('1');
    await projector.getByTestId('slide-overlay').waitFor();

    await tablet.getByTestId('slide-next').click();
    await expect.poll(() => shownPage(phone, 'slide-image')).toBe('2');
    await expect.poll(() => shownPage(projector, 'slide-image')).toBe('2');
    expect(await phone.getByTestId('slide-image').locator('img').getAttribute('src')).toMatch(/\/2\?size=phone$/);
    expect(await projector.getByTestId('slide-image').locator('img').getAttribute('src')).toMatch(/\/2\?size=screen$/);
    await expect.poll(() => tablet.getByTestId('slide-page').innerText()).toBe('slide 2 / 10');

    // A thumbnail jumps; the overlay can be hidden from the tablet.
    await tablet.getByTestId('thumb-4').click();
    await expect.poll(() => shownPage(phone, 'slide-image')).toBe('4');
    await expect.poll(() => shownPage(projector, 'slide-image')).toBe('4');
    await tablet.getByTestId('overlay-toggle').click();
    await expect.poll(() => projector.getByTestId('slide-overlay').count()).toBe(0);
    await tablet.getByTestId('overlay-toggle').click();
    await projector.getByTestId('slide-overlay').waitFor();

    await phone.screenshot({ path: path.join(ARTIFACTS, 'slides-phone.png') });
    await tablet.screenshot({ path: path.join(ARTIFACTS, 'slides-tablet.png') });
    await projector.screenshot({ path: path.join(ARTIFACTS, 'slides-projector-1080p.png') });

    // Tap to enlarge on the phone.
    await phone.getByTestId('slide-image').locator('button').click();
    await phone.getByTestId('slide-zoom').waitFor();
    await phone.screenshot({ path: path.join(ARTIFACTS, 'slides-phone-enlarged.png') });
    await phone.getByTestId('slide-zoom-close').click();

    // The speaker view: a clicker's keys move the slides for everyone.
    const podium = await page(1280, 800, false);
    await podium.goto(local(ev.links.moderator).replace(`/m/${ev.event.id}`, `/s/${ev.event.id}`));
    await expect.poll(() => shownPage(podium, 'speaker-current')).toBe('4');
    await expect.poll(() => shownPage(podium, 'speaker-next')).toBe('5');
    await podium.keyboard.press('PageDown');
    await expect.poll(() => shownPage(phone, 'slide-image')).toBe('5');
    await podium.keyboard.press('ArrowLeft');
    await podium.keyboard.press('ArrowLeft');
    await expect.poll(() => shownPage(projector, 'slide-image')).toBe('3');
    await expect.poll(() => shownPage(podium, 'speaker-current')).toBe('3');
    await podium.keyboard.press(' ');
    await expect.poll(() => shownPage(phone, 'slide-image')).toBe('4');
    await expect.poll(() => podium.getByTestId('speaker-page').innerText()).toBe('4 / 10');
    await podium.screenshot({ path: path.join(ARTIFACTS, 'slides-speaker-view.png') });

    // Over time: the speaker view says so in words, not only in red. (timer:extend stops at one
    // minute, so the podium's clock is moved past the 10-minute slot instead.)
    await podium.clock.setFixedTime(Date.now() + 11 * 60_000);
    await expect.poll(() => podium.getByTestId('speaker-overtime').innerText()).toMatch(/Over time by/);
    await podium.screenshot({ path: path.join(ARTIFACTS, 'slides-speaker-overtime.png') });

    // The phone fetched phone-size pages only: those shown and the one after each — never the whole deck.
    const fetched = new Set(deckRequests);
    expect([...fetched].every((r) => r.endsWith('?size=phone'))).toBe(true);
    const pages = [...fetched].map((r) => Number.parseInt(r, 10));
    expect(Math.max(...pages)).toBe(6); // shown up to 5, so 6 was fetched ahead; 7–10 never
    expect(fetched.size).toBeLessThanOrEqual(6);
  });
});
