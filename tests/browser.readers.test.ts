/**
 * The room's readers, in real Chromium. Every view walked in French, Hebrew and Arabic browsers at
 * its device's size (phone 390×844, tablet 1024×768, projector 1920×1080, laptops), each state
 * checked with axe-core (its script read from node_modules and evaluated in the page: no network):
 * a serious or critical violation, or a page without exactly one `h1`, fails the walk. Then: the
 * interface language is the reader's, a French listener to a French speaker is told so, 200% text
 * (the root font size doubled before the first layout, as a phone browser's text size setting does
 * to a rem-based page; not page zoom, which would shrink the viewport instead), keyboard focus
 * clear of the bottom bar, the tablet's status line and controls, the not-found page.
 * Screenshots go to artifacts/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { record, type Recorder } from './helpers/captions.ts';
import { playEvening } from './helpers/evening.ts';
import { connectQ, type QClient } from './helpers/questions.ts';
import { ADMIN_TOKEN, createTestEvent, sampleSetup } from './helpers/server.ts';
import { seriousViolations, type Finding } from './helpers/axe.ts';
import { words } from './helpers/words.ts';

const { ar, es, fr, he } = words;

type Created = Awaited<ReturnType<typeof createTestEvent>>;

/** axe-core's serious and critical violations on the page as it is now (tests/helpers/axe.ts), and its number of `h1`. */
export async function audit(page: Page): Promise<{ violations: Finding[]; h1: number }> {
  return { violations: await seriousViolations(page), h1: await page.evaluate(() => document.querySelectorAll('h1').length) };
}

const LOCALES = { fr: 'fr-FR', he: 'he-IL', ar: 'ar-EG' } as const;

