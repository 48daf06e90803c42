/**
 * The debate floor in real Chromium, in French and in Hebrew: the moderator opens the floor on the
 * tablet, two phones ask (one with a name, at 200% text), a third table's point of order jumps the
 * queue, the moderator gives the floor with one tap (the phone is told, and vibrates), the projector
 * shows the floor mode, the turn ends, and the report counts it. Each state is checked with axe-core
 * (serious or critical violations fail) and kept as a screenshot in artifacts/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './helpers/axe.ts';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { connect, createTestEvent, type Client } from './helpers/server.ts';
import { words } from './helpers/words.ts';

const { fr, he } = words;

const LOCALES = { fr: 'fr-FR', he: 'he-IL' } as const;
const WORDS = { fr, he } as const;

/** axe-core's serious and critical violations on the page as it is now (tests/helpers/axe.ts), one line each. */
async function audit(page: Page): Promise<string[]> {
  return (await seriousViolations(page)).map((v) => `${v.id} (${v.impact}) ${v.help} — ${v.targets.slice(0, 3).join(' | ')}`);
}

describe.skipIf(!chromiumAvailable)('the debate floor in the browser (fr, he)', () => {
  const b = useBrowserServer('floor');
  const sockets: Client[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  for (const lang of ['fr', 'he'] as const) {
    it(`${lang}: three tables ask, a point of order jumps the queue, the floor is given twice, projector and report follow`, async () => {
      const w = WORDS[lang];
      const findings: string[] = [];
      const check = async (page: Page, view: string) => {
        for (const f of await audit(page)) findings.push(`${view}: ${f}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `floor-${lang}-${view}.png`) });
      };
      const open = (width: number, height: number, touch: boolean) => b.page(width, height, touch, { locale: LOCALES[lang] });
      const connected = (page: Page) => page.getByTestId('conn').and(page.locator('[data-state="connected"]')).first().waitFor();
      const inLanguage = (page: Page) => page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });

      const ev = await createTestEvent(b.url);

      // The tablet opens the floor.
      const tablet = await open(1024, 768, true);
      await tablet.goto(b.local(ev.links.moderator));
      await connected(tablet);
      await inLanguage(tablet);
      const panel = tablet.getByTestId('floor-panel');
      await panel.getByText(w['floor.nobody']).waitFor();
      await tablet.getByTestId('floor-open').click();
      await tablet.locator('[data-testid="floor-open"][aria-pressed="true"]').waitFor();

      // Phone A (table t1, 200% text, vibration recorded) asks to speak, with a name.
      const phoneA = await open(390, 844, true);
      await phoneA.addInitScript(() => {
        const calls: unknown[] = [];
        (window as unknown as { vibrations: unknown[] }).vibrations = calls;
        Object.defineProperty(navigator, 'vibrate', { configurable: true, value: (p: unknown) => (calls.push(p), true) });
        document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%'));
      });
      await phoneA.goto(`${b.url}/e/${ev.event.code}`);
      await phoneA.getByTestId('join-table').selectOption('t1');
      await phoneA.getByTestId('join-go').click();
      await connected(phoneA);
      await inLanguage(phoneA);
      await phoneA.getByTestId('floor-card').waitFor();
      expect(await phoneA.evaluate(() => document.documentElement.dir)).toBe(lang === 'he' ? 'rtl' : 'ltr');
      await check(phoneA, 'phone-ask');
      await phoneA.getByTestId('floor-name').fill(lang === 'he' ? 'דנה' : 'Amélie');
      await phoneA.getByTestId('floor-ask-speak').click();
      await phoneA.getByTestId('floor-place').getByText(w['floor.place'].replace('{n}', '1')).waitFor();
      // At 200% text the card fits the phone's width (no sideways scrolling).
      expect(await phoneA.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await check(phoneA, 'phone-waiting');

      // Phone B (table t2) replies; a third table (a scripted phone without a table) raises a point of order.
      const phoneB = await open(390, 844, true);
      await phoneB.goto(`${b.url}/e/${ev.event.code}`);
      await phoneB.getByTestId('join-table').selectOption('t2');
      await phoneB.getByTestId('join-go').click();
      await connected(phoneB);
      await phoneB.getByTestId('floor-ask-reply').click();
      await phoneB.getByTestId('floor-place').waitFor();
      const third = await connect(b.url, { code: ev.event.code });
      sockets.push(third);
      const order = await third.send('floor:request', { kind: 'order', name: 'Chen' });
      expect(order.ok).toBe(true);
      const orderId = (order as { data: { id: string } }).data.id;

      // The tablet's queue: the point of order first, then the reply, then the request to speak.
      const rows = panel.locator('.fp-row');
      await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['order', 'reply', 'speak']);
      await expect.poll(() => phoneA.getByTestId('floor-place').textContent()).toBe(w['floor.place'].replace('{n}', '3'));
      await check(tablet, 'tablet-queue');

      // The projector in floor mode.
      const projector = await open(1920, 1080, false);
      await projector.goto(b.local(ev.links.projector));
      await inLanguage(projector);
      await tablet.getByTestId('projector-floor').click();
      await projector.getByTestId('projector-floor').waitFor();

      // Give the floor to the point of order, then (one tap) to phone A: the first turn ends.
      await tablet.getByTestId(`floor-give-${orderId}`).click();
      await projector.getByTestId('projector-floor-speaker').getByText('Chen').waitFor();
      await tablet.locator('.fp-row[data-kind="speak"]').getByRole('button', { name: w['floor.give'] }).click();
      await phoneA.getByTestId('floor-turn').getByText(w['floor.yourTurn']).waitFor();
      expect(await phoneA.evaluate(() => (window as unknown as { vibrations: unknown[] }).vibrations.length)).toBe(1);
      await check(phoneA, 'phone-turn');
      await projector.getByTestId('projector-floor-speaker').getByText('Grenade').waitFor();
      await expect.poll(() => phoneB.getByTestId('floor-place').textContent()).toBe(w['floor.place'].replace('{n}', '1'));
      await check(projector, 'projector');
      await check(tablet, 'tablet-turn');

      // End the turn: the report counts two turns (no table, then Grenade).
      await tablet.getByTestId('floor-done').click();
      await panel.getByText(w['floor.nobody']).waitFor();
      const laptop = await open(1280, 800, false);
      await laptop.goto(b.local(ev.links.report));
      await inLanguage(laptop);
      await laptop.getByTestId('report-floor-table').waitFor();
      expect(await laptop.getByTestId('report-floor-t1').locator('td').first().textContent()).toBe('1');
      expect(await laptop.getByTestId('report-floor-none').locator('td').first().textContent()).toBe('1');
      await laptop.getByTestId('report-floor-table').scrollIntoViewIfNeeded();
      await check(laptop, 'report');

      expect(findings).toEqual([]);
    }, 180_000);
  }
});
