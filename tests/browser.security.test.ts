/**
 * What the pages hold back, in real Chromium. The client under the server's Content-Security-Policy:
 * every view (landing, admin, attendee, moderator with its Report panel, projector with the QR code,
 * interpreter, speaker, report page with a download) loads, connects and works, and the page reports
 * no `securitypolicyviolation` event and Chromium logs no CSP refusal. And the report page opened
 * with the report key lists no question awaiting approval; opened by the moderator, it marks them.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { ADMIN_TOKEN, connect, createTestEvent, type Client } from './helpers/server.ts';

type Watched = Window & { __cspViolations?: string[] };

describe.skipIf(!chromiumAvailable)('the views under the Content-Security-Policy', () => {
  const b = useBrowserServer('csp');
  const sockets: Client[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  /** A page whose CSP violations (events in the page, refusals in the console) are recorded. */
  async function watchedPage(width: number, height: number, touch = false): Promise<{ page: Page; violations: () => Promise<string[]> }> {
    const context: BrowserContext = await b.context(width, height, touch);
    await context.addInitScript(() => {
      const w = window as Watched;
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations!.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`));
    });
    const page = await context.newPage();
    const logged: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) logged.push(m.text());
    });
    page.on('pageerror', (e) => logged.push(`page error: ${e.message}`));
    return { page, violations: async () => [...(await page.evaluate(() => (window as Watched).__cspViolations ?? [])), ...logged] };
  }

  const connected = (p: Page) => p.getByTestId('conn').and(p.locator('[data-state="connected"]')).first().waitFor();

  it('every view works and reports no violation', async () => {
    const ev = await createTestEvent(b.url);
    const moderator = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    sockets.push(moderator);
    expect(await moderator.send('agenda:go', { itemId: 'aix' })).toEqual({ ok: true });
    const views: Record<string, string[]> = {};

    const landing = await watchedPage(360, 740, true);
    await landing.page.goto(`${b.url}/`);
    await landing.page.getByTestId('landing-go').waitFor();

    const admin = await watchedPage(1280, 900);
    await admin.page.goto(`${b.url}/admin#k=${ADMIN_TOKEN}`);
    await admin.page.getByTestId(`event-${ev.event.code}`).waitFor();

    const phone = await watchedPage(360, 740, true);
    await phone.page.goto(`${b.url}/e/${ev.event.code}`);
    await phone.page.getByTestId('join-table').selectOption('t1');
    await phone.page.getByTestId('join-go').click();
    await connected(phone.page);
    await expect.poll(() => phone.page.getByTestId('now-speaker').innerText()).toBe('Aix speaker');

    const tablet = await watchedPage(1024, 768, true);
    await tablet.page.goto(b.local(ev.links.moderator));
    await connected(tablet.page);
    const panel = tablet.page.getByTestId('report-panel');
    await panel.getByTestId('report-toggle').click();
    await expect.poll(() => panel.getByTestId('report-time-aix').innerText()).toMatch(/Aix speaker/);

    const projector = await watchedPage(1920, 1080);
    await projector.page.goto(b.local(ev.links.projector));
    await connected(projector.page);
    expect(await moderator.send('projector:show', { mode: 'join' })).toEqual({ ok: true });
    // The QR code is an image from /api: loaded, not refused.
    await expect.poll(() => projector.page.locator('img.proj-join-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    const interpreter = await watchedPage(1280, 800);
    await interpreter.page.goto(b.local(ev.links.interpreters.fr!));
    await connected(interpreter.page);

    const speaker = await watchedPage(1280, 800);
    await speaker.page.goto(b.local(ev.links.moderator).replace('/m/', '/s/'));
    await connected(speaker.page);
    await expect.poll(() => speaker.page.getByTestId('speaker-name').innerText()).toBe('Aix speaker');

    const report = await watchedPage(1280, 900);
    await report.page.goto(b.local(ev.links.report));
    await report.page.getByTestId('report-page').waitFor();
    // A download is a blob: URL made in the page.
    const [download] = await Promise.all([report.page.waitForEvent('download'), report.page.getByTestId('download-questions.csv').click()]);
    expect(download.suggestedFilename()).toMatch(/questions\.csv$/);

    for (const [name, w] of Object.entries({ landing, admin, phone, tablet, projector, interpreter, speaker, report })) {
      views[name] = await w.violations();
    }
    expect(views).toEqual({ landing: [], admin: [], phone: [], tablet: [], projector: [], interpreter: [], speaker: [], report: [] });
  });

  it('the report link lists only the questions the room saw; the moderator sees those awaiting approval, marked', async () => {
    const ev = await createTestEvent(b.url);
    const moderator = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    const phone = await connect(b.url, { code: ev.event.code, table: 't1' });
    sockets.push(moderator, phone);
    const ask = async (text: string) =>
      ((await phone.send('question:ask', { id: randomBytes(12).toString('base64url'), text })) as { data: { id: string } }).data.id;
    const approved = await ask('Une question approuvée');
    const waiting = await ask('Une question en attente');
    expect(await moderator.send('question:moderate', { id: approved, status: 'live' })).toMatchObject({ ok: true });

    const questionsOn = async (link: string) => {
      const w = await watchedPage(1280, 900);
      await w.page.goto(b.local(link));
      await w.page.getByTestId('report-questions').waitFor();
      const items = w.page.getByTestId('report-question');
      const shown = await items.evaluateAll((els) => els.map((el) => [el.getAttribute('data-question-id'), el.getAttribute('data-status'), el.textContent]));
      expect(await w.violations()).toEqual([]);
      return shown;
    };
    const forCities = await questionsOn(ev.links.report);
    expect(forCities.map(([id, status]) => [id, status])).toEqual([[approved, 'live']]);
    expect(forCities.map(([, , text]) => text).join()).not.toContain('en attente');

    const forModerator = await questionsOn(ev.links.report.replace(ev.secrets.report, ev.secrets.moderator));
    expect(forModerator.map(([id, status]) => [id, status]).sort()).toEqual([[approved, 'live'], [waiting, 'pending']].sort());
    expect(forModerator.find(([id]) => id === waiting)![2]).toMatch(/Awaiting moderation/);
  });
});