describe.skipIf(!chromiumAvailable)('every view for its readers (axe-core; fr, he, ar)', () => {
  const b = useBrowserServer('readers');
  const sockets: (Recorder | QClient)[] = [];
  let live: Created;
  let ended: Created;
  let moderator: Recorder;
  let questionId = '';
  afterAll(() => sockets.forEach((s) => s.close()));

  const ok = async (ack: Promise<{ ok: boolean }>) => expect((await ack).ok).toBe(true);

  beforeAll(async () => {
    // An evening played to its end, for the report and the panels that summarise it.
    ended = await createTestEvent(b.url);
    await playEvening(async (auth) => {
      const r = await record(b.url, auth, false);
      sockets.push(r);
      return r;
    }, ended);

    // A live one: Aix (French) on stage, French captions, a live question with votes and ratings.
    live = await createTestEvent(b.url);
    const auth = (token: string) => ({ eventId: live.event.id, token });
    moderator = await record(b.url, auth(live.secrets.moderator), false);
    const fr = await record(b.url, auth(live.secrets.interpreters.fr!), false);
    const phone = await connectQ(b.url, { code: live.event.code, lang: 'he', table: 't2' });
    sockets.push(moderator, fr, phone);
    await ok(moderator.send('agenda:go', { itemId: 'aix' }));
    await ok(fr.send('caption:push', { id: 'fr-1', text: 'Bonsoir à toutes et à tous.', final: true }));
    const asked = await phone.ask('מה עם 3 הרחובות הסגורים?');
    questionId = asked.ok ? asked.data!.id : '';
    await ok(moderator.send('question:moderate', { id: questionId, status: 'live' }));
    await ok(phone.send('question:vote', { id: questionId, value: 1 }));
    await ok(phone.send('rating:set', { target: 'aix', indicator: 'relevance', score: 4 }));
  });

  for (const lang of ['fr', 'he', 'ar'] as const) {
    it(`${lang}: no serious or critical axe violation and one h1, in every view`, async () => {
      const findings: string[] = [];
      const open = (width: number, height: number, touch: boolean) => b.page(width, height, touch, { locale: LOCALES[lang] });
      /** The interface has switched to the reader's language (its dictionary is a chunk of its own). */
      const inLanguage = (page: Page) => page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      const check = async (page: Page, view: string) => {
        const { violations, h1 } = await audit(page);
        for (const v of violations) findings.push(`${view}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(' | ')}`);
        if (h1 !== 1) findings.push(`${view}: ${h1} h1 elements`);
        await page.screenshot({ path: path.join(ARTIFACTS, `readers-${lang}-${view}.png`) });
      };
      const connected = (page: Page) => page.getByTestId('conn').and(page.locator('[data-state="connected"]')).first().waitFor();

      // Landing and an unknown path, on a phone.
      const phone = await open(390, 844, true);
      await phone.goto(`${b.url}/`);
      await inLanguage(phone);
      await phone.getByTestId('landing-go').waitFor();
      await check(phone, 'landing');
      const missing = await phone.goto(`${b.url}/no/such/page`);
      expect(missing?.status()).toBe(404);
      await inLanguage(phone);
      await check(phone, 'not-found');

      // The attendee: join, then each panel.
      await phone.goto(`${b.url}/e/${live.event.code}`);
      await phone.getByTestId('join-go').waitFor();
      await check(phone, 'attendee-join');
      await phone.getByTestId('join-table').selectOption('t1');
      await phone.getByTestId('join-go').click();
      await connected(phone);
      await phone.getByTestId('now-speaker').waitFor();
      await phone.getByTestId('caption-box').waitFor();
      await inLanguage(phone);
      await check(phone, 'attendee-now');
      for (const panel of ['ask', 'questions', 'rate', 'order', 'menu'] as const) {
        await phone.getByTestId(`${panel}-button`).click();
        await phone.locator('.att-main').getByRole('heading').first().waitFor();
        if (panel === 'questions') await phone.getByTestId('vote-button').first().waitFor();
        await check(phone, `attendee-${panel}`);
      }

      // The moderator's tablet, live and after the evening.
      const tablet = await open(1024, 768, true);
      await tablet.goto(b.local(live.links.moderator));
      await connected(tablet);
      await inLanguage(tablet);
      await tablet.getByTestId('evaluation-panel').waitFor();
      await check(tablet, 'moderator-live');
      await tablet.goto(b.local(ended.links.moderator));
      await connected(tablet);
      await tablet.getByTestId('evaluation-panel').waitFor();
      await check(tablet, 'moderator-ended');

      // The projector in each mode.
      const projector = await open(1920, 1080, false);
      await projector.goto(b.local(live.links.projector));
      await inLanguage(projector);
      for (const mode of ['queue', 'join', 'captions', 'question', 'slide'] as const) {
        await ok(moderator.send('projector:show', mode === 'question' ? { mode, questionId } : { mode }));
        await projector.locator(`[data-mode="${mode}"]`).waitFor();
        await check(projector, `projector-${mode}`);
      }
      await ok(moderator.send('projector:show', { mode: 'queue' }));

      // The interpreter's and the speaker's laptops.
      const laptop = await open(1280, 800, false);
      await laptop.goto(b.local(live.links.interpreters.fr!));
      await connected(laptop);
      await inLanguage(laptop);
      await laptop.getByTestId('caption-input').waitFor();
      await check(laptop, 'interpreter');
      await laptop.goto(b.local(live.links.moderator).replace(`/m/${live.event.id}`, `/s/${live.event.id}`));
      await laptop.getByTestId('speaker-name').waitFor();
      await inLanguage(laptop);
      await check(laptop, 'speaker');

      // The report and the admin page.
      await laptop.goto(b.local(ended.links.report));
      await laptop.getByTestId('transcript-section').first().waitFor();
      await inLanguage(laptop);
      await check(laptop, 'report');
      await laptop.goto(`${b.url}/admin#k=${ADMIN_TOKEN}`);
      await laptop.getByTestId('admin-events').waitFor();
      await inLanguage(laptop);
      await check(laptop, 'admin');

      expect(findings).toEqual([]);
    }, 240_000);
  }
  /** A phone of `locale` that joins `code` (at table t1, with the caption language `lang` if given). */
  async function joinPhone(code: string, locale: string, lang?: string, options: { bigText?: boolean } = {}): Promise<Page> {
    const phone = await b.page(390, 844, true, { locale });
    // 200% text as a reader sets it: the root font size doubled (what the text size setting of
    // a phone's browser does to rem-based pages), before the app's first layout.
    if (options.bigText) await phone.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%')));
    await phone.goto(`${b.url}/e/${code}`);
    await phone.getByTestId('join-table').selectOption('t1');
    if (lang) await phone.getByTestId('join-language').selectOption(lang);
    await phone.getByTestId('join-go').click();
    await phone.getByTestId('conn').and(phone.locator('[data-state="connected"]')).first().waitFor();
    return phone;
  }
  const htmlLang = (page: Page) => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]);

  it('the interface speaks the reader\'s language, not the captions\', and a choice in the menu is remembered', async () => {
    const ev = await createTestEvent(b.url, { ...sampleSetup, languages: ['fr', 'en', 'es'] });

    // An Arabic guest at an event without Arabic captions: an Arabic interface, French captions.
    const arabic = await b.page(390, 844, true, { locale: 'ar-EG' });
    await arabic.goto(`${b.url}/e/${ev.event.code}`);
    await expect.poll(() => arabic.getByTestId('join-go').innerText()).toBe(ar['att.joinButton']);
    expect(await htmlLang(arabic)).toEqual(['ar', 'rtl']);
    await arabic.getByTestId('join-go').click();
    await expect.poll(() => arabic.getByTestId('captions').getAttribute('data-lang')).toBe('fr');
    expect(await htmlLang(arabic)).toEqual(['ar', 'rtl']);
    expect(await arabic.getByTestId('order-button').innerText()).toContain(ar['att.runningOrder']);

    // A Spanish guest reading English captions keeps a Spanish interface.
    const spanish = await joinPhone(ev.event.code, 'es-ES', 'en');
    await expect.poll(() => spanish.getByTestId('captions').getAttribute('data-lang')).toBe('en');
    await expect.poll(() => htmlLang(spanish)).toEqual(['es', 'ltr']);
    expect(await spanish.getByTestId('order-button').innerText()).toContain(es['att.runningOrder']);

    // The menu changes the interface alone, at once; the choice outlives a reload.
    await spanish.getByTestId('menu-button').click();
    await spanish.getByTestId('ui-language').selectOption('he');
    await expect.poll(() => htmlLang(spanish)).toEqual(['he', 'rtl']);
    expect(await spanish.getByTestId('order-button').innerText()).toContain(he['att.runningOrder']);
    await spanish.reload();
    await spanish.getByTestId('captions').waitFor();
    await expect.poll(() => htmlLang(spanish)).toEqual(['he', 'rtl']);
    expect(await spanish.getByTestId('captions').getAttribute('data-lang')).toBe('en');
  });

  it('a French guest listening to a French speaker is told so, and offered the languages that are captioned', async () => {
    const ev = await createTestEvent(b.url); // fr (floor), es, he; Aix speaks French, Granada Spanish
    const auth = (token: string) => ({ eventId: ev.event.id, token });
    const mod = await record(b.url, auth(ev.secrets.moderator), false);
    const heInterpreter = await record(b.url, auth(ev.secrets.interpreters.he!), false);
    sockets.push(mod, heInterpreter);
    await expect.poll(() => mod.statuses.at(-1)).toEqual({ human: ['he'], machine: [] });
    await ok(mod.send('agenda:go', { itemId: 'aix' }));
    await ok(heInterpreter.send('caption:push', { id: 'he-1', text: 'ערב טוב', final: true }));

    const phone = await joinPhone(ev.event.code, 'fr-FR', 'fr');
    const notice = phone.getByTestId('captions-nobody');
    await expect.poll(() => notice.innerText()).toContain(fr['captions.speakerSpeaks'].replace('{language}', 'français'));
    expect(await notice.innerText()).not.toContain('Personne ne sous-titre');
    // Only the languages someone captions are offered: Hebrew, not Spanish.
    expect(await phone.getByTestId('captions-fallback').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')))).toEqual(['he']);
    await phone.getByTestId('captions-fallback').click();
    await expect.poll(() => phone.getByTestId('captions').getAttribute('data-lang')).toBe('he');
    await expect.poll(() => phone.getByTestId('caption').first().innerText()).toBe('ערב טוב');
    expect(await htmlLang(phone)).toEqual(['fr', 'ltr']);

    // A Spanish speaker next: now nobody captions French for what is said.
    await ok(mod.send('agenda:next'));
    await expect.poll(() => notice.innerText()).toContain(fr['captions.nobody'].replace('{language}', 'français'));
    await phone.screenshot({ path: path.join(ARTIFACTS, 'readers-fr-listener.png') });
  });

  it('at 200% text the event title stays visible and the bottom bar stays one row (fr, de, he, ar)', async () => {
    for (const locale of ['fr-FR', 'de-DE', 'he-IL', 'ar-EG']) {
      const phone = await joinPhone(live.event.code, locale, undefined, { bigText: true });
      await phone.getByTestId('now-speaker').waitFor();
      expect(await phone.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px');
      await phone.locator(`html[lang="${locale.slice(0, 2)}"]`).waitFor({ state: 'attached' });
      const layout = await phone.evaluate(() => {
        const title = document.querySelector('.att-title bdi')!;
        // Each line of the title (it may wrap) is on screen and on top at its middle.
        const lines = [...title.getClientRects()];
        const onTop = lines.every((r) => {
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return r.width > 10 && r.height > 10 && r.top >= 0 && r.bottom <= innerHeight && !!hit && title.contains(hit);
        });
        const buttons = [...document.querySelectorAll<HTMLElement>('.att-bar .att-bar-btn')];
        return {
          title: title.textContent,
          titleShown: lines.length > 0 && onTop && getComputedStyle(title.closest('h1')!).clipPath === 'none',
          rows: new Set(buttons.map((btn) => Math.round(btn.getBoundingClientRect().top))).size,
          buttons: buttons.length,
          overflowing: buttons.filter((btn) => btn.scrollWidth > btn.clientWidth + 1 || btn.getBoundingClientRect().right > innerWidth + 0.5 || btn.getBoundingClientRect().left < -0.5).map((btn) => btn.innerText),
          wide: document.documentElement.scrollWidth > innerWidth,
        };
      });
      expect(layout, locale).toEqual({ title: live.event.title, titleShown: true, rows: 1, buttons: 4, overflowing: [], wide: false });
      const { violations } = await audit(phone);
      expect(violations, locale).toEqual([]);
      await phone.screenshot({ path: path.join(ARTIFACTS, `readers-200pct-${locale}.png`) });
    }
  });

  it('keyboard focus never lands under the bottom bar: tabbing through the Ask form on a phone', async () => {
    for (const bigText of [false, true]) {
      const phone = await joinPhone(live.event.code, 'fr-FR', undefined, { bigText });
      await phone.getByTestId('ask-button').click();
      // A question asked already: the panel lists it too, and the form reaches below the fold.
      await phone.getByTestId('ask-text').fill('Et les commerces de proximité ?');
      await phone.getByTestId('ask-send').click();
      await phone.getByTestId('outbox-item').or(phone.locator('.aq-mine')).first().waitFor();
      await phone.getByTestId('ask-text').fill('Combien de logements vides dans le centre ?');
      await phone.getByTestId('ask-text').focus();
      const seen: string[] = [];
      for (let n = 0; n < 30; n++) {
        await phone.keyboard.press('Tab');
        const focus = await phone.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          if (el.closest('.att-bar')) return { inBar: true, name: '', covered: null as string | null };
          const r = el.getBoundingClientRect();
          const x = r.left + Math.min(r.width / 2, 20);
          const y = r.top + r.height / 2;
          const hit = document.elementFromPoint(x, y);
          const label = el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`;
          const ok = !!hit && (el.contains(hit) || hit.contains(el) || (el as HTMLInputElement).labels?.[0]?.contains(hit));
          return { inBar: false, name: label, covered: ok ? null : `${label} at y=${Math.round(y)} is under ${hit?.className || hit?.tagName}` };
        });
        if (!focus || focus.inBar) break;
        seen.push(focus.name);
        expect(focus.covered, `200% text: ${bigText}`).toBeNull();
      }
      // The walk went through the form to Send.
      expect(seen, `200% text: ${bigText}`).toContain('ask-send');
    }
  });

  it('the tablet: user text isolated in the status line, no "slide 1" without a deck, no timer buttons with nobody on stage', async () => {
    const ev = await createTestEvent(b.url, {
      ...sampleSetup,
      agenda: [{ id: 'ashkelon', speaker: 'שרה 2 כהן', delegation: 'אשקלון', title: 'מרכז העיר', language: 'he', plannedSeconds: 300 }, ...sampleSetup.agenda],
    });
    const tablet = await b.page(1024, 768, true, { locale: 'en-US' });
    await tablet.goto(b.local(ev.links.moderator));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).first().waitFor();
    for (const id of ['timer-start', 'timer-reset', 'timer-minus', 'timer-plus']) expect(await tablet.getByTestId(id).isDisabled(), id).toBe(true);

    await tablet.getByTestId('agenda-item-ashkelon').getByRole('button').first().click();
    const status = tablet.getByTestId('command-status');
    await expect.poll(() => status.getAttribute('data-kind')).toBe('ok');
    expect(await status.textContent()).toContain('\u2068שרה 2 כהן\u2069');
    await expect.poll(() => tablet.getByTestId('timer-plus').isDisabled()).toBe(false);
    // No deck: no "slide 1" on the tablet, the phone or the projector.
    expect(await tablet.getByTestId('slide-page').innerText()).not.toMatch(/slide 1/i);
    const phone = await joinPhone(ev.event.code, 'en-US');
    await phone.getByTestId('now-speaker').waitFor();
    expect(await phone.getByTestId('slide-page').count()).toBe(0);
    // Moved on purpose (a speaker with slides of their own), the number is shown.
    await tablet.getByTestId('slide-next').click();
    await expect.poll(() => phone.getByTestId('slide-page').innerText()).toMatch(/2/);

    // A Hebrew question with a number, approved: isolated in the status line, in order.
    const asker = await connectQ(b.url, { code: ev.event.code, lang: 'he' });
    sockets.push(asker);
    const text = 'מה עם 3 הרחובות?';
    const asked = await asker.ask(text);
    const id = asked.ok ? asked.data!.id : '';
    await tablet.getByTestId(`approve-${id}`).click();
    await expect.poll(() => status.textContent()).toMatch(/done/);
    expect(await status.textContent()).toContain(`\u2068${text}\u2069`);
    await tablet.screenshot({ path: path.join(ARTIFACTS, 'readers-tablet-status.png') });
  });

  it('an unknown path gets the app\'s own not-found page, translated, with a 404 (not Express\'s "Cannot GET")', async () => {
    const res = await fetch(`${b.url}/m/x/y/z`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('Cannot GET');
    const phone = await b.page(390, 844, true, { locale: 'he-IL' });
    expect((await phone.goto(`${b.url}/no/such/page`))?.status()).toBe(404);
    await phone.locator('html[lang="he"]').waitFor({ state: 'attached' }); // its dictionary is a chunk of its own
    expect(await htmlLang(phone)).toEqual(['he', 'rtl']);
    await expect.poll(() => phone.locator('h1').innerText()).toBe(he['app.notFound']);
  });
});
