/**
 * Quick polls in real Chromium, in French and in Hebrew (right to left): the tablet creates a poll
 * with its form, opens it and puts it on the projector; a phone votes with one tap (and a second
 * phone, at 200% text, ticks several answers then votes); the tablet sees live bars while the
 * phones and the projector see none until the moderator reveals them. axe-core finds no serious
 * violation on any of the three screens (nor the tablet at 200% text, nor the report, which lists
 * both polls). Screenshots go to artifacts/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './helpers/axe.ts';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { connectP } from './helpers/polls.ts';
import { createTestEvent } from './helpers/server.ts';
import { words } from './helpers/words.ts';

const { fr, he } = words;

const LOCALES = { fr: 'fr-FR', he: 'he-IL' } as const;
const WORDS = { fr, he } as const;
const POLLS = {
  fr: { question: 'Faut-il piétonniser tout le centre historique ?', options: ['Oui', 'Non', 'Seulement le week-end'] },
  he: { question: 'האם להפוך את כל העיר העתיקה למדרחוב?', options: ['כן', 'לא', 'רק בסופי שבוע'] },
} as const;

describe.skipIf(!chromiumAvailable)('quick polls in Chromium (fr, he)', () => {
  const b = useBrowserServer('polls');

  for (const lang of ['fr', 'he'] as const) {
    it(`${lang}: create on the tablet, vote on phones, results hidden until revealed, on the projector`, async () => {
      const ev = await createTestEvent(b.url);
      const findings: string[] = [];
      const check = async (page: Page, view: string) => {
        for (const v of await seriousViolations(page)) findings.push(`${view}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(' | ')}`);
        await page.screenshot({ path: path.join(ARTIFACTS, `polls-${lang}-${view}.png`), fullPage: view.startsWith('tablet') });
      };
      const open = (width: number, height: number, touch: boolean) => b.page(width, height, touch, { locale: LOCALES[lang] });
      const connected = (page: Page) => page.getByTestId('conn').and(page.locator('[data-state="connected"]')).first().waitFor();
      const inLanguage = (page: Page) => page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      const { question, options } = POLLS[lang];

      const tablet = await open(1024, 768, true);
      await tablet.goto(b.local(ev.links.moderator));
      await connected(tablet);
      await inLanguage(tablet);
      const projector = await open(1920, 1080, false);
      await projector.goto(b.local(ev.links.projector));
      await inLanguage(projector);

      // The tablet: a question, three answers (the third added), one choice.
      await tablet.getByTestId('poll-question').fill(question);
      await tablet.getByTestId('poll-option-input-0').fill(options[0]);
      await tablet.getByTestId('poll-option-input-1').fill(options[1]);
      await tablet.getByTestId('poll-add-option').click();
      await tablet.getByTestId('poll-option-input-2').fill(options[2]);
      await tablet.getByTestId('poll-create').click();
      const row = tablet.locator('[data-testid^="mp-poll-"]').first();
      await row.waitFor();
      const id = (await row.getAttribute('data-testid'))!.slice('mp-poll-'.length);
      expect(await row.getAttribute('data-status')).toBe('draft');
      // The form is ready for the next poll.
      expect(await tablet.getByTestId('poll-question').inputValue()).toBe('');

      // A phone joined now sees nothing of the draft.
      const phone = await open(390, 844, true);
      await phone.goto(`${b.url}/e/${ev.event.code}`);
      await phone.getByTestId('join-table').selectOption('t1');
      await phone.getByTestId('join-go').click();
      await connected(phone);
      await inLanguage(phone);
      await phone.getByTestId('now-speaker').or(phone.getByTestId('phase')).first().waitFor();
      expect(await phone.getByTestId(`poll-${id}`).count()).toBe(0);

      await tablet.getByTestId(`poll-open-${id}`).click();
      await expect.poll(() => row.getAttribute('data-status')).toBe('open');
      await tablet.getByTestId(`poll-show-${id}`).click();
      await projector.locator('[data-mode="poll"]').waitFor();
      await projector.getByTestId('projector-poll').waitFor();
      expect(await projector.getByTestId('projector-poll').innerText()).toContain(question);

      // One tap votes; the choice stays pressed and the phone says the vote is counted.
      const card = phone.getByTestId(`poll-${id}`);
      await card.waitFor();
      await card.getByTestId('poll-option-1').click();
      await expect.poll(() => card.getByTestId('poll-option-1').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => phone.getByTestId(`poll-note-${id}`).innerText()).toContain(WORDS[lang]['poll.counted']);
      // Changed while open: one ballot still.
      await card.getByTestId('poll-option-2').click();
      await expect.poll(() => card.getByTestId('poll-option-2').getAttribute('aria-pressed')).toBe('true');
      expect(await card.getByTestId('poll-option-1').getAttribute('aria-pressed')).toBe('false');
      expect(await card.getByTestId(`poll-results-${id}`).count()).toBe(0);
      await check(phone, 'phone-voted');

      // A second phone at 200% text (the root font size doubled, as a phone's text setting does).
      const big = await open(390, 844, true);
      await big.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%')));
      await big.goto(`${b.url}/e/${ev.event.code}`);
      await big.getByTestId('join-table').selectOption('t2');
      await big.getByTestId('join-go').click();
      await connected(big);
      const bigCard = big.getByTestId(`poll-${id}`);
      await bigCard.getByTestId('poll-option-0').click();
      await expect.poll(() => bigCard.getByTestId('poll-option-0').getAttribute('aria-pressed')).toBe('true');
      // Nothing wider than the phone: no sideways scrolling at 200%.
      expect(await big.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await check(big, 'phone-200');

      // The tablet sees the live bars (one ballot each for answers 1 and 3); the room does not.
      await expect.poll(() => row.getByTestId(`poll-results-${id}`).innerText()).toMatch(/1 · 50\s?%/);
      expect(await projector.getByTestId(`poll-results-${id}`).count()).toBe(0);
      await expect.poll(() => projector.getByTestId('projector-poll-total').innerText()).toContain('2');
      await check(tablet, 'tablet-open');
      await check(projector, 'projector-hidden');

      // Revealed: the phones and the projector show the bars.
      await tablet.getByTestId(`poll-reveal-${id}`).click();
      await projector.getByTestId(`poll-results-${id}`).waitFor();
      expect(await projector.getByTestId('projector-poll').getAttribute('data-revealed')).toBe('true');
      await card.getByTestId(`poll-results-${id}`).waitFor();
      expect(await card.getByTestId(`poll-results-${id}`).innerText()).toContain(WORDS[lang]['poll.yourChoice']);
      await check(phone, 'phone-revealed');
      await check(projector, 'projector-revealed');

      // A multiple-choice poll: the big phone ticks two answers, then votes.
      await tablet.getByTestId('poll-question').fill(`${question} (2)`);
      await tablet.getByTestId('poll-option-input-0').fill(options[0]);
      await tablet.getByTestId('poll-option-input-1').fill(options[2]);
      await tablet.getByTestId('poll-multiple').check();
      await tablet.getByTestId('poll-create').click();
      await expect.poll(() => tablet.locator('[data-testid^="mp-poll-"]').count()).toBe(2);
      const second = tablet.locator('[data-testid^="mp-poll-"]').first();
      const id2 = (await second.getAttribute('data-testid'))!.slice('mp-poll-'.length);
      await tablet.getByTestId(`poll-open-${id2}`).click();
      const multi = big.getByTestId(`poll-${id2}`);
      await multi.getByTestId('poll-check-0').check();
      await multi.getByTestId('poll-check-1').check();
      await multi.getByTestId('poll-submit').click();
      await expect.poll(() => big.getByTestId(`poll-note-${id2}`).innerText()).toContain(WORDS[lang]['poll.counted']);
      await expect.poll(() => second.getByTestId(`poll-results-${id2}`).innerText()).toMatch(/1 · 100\s?%[\s\S]*1 · 100\s?%/);
      await check(big, 'phone-multiple');
      await tablet.getByTestId(`poll-close-${id2}`).click();
      await expect.poll(() => big.getByTestId(`poll-note-${id2}`).innerText()).toContain(WORDS[lang]['poll.closed']);
      await check(tablet, 'tablet-two-polls');

      // The tablet at 200% text: the poll panel still fits the screen's width.
      const bigTablet = await open(1024, 768, true);
      await bigTablet.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%')));
      await bigTablet.goto(b.local(ev.links.moderator));
      await bigTablet.getByTestId(`mp-poll-${id}`).waitFor();
      // (The evaluation table beside it overflows at 200% in French: an older panel, not this one.)
      const overflowing = await bigTablet.getByTestId('polls-panel').evaluate((panel) =>
        [panel, ...panel.querySelectorAll('*')].filter((e) => {
          const r = e.getBoundingClientRect();
          return r.right > window.innerWidth + 1 || r.left < -1;
        }).length,
      );
      expect(overflowing).toBe(0);
      await bigTablet.getByTestId('polls-panel').scrollIntoViewIfNeeded();
      await check(bigTablet, 'tablet-200');

      // Ten answers on the projector: while voting (with the join code) and revealed, nothing is cut.
      const mod = await connectP(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
      try {
        const id3 = await mod.create(`${question} (10)`, Array.from({ length: 10 }, (_, n) => `${options[n % 3]} ${n + 1}`));
        await mod.send('poll:open', { id: id3 });
        await mod.send('projector:show', { mode: 'poll', pollId: id3 });
        const screen = projector.locator(`[data-testid="projector-poll"][data-poll-id="${id3}"]`);
        await screen.waitFor();
        await projector.getByTestId('join-code').waitFor();
        const fits = () => screen.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1);
        expect(await fits()).toBe(true);
        await check(projector, 'projector-ten');
        await mod.send('poll:reveal', { id: id3 });
        await screen.getByTestId(`poll-results-${id3}`).waitFor();
        expect(await fits()).toBe(true);
        await check(projector, 'projector-ten-revealed');
      } finally {
        mod.close();
      }

      // The report: the polls in creation order, with their results.
      const laptop = await open(1280, 800, false);
      await laptop.goto(b.local(ev.links.report));
      const reportPolls = laptop.getByTestId('report-polls');
      await reportPolls.waitFor();
      await inLanguage(laptop);
      expect((await reportPolls.locator('[data-poll-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-poll-id')))).slice(0, 2)).toEqual([id, id2]);
      expect(await reportPolls.innerText()).toContain(options[2]);
      await check(laptop, 'report');

      expect(findings).toEqual([]);
    }, 180_000);
  }
});
