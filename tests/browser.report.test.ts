/**
 * The report in real Chromium. An evening is seeded through the real protocol (the moderator runs
 * the running order, interpreters fix captions in French and Hebrew, phones at two tables ask,
 * vote and rate, the moderator approves and answers, the event ends, a summary is saved); then
 * the read-only report link opens the report page in a French and in a Hebrew browser (right to
 * left), each printed to PDF, a download is checked, and the tablet's and the admin page's Report
 * panels are used to write a summary and a machine draft. Screenshots and PDFs go to artifacts/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend } from '../server/backend.ts';
import type { Report, ReportItem, TranscriptLine } from '../shared/report.ts';
import { defaultTranscriptLanguage, summaryFor, transcriptSections } from '../client/src/lib/report.ts';
import { attachmentName } from '../client/src/net/report.ts';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { fakeTranslator, record, type Recorder } from './helpers/captions.ts';
import { popplerAvailable } from './helpers/poppler.ts';
import { connectQ, type QClient } from './helpers/questions.ts';
import { ADMIN_TOKEN, connect, createTestEvent, type Client } from './helpers/server.ts';

type Created = Awaited<ReturnType<typeof createTestEvent>>;

const FR = {
  welcome: 'Bonsoir et bienvenue à tous les jumelages.',
  aix1: 'Le centre historique d’Aix doit rester habité.',
  aix2: 'Nous limitons les locations touristiques depuis 2023.',
  granada1: 'Grenade protège l’Albaicín avec ses habitants.',
};
const HE = {
  welcome: 'ערב טוב וברוכים הבאים לכל הערים התאומות.',
  aix1: 'המרכז ההיסטורי של אקס חייב להישאר מאוכלס.',
  granada1: 'גרנדה מגינה על האלבאיסין יחד עם תושביה.',
};
const QUESTION = 'Comment concilier tourisme et vie de quartier ?';
const QUESTION_HE = 'מה עם התחבורה הציבורית במרכז?';
const SUMMARY_FR = 'Une soirée riche : trois villes, une même question.\n\nLes habitants doivent rester au cœur du centre historique.';

describe('report helpers', () => {
  const item = (id: string): ReportItem => ({
    id, speaker: id, delegation: '', title: '', language: 'fr', plannedSeconds: 60, spokenMs: 0, status: 'done', startedAt: 1,
  });
  const line = (id: string, itemId: string | null): TranscriptLine => ({ id, itemId, text: id, source: 'human', at: 1 });

  it('groups the transcript by intervention in running order, loose lines first', () => {
    const sections = transcriptSections([item('a'), item('b'), item('c')], [line('1', null), line('2', 'b'), line('3', 'a'), line('4', 'b'), line('5', 'gone')]);
    expect(sections.map((s) => [s.item?.id ?? null, s.lines.map((l) => l.id)])).toEqual([
      [null, ['1', '5']],
      ['a', ['3']],
      ['b', ['2', '4']],
    ]);
  });

  it('falls back to another language’s summary, a person’s before a machine’s', () => {
    const summary = {
      es: { text: 'es', source: 'machine' as const, updatedAt: 1 },
      he: { text: 'he', source: 'human' as const, updatedAt: 1 },
    };
    expect(summaryFor(summary, 'es', ['fr', 'es', 'he'])?.lang).toBe('es');
    expect(summaryFor(summary, 'fr', ['fr', 'es', 'he'])?.lang).toBe('he');
    expect(summaryFor({}, 'fr', ['fr'])).toBeNull();
    expect(defaultTranscriptLanguage('he', ['fr', 'he'])).toBe('he');
    expect(defaultTranscriptLanguage('en', ['fr', 'he'])).toBe('fr');
  });

  it('reads the file name of a download', () => {
    expect(attachmentName('attachment; filename="tribune-abc-transcript-fr.vtt"')).toBe('tribune-abc-transcript-fr.vtt');
    expect(attachmentName("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.csv")).toBe('résumé.csv');
    expect(attachmentName(null)).toBeNull();
  });
});

describe.skipIf(!chromiumAvailable)('the report in Chromium', () => {
  let translator: Awaited<ReturnType<typeof fakeTranslator>> | undefined;
  // A translation service that says which language it translated into: the Spanish phones'
  // captions and the summary drafts are machine translations, labelled as such.
  const b = useBrowserServer('report', async (dataDir) => {
    translator = await fakeTranslator(({ q, target }) => ({ text: `[${target}] ${q}` }));
    return openBackend({ kind: 'memory', dataDir, translateUrl: translator.url });
  });
  const sockets: (Client | QClient | Recorder)[] = [];
  afterAll(() => translator?.close());
  afterAll(() => sockets.forEach((s) => s.close())); // registered last, so run first (vitest: stack order)

  const page = (width: number, height: number, locale: string, touch = false): Promise<Page> => b.page(width, height, touch, { locale });
  const ok = async (ack: Promise<{ ok: boolean }>) => expect((await ack).ok).toBe(true);

  /** An evening through the real protocol: two interventions, captions in fr and he, questions, ratings. */
  async function seedEvening(options: { summary?: boolean; end?: boolean } = {}): Promise<Created> {
    const ev = await createTestEvent(b.url); // fr (floor), es, he; tables t1 Grenade, t2 Pérouse
    const auth = (token: string) => ({ eventId: ev.event.id, token });
    const moderator = await record(b.url, auth(ev.secrets.moderator), false);
    const fr = await connect(b.url, auth(ev.secrets.interpreters.fr!));
    const he = await connect(b.url, auth(ev.secrets.interpreters.he!));
    const phoneA = await connectQ(b.url, { code: ev.event.code, lang: 'fr', table: 't1' });
    const phoneB = await connectQ(b.url, { code: ev.event.code, lang: 'he', table: 't2' });
    const phoneEs = await connectQ(b.url, { code: ev.event.code, lang: 'es' }); // at no table
    sockets.push(moderator, fr, he, phoneA, phoneB, phoneEs);
    // Interpreters cover fr and he; Spanish gets machine translations of the floor language.
    await expect.poll(() => moderator.statuses.at(-1)).toEqual({ human: ['fr', 'he'], machine: ['es'] });
    const caption = (c: Client, id: string, text: string) => ok(c.send('caption:push', { id, text, final: true }));

    // Before anyone is on stage: a welcome, in both languages.
    await caption(fr, 'fr-w', FR.welcome);
    await caption(he, 'he-w', HE.welcome);

    await ok(moderator.send('agenda:go', { itemId: 'aix' }));
    await caption(fr, 'fr-a1', FR.aix1);
    await caption(fr, 'fr-a2', FR.aix2);
    await caption(he, 'he-a1', HE.aix1);
    const asked = await phoneA.ask(QUESTION);
    expect(asked.ok).toBe(true);
    const q1 = asked.ok ? asked.data!.id : '';
    await ok(moderator.send('question:moderate', { id: q1, status: 'live' }));
    await ok(phoneB.send('question:vote', { id: q1, value: 1 }));
    await ok(phoneA.send('rating:set', { target: 'aix', indicator: 'relevance', score: 4 }));
    await ok(phoneB.send('rating:set', { target: 'aix', indicator: 'relevance', score: 5 }));

    await ok(moderator.send('agenda:next'));
    await caption(fr, 'fr-g1', FR.granada1);
    await caption(he, 'he-g1', HE.granada1);
    const askedHe = await phoneB.ask(QUESTION_HE);
    const q2 = askedHe.ok ? askedHe.data!.id : '';
    await ok(moderator.send('question:moderate', { id: q2, status: 'live' }));
    await ok(moderator.send('question:moderate', { id: q2, status: 'answered' }));
    await ok(phoneA.send('rating:set', { target: 'event', indicator: 'atmosphere', score: 5 }));

    if (options.end !== false) await ok(moderator.send('phase:set', { phase: 'ended' }));
    if (options.summary !== false) {
      const res = await fetch(`${b.url}/api/events/${ev.event.id}/report/summary/fr`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${ev.secrets.moderator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: SUMMARY_FR }),
      });
      expect(res.status).toBe(200);
    }
    // The phones' peaks are written as presence changes: wait until the report has them.
    await expect
      .poll(async () => {
        const res = await fetch(`${b.url}/api/events/${ev.event.id}/report?lang=fr`, { headers: { authorization: `Bearer ${ev.secrets.report}` } });
        return ((await res.json()) as Report).audience.peakByTable;
      })
      .toMatchObject({ t1: 1, t2: 1 });
    return ev;
  }

  /** Prints to PDF; checks it is a real, non-trivial PDF of at least `minPages` pages. */
  async function printed(p: Page, name: string, minPages: number) {
    const file = path.join(ARTIFACTS, name);
    await p.pdf({ path: file, format: 'A4' });
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(bytes.length).toBeGreaterThan(10 * 1024);
    if (popplerAvailable) {
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
      // Each intervention's transcript starts a new page, after the report's first page(s).
      expect(pages).toBeGreaterThan(minPages);
    }
  }

  it('the read-only link opens the report in French, prints, and downloads the transcript', async () => {
    const ev = await seedEvening();
    const fr = await page(1280, 900, 'fr-FR');
    await fr.goto(b.local(ev.links.report));
    await fr.getByTestId('report-page').waitFor();
    await expect.poll(() => fr.evaluate(() => document.documentElement.lang)).toBe('fr');
    await expect.poll(() => fr.getByTestId('report-state').innerText()).toMatch(/compte rendu définitif/);
    expect(await fr.getByRole('heading', { level: 1 }).innerText()).toBe('Dîner-débat test');
    expect(await fr.getByTestId('report-lang').inputValue()).toBe('fr');

    // The summary, the running order with its times, the questions, the evaluation.
    expect(await fr.getByTestId('summary-text').innerText()).toContain('Les habitants doivent rester au cœur du centre historique.');
    expect(await fr.getByTestId('summary-machine').count()).toBe(0);
    expect(await fr.getByTestId('report-order').innerText()).toMatch(/Déroulé et temps de parole/);
    expect(await fr.getByTestId('time-coimbra').innerText()).toMatch(/n’a pas pris la parole/);
    const questions = fr.getByTestId('report-question');
    expect(await questions.count()).toBe(2);
    expect(await questions.first().innerText()).toContain(QUESTION); // most votes first
    expect(await questions.first().innerText()).toMatch(/1 vote/);
    expect(await questions.nth(1).innerText()).toMatch(/Répondue/);
    expect(await questions.first().innerText()).toContain('Grenade');
    expect(await fr.getByTestId('rating-aix-relevance-mean').innerText()).toBe('4.5');
    expect(await fr.getByTestId('participation-t1').innerText()).toMatch(/Grenade/);
    expect(await fr.getByTestId('report-peak').innerText()).toMatch(/Au plus 3 téléphones/);

    // The transcript: before the first speaker, then each intervention in running order.
    const sections = fr.getByTestId('transcript-section');
    await expect.poll(() => sections.count()).toBe(3);
    expect(await sections.nth(0).innerText()).toContain('Avant et entre les interventions');
    expect(await sections.nth(0).innerText()).toContain(FR.welcome);
    expect(await sections.nth(1).getAttribute('data-item')).toBe('aix');
    expect(await sections.nth(1).innerText()).toContain(FR.aix2);
    expect(await sections.nth(2).innerText()).toContain(FR.granada1);
    expect(await fr.locator('[data-testid="transcript-line"][data-source="machine"]').count()).toBe(0);

    // A download goes through the page's key and keeps the server's file name.
    const [download] = await Promise.all([fr.waitForEvent('download'), fr.getByTestId('download-transcript.vtt').click()]);
    expect(download.suggestedFilename()).toBe(`tribune-${ev.event.code.toLowerCase()}-transcript-fr.vtt`);
    const vtt = fs.readFileSync((await download.path())!, 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    expect(vtt).toContain(FR.aix1);
    await expect.poll(() => fr.getByTestId('download-status').innerText()).toMatch(/Téléchargé/);

    // The Spanish transcript was machine-translated: said in words on every line.
    await fr.getByTestId('report-lang').selectOption('es');
    const machine = fr.locator('[data-testid="transcript-line"][data-source="machine"]');
    await expect.poll(() => machine.count()).toBeGreaterThan(0);
    expect(await machine.first().innerText()).toMatch(/traduction automatique/);
    // No Spanish summary: the French one, saying so.
    expect(await fr.getByTestId('summary-other').innerText()).toMatch(/Pas encore de résumé en espagnol ; voici celui en français/);
    await fr.getByTestId('report-lang').selectOption('fr');
    await expect.poll(() => fr.getByTestId('transcript-section').count()).toBe(3);

    await fr.screenshot({ path: path.join(ARTIFACTS, 'report-fr.png'), fullPage: true });
    await printed(fr, 'report-fr.pdf', 3);
  });

  it('a Hebrew reader gets it right to left, in Hebrew, on a phone at 200% text too', async () => {
    const ev = await seedEvening();
    const he = await page(1280, 900, 'he-IL');
    await he.goto(b.local(ev.links.report));
    await he.getByTestId('report-page').waitFor();
    await expect.poll(() => he.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    expect(await he.getByTestId('report-lang').inputValue()).toBe('he');
    await expect.poll(() => he.getByTestId('report-transcript').innerText()).toContain(HE.aix1);
    expect(await he.getByTestId('report-transcript').innerText()).toContain(HE.welcome);
    expect(await he.getByTestId('report-state').innerText()).toMatch(/הדוח הסופי/);
    // The French summary stands in for the Hebrew one, and says so.
    expect(await he.getByTestId('summary-other').innerText()).toMatch(/עדיין אין סיכום בעברית/);
    expect(await he.locator('.rp-lines').first().evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await he.screenshot({ path: path.join(ARTIFACTS, 'report-he.png'), fullPage: true });
    await printed(he, 'report-he.pdf', 3);

    // A phone with the text at 200%: nothing wider than the screen.
    const phone = await b.page(360, 740, true, { locale: 'he-IL' });
    await phone.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%')));
    await phone.goto(b.local(ev.links.report));
    await phone.getByTestId('report-transcript').waitFor();
    await expect.poll(() => phone.getByTestId('report-transcript').innerText()).toContain(HE.granada1);
    expect(await phone.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('32px');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'report-phone-he-200.png'), fullPage: true });
  });

  it('a missing or wrong key says so; a live report says it is live and refreshes', async () => {
    const ev = await seedEvening({ end: false, summary: false });
    const p = await page(1024, 768, 'en-US');
    await p.goto(`${b.url}/r/${ev.event.id}`);
    expect(await p.getByTestId('key-problem').getAttribute('data-code')).toBe('AUTH_FAILED');
    await p.goto(`${b.url}/r/${ev.event.id}#k=not-the-key`);
    await p.reload();
    await expect.poll(() => p.getByTestId('key-problem').getAttribute('data-code')).toBe('AUTH_FAILED');
    expect(await p.getByTestId('key-problem').innerText()).toMatch(/report link/);

    // English is not an event language: the floor language's transcript, the interface in English.
    await p.goto(b.local(ev.links.report));
    await p.reload();
    await p.getByTestId('report-page').waitFor();
    expect(await p.getByTestId('report-lang').inputValue()).toBe('fr');
    expect(await p.getByTestId('report-state').innerText()).toMatch(/still going on/);
    expect(await p.getByTestId('report-summary').innerText()).toMatch(/not written a summary yet/);
    const moderator = await connect(b.url, { eventId: ev.event.id, token: ev.secrets.moderator });
    sockets.push(moderator);
    await ok(moderator.send('phase:set', { phase: 'ended' }));
    await p.getByTestId('report-refresh').click();
    await expect.poll(() => p.getByTestId('report-state').innerText()).toMatch(/final report/);
    expect(await p.getByTestId('report-refresh').count()).toBe(0);
  });

  it('the tablet’s Report panel: speaking time, a summary saved in French, a machine draft in Spanish', async () => {
    const ev = await seedEvening({ summary: false });
    const tablet = await page(1024, 768, 'fr-FR', true);
    await tablet.goto(b.local(ev.links.moderator));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();
    const panel = tablet.getByTestId('report-panel');
    expect(await panel.getByTestId('report-content').count()).toBe(0); // closed: nothing fetched
    await panel.getByTestId('report-toggle').click();
    await expect.poll(() => panel.getByTestId('report-time-aix').innerText()).toMatch(/Aix speaker/);
    expect(await panel.getByTestId('report-time-granada').innerText()).toMatch(/Granada speaker/);
    expect(await panel.getByTestId('report-speaking-time-delegations').innerText()).toMatch(/Aix-en-Provence/);
    await panel.getByTestId('report-fold-ratings').click();
    expect(await panel.getByTestId('report-rating-aix-relevance-count').innerText()).toBe('2');
    expect(await panel.getByTestId('report-open-page').getAttribute('href')).toBe(`/r/${ev.event.id}#k=${ev.secrets.moderator}`);

    // A summary in French, saved: the report page shows it.
    expect(await panel.getByTestId('summary-lang').inputValue()).toBe('fr');
    await panel.getByTestId('summary-text').fill(SUMMARY_FR);
    await panel.getByTestId('summary-save').click();
    await expect.poll(() => panel.getByTestId('summary-status').innerText()).toMatch(/Enregistré/);
    // Spanish has none yet: a machine draft from the French one, labelled until edited and saved.
    await panel.getByTestId('summary-lang').selectOption('es');
    await panel.getByTestId('summary-draft').click();
    await expect.poll(() => panel.getByTestId('summary-text').inputValue()).toContain('[es] Une soirée riche');
    expect(await panel.getByTestId('summary-machine').innerText()).toMatch(/Brouillon automatique/);
    await panel.getByTestId('summary-text').fill('Una velada rica: tres ciudades, una misma pregunta.');
    await panel.getByTestId('summary-save').click();
    await expect.poll(() => panel.getByTestId('summary-machine').count()).toBe(0);

    // Next stays on screen with the panel open.
    const next = await tablet.getByTestId('next-button').boundingBox();
    expect(next && next.y >= 0 && next.y + next.height <= 768).toBe(true);
    await panel.scrollIntoViewIfNeeded();
    await tablet.screenshot({ path: path.join(ARTIFACTS, 'report-tablet.png') });

    const reader = await page(1024, 768, 'fr-FR');
    await reader.goto(`${b.url}${await panel.getByTestId('report-open-page').getAttribute('href')}`);
    await expect.poll(() => reader.getByTestId('summary-text').innerText()).toContain('Les habitants doivent rester au cœur du centre historique.');
    await reader.getByTestId('report-lang').selectOption('es');
    await expect.poll(() => reader.getByTestId('summary-text').innerText()).toContain('Una velada rica');
    expect(await reader.getByTestId('summary-machine').count()).toBe(0);
  });

  it('the admin page: Report opens the same panel for an event; new links include the report link', async () => {
    const ev = await seedEvening();
    const admin = await page(1280, 900, 'en-US');
    await admin.goto(`${b.url}/admin#k=${ADMIN_TOKEN}`);
    const row = admin.getByTestId(`event-${ev.event.code}`);
    await row.getByTestId(`report-${ev.event.code}`).click();
    await expect.poll(() => row.getByTestId('report-time-aix').innerText()).toMatch(/Aix speaker/);
    expect(await row.getByTestId('summary-text').inputValue()).toBe(SUMMARY_FR);
    await row.getByTestId('report-fold-participation').click();
    expect(await row.getByTestId('report-peak').innerText()).toMatch(/At most 3 phones/);
    expect(await row.getByTestId('report-participation-t2').innerText()).toMatch(/Pérouse\s+1/);
    await admin.screenshot({ path: path.join(ARTIFACTS, 'report-admin.png'), fullPage: true });

    await row.getByTestId(`renew-${ev.event.code}`).click();
    await row.getByTestId(`renew-yes-${ev.event.code}`).click();
    const link = await admin.getByTestId('link-report').innerText();
    expect(link).toMatch(new RegExp(`/r/${ev.event.id}#k=`));
    expect(link).not.toBe(ev.links.report); // the old report link is retired with the others
    expect(await admin.locator('.created').innerText()).toMatch(/cities that could not come/);
  });
});
