/**
 * Questions and ratings in real Chromium: a phone asks, the tablet approves, a second phone
 * votes, the projector shows it; a question typed offline is sent once on reconnect; a rating
 * reaches the tablet. An evening of 130 questions: the phone and the tablet join with the head of
 * the list and load the rest as they scroll, live votes moving questions meanwhile.
 * Screenshots go to artifacts/.
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import * as read from '../server/questions/read.ts';
import type { QuestionRecord } from '../server/questions/rules.ts';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { connectQ } from './helpers/questions.ts';
import { createTestEvent, newDeviceId } from './helpers/server.ts';

describe.skipIf(!chromiumAvailable)('questions and ratings in Chromium', () => {
  let backend: Backend;
  const b = useBrowserServer('q', async (dataDir) => (backend = await openBackend({ kind: 'memory', dataDir })));

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

  it('a phone and the tablet page through 130 questions as they scroll; live votes still move them', async () => {
    const ev = await createTestEvent(b.url);
    const eventId = ev.event.id;
    // The evening so far, appended to the server's own questions log: 130 live questions, votes 0..4.
    const log = backend.stores!.questions;
    const limit = { max: 1e6, windowMs: 60_000 };
    const base = Date.now() - 600_000;
    for (let i = 0; i < 130; i++) {
      const record: QuestionRecord = {
        id: `e${String(i).padStart(3, '0')}`, text: `Question ${i} from the room`, lang: 'fr', itemId: null, table: null,
        author: null, votes: 0, status: 'live', createdAt: base + i, rev: 1, device: newDeviceId(),
      };
      await log.append(eventId, { kind: 'questions.ask', payload: { record, limit } });
      for (let v = 0; v < i % 5; v++) await log.append(eventId, { kind: 'questions.vote', payload: { id: record.id, value: 1, limit }, device: `v${v}`, table: null });
    }
    const ranking = read.page(await log.state(eventId), 'public', 0, 200).items.map((q) => q.id);
    expect(ranking).toHaveLength(130);

    // A Spanish reader (the interface speaks the browser's language, not the captions').
    const phone = await b.page(360, 740, true, { locale: 'es-ES' });
    await joinPhone(phone, ev.event.code, 't1', 'es');
    await phone.getByTestId('questions-button').click();
    const items = phone.getByTestId('question-item');
    await expect.poll(() => items.count()).toBe(50);
    await expect.poll(() => phone.getByTestId('live-count').innerText()).toBe('50+');
    // The end of the list is a labelled button in the phone's language (Spanish here)…
    const more = phone.getByRole('button', { name: 'Mostrar más preguntas' });
    expect(await more.count()).toBe(1);
    // …that loads the next page by itself once scrolled into view.
    for (let seen = 50; seen < 130; ) {
      if (await more.count()) await more.scrollIntoViewIfNeeded().catch(() => undefined);
      await expect.poll(() => items.count()).toBeGreaterThan(seen);
      seen = await items.count();
    }
    await expect.poll(() => more.count()).toBe(0);
    const ids = () => items.evaluateAll((els) => els.map((el) => el.getAttribute('data-question-id')));
    expect(await ids()).toEqual(ranking);
    await expect.poll(() => phone.getByTestId('live-count').innerText()).toBe('130');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'questions-phone-paged.png') });

    // Five phones up-vote the last question: it climbs to the top of the list on the screen.
    const last = ranking.at(-1)!;
    const voters = await Promise.all(Array.from({ length: 5 }, () => connectQ(b.url, { code: ev.event.code })));
    for (const v of voters) expect(await v.send('question:vote', { id: last, value: 1 })).toMatchObject({ ok: true });
    await expect.poll(async () => (await ids())[0]).toBe(last);
    voters.forEach((v) => v.close());

    // The tablet holds 100 of them ("100+"), and the rest once its live list is scrolled.
    const tablet = await b.page(1024, 768, true);
    await tablet.goto(b.local(ev.links.moderator));
    const rows = tablet.locator('[data-testid^="mq-live-"]');
    await expect.poll(() => rows.count()).toBe(100);
    const tabletMore = tablet.getByTestId('more-live');
    await expect.poll(() => tabletMore.innerText()).toBe('Show more questions');
    await tabletMore.scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count()).toBe(130);
    await expect.poll(() => tabletMore.count()).toBe(0);
  }, 120_000);
});
