/**
 * Captions in real Chromium: an interpreter types on the console, phones show the caption (interim,
 * then fixed); a Hebrew phone lays out right to left in Hebrew; keys typed right after Enter on a
 * slow network are kept and nothing is sent twice; a phone offline while the stage moved shows every
 * line it missed once back; a Spanish phone nobody captions for is told so and offered the floor
 * language. Screenshots go to artifacts/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { connect, createTestEvent, type Client } from './helpers/server.ts';

describe.skipIf(!chromiumAvailable)('captions in Chromium', () => {
  const b = useBrowserServer('captions');
  const { local } = b;
  const sockets: Client[] = [];
  afterAll(() => sockets.forEach((s) => s.close())); // registered last, so run first (vitest: stack order)

  const page = (width: number, height: number, phone: boolean, locale = 'en-US'): Promise<Page> =>
    b.page(width, height, phone, { isMobile: phone, locale });

  async function joinPhone(code: string, lang: string, locale: string): Promise<Page> {
    const p = await page(360, 740, true, locale);
    await p.goto(`${b.url}/e/${code}`);
    await p.getByTestId('join-language').selectOption(lang);
    await p.getByTestId('join-go').click();
    await p.getByTestId('conn').and(p.locator('[data-state="connected"]')).waitFor();
    return p;
  }

  it('an interpreter types, phones show the caption in their language; Hebrew lays out right to left', async () => {
    const ev = await createTestEvent(b.url); // fr (floor), es, he
    const moderator = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    sockets.push(moderator);
    expect(await moderator.send('agenda:next')).toEqual({ ok: true });
    expect(
      await moderator.send('glossary:set', { entries: [{ term: 'Aix-en-Provence', note: 'אקס-אן-פרובאנס' }, { term: 'Ashkelon', note: 'אשקלון' }] }),
    ).toEqual({ ok: true });

    const interpreterFr = await page(1280, 800, false);
    await interpreterFr.goto(local(ev.links.interpreters.fr!));
    await interpreterFr.getByTestId('int-lang').waitFor();
    const phoneFr = await joinPhone(ev.event.code, 'fr', 'fr-FR');
    const phoneHe = await joinPhone(ev.event.code, 'he', 'he-IL');

    // The console counts the French phone.
    await expect.poll(() => interpreterFr.getByTestId('phones-following').innerText(), { timeout: 5000 }).toBe('1');
    await expect.poll(() => interpreterFr.getByTestId('glossary').innerText()).toContain('Ashkelon');

    // Typing sends interim text; the phone shows it as provisional, then Enter fixes it.
    const input = interpreterFr.getByTestId('caption-input');
    await input.click();
    await input.pressSequentially('Bonsoir à tous, bienvenue à Aix', { delay: 15 });
    await expect.poll(() => phoneFr.locator('[data-testid="caption"][data-final="false"]').count()).toBe(1);
    await expect.poll(() => phoneFr.locator('[data-testid="caption"]').last().innerText()).toContain('Bonsoir à tous, bienvenue à Aix');
    await input.press('Enter');
    await expect.poll(() => phoneFr.locator('[data-testid="caption"][data-final="true"]').first().innerText()).toContain(
      'Bonsoir à tous, bienvenue à Aix',
    );
    expect(await phoneFr.locator('[data-testid="caption"]').count()).toBe(1);
    expect(await input.inputValue()).toBe('');
    await expect.poll(() => interpreterFr.getByTestId('fixed-segment').count()).toBe(1);

    // The French phone speaks French; the Hebrew phone received no French caption.
    expect(await phoneFr.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await phoneFr.getByTestId('back-to-live').count()).toBe(0);

    // Follows live at the bottom; scrolled back, it stays put and offers "back to live".
    const scripted = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.interpreters.fr });
    sockets.push(scripted);
    for (let n = 1; n <= 12; n++) expect((await scripted.send('caption:push', { id: `bulk-${n}`, text: `Phrase numéro ${n} du discours`, final: true })).ok).toBe(true);
    const box = phoneFr.getByTestId('caption-box');
    const atBottom = () => box.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 24);
    await expect.poll(() => phoneFr.locator('[data-testid="caption"]').count()).toBe(13);
    await expect.poll(atBottom).toBe(true);
    await box.evaluate((el) => el.scrollTo({ top: 0 }));
    await phoneFr.getByTestId('back-to-live').waitFor();
    await scripted.send('caption:push', { id: 'bulk-13', text: 'Encore une phrase', final: true });
    await expect.poll(() => phoneFr.locator('[data-testid="caption"]').count()).toBe(14);
    expect(await box.evaluate((el) => el.scrollTop)).toBe(0);
    await phoneFr.getByTestId('back-to-live').click();
    await expect.poll(atBottom).toBe(true);
    expect(await phoneFr.getByTestId('back-to-live').count()).toBe(0);
    expect(await phoneHe.locator('[data-testid="caption"]').count()).toBe(0);

    // A Hebrew interpreter: the Hebrew phone shows it right to left, its interface in Hebrew.
    const interpreterHe = await page(1280, 800, false, 'he-IL');
    await interpreterHe.goto(local(ev.links.interpreters.he!));
    await interpreterHe.getByTestId('int-lang').waitFor();
    const inputHe = interpreterHe.getByTestId('caption-input');
    await inputHe.fill('ערב טוב לכולם, ברוכים הבאים לאקס-אן-פרובאנס (Aix) 2026');
    await inputHe.press('Enter');
    const heCaption = phoneHe.locator('[data-testid="caption"][data-final="true"]');
    await expect.poll(() => heCaption.count()).toBe(1);
    expect(await heCaption.innerText()).toContain('ערב טוב לכולם');
    expect(await heCaption.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await phoneHe.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    await expect.poll(() => phoneHe.getByRole('heading', { name: /כתוביות/ }).count()).toBe(1);
    // Right to left: the language button sits at the left edge, the title at the right.
    const menu = await phoneHe.getByTestId('menu-button').boundingBox();
    expect(menu!.x).toBeLessThan(120);

    // Text size is kept on the device.
    await phoneHe.getByTestId('caption-larger').click();
    await phoneHe.getByTestId('caption-larger').click();
    const big = await heCaption.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await phoneHe.reload();
    await expect.poll(() => phoneHe.locator('[data-testid="caption"]').count()).toBe(1);
    expect(await phoneHe.locator('[data-testid="caption"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBe(big);

    await phoneHe.screenshot({ path: path.join(ARTIFACTS, 'captions-phone-he.png') });
    await phoneFr.screenshot({ path: path.join(ARTIFACTS, 'captions-phone-fr.png') });
    await interpreterFr.screenshot({ path: path.join(ARTIFACTS, 'captions-interpreter.png') });
  });

  it('Enter takes the segment at once: keys typed right after it stay in the box, the phone gets the sentence once', async () => {
    const ev = await createTestEvent(b.url);
    const interpreter = await page(1280, 800, false);
    // A slow network: every frame the console sends leaves 300 ms late, so the server's answer to
    // a fixed segment arrives long after the next keys were typed.
    await interpreter.addInitScript(() => {
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data) {
        setTimeout(() => send.call(this, data), 300);
      };
    });
    await interpreter.goto(local(ev.links.interpreters.fr!));
    await interpreter.getByTestId('int-lang').waitFor();
    const phone = await joinPhone(ev.event.code, 'fr', 'fr-FR');
    await expect.poll(() => interpreter.getByTestId('phones-following').innerText(), { timeout: 5000 }).toBe('1');

    const input = interpreter.getByTestId('caption-input');
    await input.click();
    await interpreter.keyboard.type('Première phrase.');
    await interpreter.keyboard.press('Enter');
    await interpreter.keyboard.type('Deuxième'); // no pause: the first segment is still on its way
    expect(await input.inputValue()).toBe('Deuxième');

    const finals = phone.locator('[data-testid="caption"][data-final="true"]');
    await expect.poll(() => finals.count()).toBe(1);
    expect(await finals.first().innerText()).toContain('Première phrase.');
    await interpreter.waitForTimeout(700); // every answer is in: the new text is still there, alone
    expect(await input.inputValue()).toBe('Deuxième');
    expect(await interpreter.getByTestId('caption-held').count()).toBe(0);

    // Enter again sends only the new sentence; the first one is on the phone once.
    await interpreter.keyboard.type(' phrase.');
    await interpreter.keyboard.press('Enter');
    expect(await input.inputValue()).toBe('');
    await expect.poll(() => finals.count()).toBe(2);
    await interpreter.waitForTimeout(700);
    const texts = await phone.locator('[data-testid="caption"]').allInnerTexts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Première phrase.');
    expect(texts[1]).toContain('Deuxième phrase.');
    expect(texts[1]).not.toContain('Première');
    await expect.poll(() => interpreter.getByTestId('fixed-segment').count()).toBe(2);
  });

  it('a phone that lost the Wi-Fi while the stage moved shows, once back, every line it missed once, under each speaker', async () => {
    const ev = await createTestEvent(b.url);
    const moderator = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const interpreter = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.interpreters.fr });
    sockets.push(moderator, interpreter);
    const push = async (id: string, text: string) => expect((await interpreter.send('caption:push', { id, text, final: true })).ok).toBe(true);
    expect(await moderator.send('agenda:next')).toEqual({ ok: true });
    const phone = await joinPhone(ev.event.code, 'fr', 'fr-FR');
    await push('a1', 'Bonsoir à tous');
    await push('a2', 'Le centre historique');
    const shown = () => phone.locator('[data-testid="caption"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), e.textContent]));
    await expect.poll(shown).toEqual([
      ['a1', 'Bonsoir à tous'],
      ['a2', 'Le centre historique'],
    ]);

    await phone.context().setOffline(true);
    // Offline for the phone and for the server: nothing below can reach it live.
    await phone.getByTestId('conn').and(phone.locator(':not([data-state="connected"])')).waitFor();
    await expect.poll(() => moderator.latest().audience.connected).toBe(0);
    await push('a2', 'Le centre historique, corrigé');
    await push('a3', 'Ses usages');
    expect(await moderator.send('agenda:next')).toEqual({ ok: true });
    await push('g1', 'Grenade');
    await push('g2', "L'Alhambra");

    await phone.context().setOffline(false);
    await expect.poll(shown, { timeout: 15_000 }).toEqual([
      ['a1', 'Bonsoir à tous'],
      ['a2', 'Le centre historique, corrigé'],
      ['a3', 'Ses usages'],
      ['g1', 'Grenade'],
      ['g2', "L'Alhambra"],
    ]);
    const sectionsShown = await phone.locator('.cap-section').evaluateAll((els) =>
      els.map((e) => [e.querySelector('.cap-who')?.textContent, e.querySelectorAll('[data-testid="caption"]').length]),
    );
    expect(sectionsShown).toEqual([
      ['Aix speaker', 3],
      ['Granada speaker', 2],
    ]);
    // Live again: the next line arrives once, after them.
    await push('g3', 'Merci');
    await expect.poll(async () => (await shown()).map(([id]) => id)).toEqual(['a1', 'a2', 'a3', 'g1', 'g2', 'g3']);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'captions-phone-resumed.png') });
  });

  it('a phone nobody captions for is told so, and can follow the floor language meanwhile', async () => {
    const ev = await createTestEvent(b.url);
    const interpreterFr = await page(1280, 800, false);
    await interpreterFr.goto(local(ev.links.interpreters.fr!));
    await interpreterFr.getByTestId('int-lang').waitFor();
    const phoneEs = await joinPhone(ev.event.code, 'es', 'es-ES');
    await phoneEs.getByTestId('captions-nobody').waitFor({ timeout: 5000 });
    expect(await phoneEs.getByTestId('captions-nobody').innerText()).toMatch(/Nadie está subtitulando/);
    await phoneEs.getByTestId('captions-fallback').click();
    await expect.poll(() => phoneEs.getByTestId('captions').getAttribute('data-lang')).toBe('fr');

    const input = interpreterFr.getByTestId('caption-input');
    await input.fill('Mesdames et messieurs');
    await input.press('Enter');
    await expect.poll(() => phoneEs.locator('[data-testid="caption"][data-final="true"]').count()).toBe(1);

    // The projector's captions mode shows it, large.
    const moderator = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    sockets.push(moderator);
    expect(await moderator.send('projector:show', { mode: 'captions' })).toEqual({ ok: true });
    const projector = await page(1920, 1080, false);
    await projector.goto(local(ev.links.projector));
    await projector.getByTestId('projector-captions').waitFor();
    await expect.poll(() => projector.getByTestId('projector-caption').first().innerText()).toBe('Mesdames et messieurs');
    const size = await projector.getByTestId('projector-caption').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThan(1080 * 0.04);
    await projector.screenshot({ path: path.join(ARTIFACTS, 'captions-projector.png') });
    await phoneEs.screenshot({ path: path.join(ARTIFACTS, 'captions-phone-es-fallback.png') });
  });
});
