/**
 * Questions and ratings in real Chromium: a phone asks, the tablet approves, a second phone
 * votes, the projector shows it; a question typed offline is sent once on reconnect; a rating
 * reaches the tablet. Screenshots go to artifacts/.
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { createTestEvent } from './helpers/server.ts';

describe.skipIf(!chromiumAvailable)('questions and ratings in Chromium', () => {
  const b = useBrowserServer('q');

  async function page(width: number, height: number, touch: boolean): Promise<{ context: BrowserContext; page: Page }> {
    const context = await b.context(width, height, touch);
    return { context, page: await context.newPage() };
  }

  async function joinPhone(p: Page, code: string, table: string, lang: string) {
    await p.goto(`${b.url}/e/${code}`);
    await p.getByTestId('join-table').selectOption(table);
    await p.getByTestId('join-language').selectOption(lang);
    await p.getByTestId('join-go').click();
    await p.getByTestId('conn').and(p.locator('[data-state="connected"]')).waitFor();
  }

  it('a phone asks, the tablet approves, a second phone votes, the projector shows it', async () => {
    const ev = await createTestEvent(b.url);
    const { page: phoneA, context: contextA } = await page(360, 740, true);
    const { page: phoneB } = await page(360, 740, true);
    const { page: tablet } = await page(1024, 768, true);
    const { page: projector } = await page(1920, 1080, false);

    await tablet.goto(b.local(ev.links.moderator));
    await projector.goto(b.local(ev.links.projector));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();
    await tablet.getByTestId('next-button').click(); // Aix on stage
    await joinPhone(phoneA, ev.event.code, 't1', 'es');
    await joinPhone(phoneB, ev.event.code, 't2', 'fr');

    // Phone A asks, tied to the speaker on stage; it waits for moderation, marked as such.
    await phoneA.getByTestId('ask-button').click();
    const question = '¿Cómo conciliar turismo y vida de barrio?';
    await phoneA.getByTestId('ask-text').fill(question);
    await phoneA.getByTestId('ask-send').click();
    await phoneA.getByTestId('awaiting').waitFor();
    const id = await phoneA.getByTestId('question-item').first().getAttribute('data-question-id');
    expect(id).toBeTruthy();
    await phoneA.screenshot({ path: path.join(ARTIFACTS, 'questions-phone-ask.png') });

    // Phone B does not see it yet.
    await phoneB.getByTestId('questions-button').click();
    await expect.poll(() => phoneB.getByTestId('question-item').count()).toBe(0);

    // The tablet approves it.
    await tablet.getByTestId(`approve-${id}`).click();
    await expect.poll(() => tablet.getByTestId(`votes-${id}`).innerText()).toBe('0');

    // Phone B sees it (with its language shown), votes with one tap; the tablet counts it.
    const item = phoneB.locator(`[data-testid="question-item"][data-question-id="${id}"]`);
    await expect.poll(() => item.getByText(question).count()).toBe(1);
    await expect.poll(() => item.locator('.aq-lang').innerText()).toMatch(/^ES/);
    await item.getByTestId('vote-button').click();
    await expect.poll(() => item.getByTestId('vote-button').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => item.getByTestId('vote-count').innerText()).toBe('1');
    await expect.poll(() => tablet.getByTestId(`votes-${id}`).innerText()).toBe('1');
    await phoneB.screenshot({ path: path.join(ARTIFACTS, 'questions-phone-list.png') });

    // The queue on the projector lists it among the top questions.
    await expect.poll(() => projector.getByTestId('projector-top-questions').innerText()).toContain(question);
    await projector.screenshot({ path: path.join(ARTIFACTS, 'questions-projector-queue.png') });

    // Show on projector: question mode, very large, with its votes.
    await tablet.getByTestId(`show-${id}`).click();
    await expect.poll(() => projector.getByTestId('projector-question-text').innerText()).toBe(question);
    await expect.poll(() => projector.getByTestId('projector-question-votes').innerText()).toMatch(/1 vote/);
    const fontSize = await projector.getByTestId('projector-question-text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThan(1080 * 0.05);
    await projector.screenshot({ path: path.join(ARTIFACTS, 'questions-projector-question.png') });

    // Phone A, offline, asks again: the question waits on the phone and is sent once on reconnect.
    await contextA.setOffline(true);
    await phoneA.getByTestId('conn').and(phoneA.locator('[data-state="disconnected"]')).waitFor({ timeout: 60_000 });
    await phoneA.getByTestId('ask-text').fill('Y los alquileres turísticos?');
    await phoneA.getByTestId('ask-send').click();
    await phoneA.getByTestId('outbox-item').waitFor();
    await phoneA.screenshot({ path: path.join(ARTIFACTS, 'questions-phone-outbox.png') });
    await contextA.setOffline(false);
    await expect.poll(() => phoneA.getByTestId('outbox-item').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => tablet.getByTestId('pending-count').innerText()).toBe('1');
    await tablet.screenshot({ path: path.join(ARTIFACTS, 'questions-tablet.png') });

    // Phone B rates the speaker on stage; the tablet shows it live.
    await phoneB.getByTestId('rate-button').click();
    await phoneB.getByTestId('rate-aix-relevance-4').click();
    await expect.poll(() => phoneB.getByTestId('rate-aix-relevance-mine').innerText()).toMatch(/4/);
    await expect.poll(() => tablet.getByTestId('rating-aix-relevance-count').innerText()).toBe('1');
    await expect.poll(() => tablet.getByTestId('rating-aix-relevance-mean').innerText()).toBe('4.0');
    await phoneB.screenshot({ path: path.join(ARTIFACTS, 'questions-phone-rate.png') });

    // Next stays on screen with the panels below it.
    const next = await tablet.getByTestId('next-button').boundingBox();
    expect(next && next.y >= 0 && next.y + next.height <= 768).toBe(true);
  }, 120_000);
});
