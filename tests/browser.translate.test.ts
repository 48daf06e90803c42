/**
 * Machine translation on the box in real Chromium, with Debian's real Apertium: the admin page
 * says what the box reaches (Hebrew needs an interpreter); a Spanish question reaches the tablet
 * with its French translation, an Italian phone in Italian with the original one tap away (also
 * right to left and at 200% text), the projector in the floor language with the original below;
 * an Italian phone reads a French interpreter's lines as machine captions; a French poll reaches an
 * Italian phone in Italian (the original a tap away), the projector as written. axe-core on each view.
 * Screenshots go to artifacts/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../server/backend.ts';
import type { EventSetupInput } from '../shared/schemas.ts';
import { apertiumAvailable } from './helpers/apertium.ts';
import { seriousViolations } from './helpers/axe.ts';
import { ARTIFACTS, chromiumAvailable, useBrowserServer } from './helpers/browser.ts';
import { record } from './helpers/captions.ts';
import { connectP } from './helpers/polls.ts';
import { connectQ } from './helpers/questions.ts';
import { ADMIN_TOKEN, createTestEvent, sampleSetup } from './helpers/server.ts';

const setup: EventSetupInput = { ...sampleSetup, languages: ['fr', 'es', 'it', 'he'], moderation: 'pre' };

describe.skipIf(!chromiumAvailable || !apertiumAvailable)('machine translation on the box in Chromium (real Apertium)', () => {
  const b = useBrowserServer('mt', (dataDir) => openBackend({ kind: 'memory', dataDir, translate: { engine: 'apertium' } }));

  async function joinPhone(p: Page, code: string, lang: string) {
    await p.goto(`${b.url}/e/${code}`);
    await p.getByTestId('join-table').selectOption('t1');
    await p.getByTestId('join-language').selectOption(lang);
    await p.getByTestId('join-go').click();
    await p.getByTestId('conn').and(p.locator('[data-state="connected"]')).waitFor();
  }

  it('the admin page lists what the box translates into and from, and what needs an interpreter', { timeout: 120_000 }, async () => {
    const laptop = await b.page(1280, 900, false, { locale: 'en-GB' });
    await laptop.goto(`${b.url}/admin#k=${ADMIN_TOKEN}`);
    await laptop.getByTestId('admin-translation').waitFor();
    await expect.poll(() => laptop.getByTestId('mt-engine').innerText()).toMatch(/Apertium/);
    await expect.poll(() => laptop.getByTestId('mt-fr').innerText()).toMatch(/Translated into: English \(via Spanish\), Spanish, Italian \(via Spanish\), Portuguese \(via Spanish\)/);
    expect(await laptop.getByTestId('mt-he').getAttribute('data-reach')).toBe('none');
    expect(await laptop.getByTestId('mt-he').innerText()).toMatch(/needs an interpreter/);
    expect(await laptop.getByTestId('mt-ar').getAttribute('data-reach')).toBe('none');
    await laptop.getByTestId('admin-translation').screenshot({ path: path.join(ARTIFACTS, 'translate-admin.png') });
    expect(await seriousViolations(laptop)).toEqual([]);
  });

  it('a Spanish question: the tablet shows its French translation, an Italian phone reads it in Italian, the projector in French above the original', { timeout: 120_000 }, async () => {
    const ev = await createTestEvent(b.url, setup);
    const tablet = await b.page(1024, 768, true);
    const projector = await b.page(1920, 1080, false);
    const phone = await b.page(360, 740, true);
    await tablet.goto(b.local(ev.links.moderator));
    await projector.goto(b.local(ev.links.projector));
    await tablet.getByTestId('conn').and(tablet.locator('[data-state="connected"]')).waitFor();
    await joinPhone(phone, ev.event.code, 'it');

    const asker = await connectQ(b.url, { code: ev.event.code, lang: 'es' });
    try {
      const ask = await asker.ask('El centro histórico');
      expect(ask).toMatchObject({ ok: true });
      const id = (ask as { data: { id: string } }).data.id;

      // The tablet: the original, and the machine translation into its language (the floor's, French).
      await expect.poll(() => tablet.getByTestId(`mq-text-${id}`).innerText()).toBe('El centro histórico');
      await expect.poll(() => tablet.getByTestId(`mq-text-${id}-translation`).innerText()).toMatch(/Le centre historique$/);
      expect(await seriousViolations(tablet)).toEqual([]);
      await tablet.getByTestId(`approve-${id}`).click();

      // The Italian phone: the question in Italian, labelled machine; the original one tap away.
      await phone.getByTestId('questions-button').click();
      const item = phone.locator(`[data-testid="question-item"][data-question-id="${id}"]`);
      await expect.poll(() => item.getByTestId('question-text').innerText()).toBe('Il centro storico');
      expect(await item.getByTestId('question-text').getAttribute('lang')).toBe('it');
      await phone.screenshot({ path: path.join(ARTIFACTS, 'translate-phone-question.png') });
      expect(await seriousViolations(phone)).toEqual([]);
      await item.getByTestId('question-text-toggle').click();
      await expect.poll(() => item.getByTestId('question-text').innerText()).toBe('El centro histórico');
      expect(await item.getByTestId('question-text-toggle').getAttribute('aria-pressed')).toBe('true');
      await item.getByTestId('question-text-toggle').click();
      await expect.poll(() => item.getByTestId('question-text').innerText()).toBe('Il centro storico');

      // The projector: the floor language's translation, the original below.
      await tablet.getByTestId(`show-${id}`).click();
      await expect.poll(() => projector.getByTestId('projector-question-text').innerText()).toBe('Le centre historique');
      await expect.poll(() => projector.getByTestId('projector-question-text-original').innerText()).toBe('El centro histórico');
      await projector.screenshot({ path: path.join(ARTIFACTS, 'translate-projector-question.png') });
      expect(await seriousViolations(projector)).toEqual([]);
    } finally {
      asker.close();
    }
  });

  it('right to left and at 200% text: a Hebrew-interface phone keeps the toggle usable', { timeout: 120_000 }, async () => {
    const ev = await createTestEvent(b.url, { ...setup, moderation: 'post' });
    const phone = await b.page(360, 740, true, { locale: 'he-IL' });
    await phone.addInitScript(() => document.addEventListener('DOMContentLoaded', () => (document.documentElement.style.fontSize = '200%')));
    // Hebrew is out of Apertium's reach: the Hebrew reader gets the original, no toggle.
    await joinPhone(phone, ev.event.code, 'he');
    const asker = await connectQ(b.url, { code: ev.event.code, lang: 'es' });
    try {
      const ask = await asker.ask('La ciudad');
      const id = (ask as { data: { id: string } }).data.id;
      await phone.getByTestId('questions-button').click();
      const item = phone.locator(`[data-testid="question-item"][data-question-id="${id}"]`);
      await expect.poll(() => item.getByTestId('question-text').innerText()).toBe('La ciudad');
      expect(await item.getByTestId('question-text-toggle').count()).toBe(0);
      expect(await phone.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await seriousViolations(phone)).toEqual([]);
      await phone.screenshot({ path: path.join(ARTIFACTS, 'translate-phone-he-200.png') });
    } finally {
      asker.close();
    }
  });

  it("an Italian phone reads a French interpreter's final lines as machine captions", { timeout: 120_000 }, async () => {
    const ev = await createTestEvent(b.url, setup);
    const phone = await b.page(360, 740, true);
    await joinPhone(phone, ev.event.code, 'it');
    const interpreter = await record(b.url, { eventId: ev.event.id, token: ev.secrets.interpreters.fr });
    try {
      await expect.poll(() => interpreter.statuses.at(-1)?.machine).toEqual(['es', 'it']);
      await interpreter.send('caption:push', { id: 'f1', text: 'Le maire parle.', final: true });
      await expect.poll(() => phone.locator('body').innerText(), { timeout: 10_000 }).toContain('Il sindaco parla.');
      await phone.screenshot({ path: path.join(ARTIFACTS, 'translate-phone-caption.png') });
      expect(await seriousViolations(phone)).toEqual([]);
    } finally {
      interpreter.close();
    }
  });

  it('a French poll: an Italian phone reads it in Italian, the original a tap away, and votes; the projector shows it as written', { timeout: 120_000 }, async () => {
    const ev = await createTestEvent(b.url, setup);
    const phone = await b.page(360, 740, true);
    const projector = await b.page(1920, 1080, false);
    await projector.goto(b.local(ev.links.projector));
    await joinPhone(phone, ev.event.code, 'it');
    const mod = await connectP(b.url, { eventId: ev.event.id, token: ev.secrets.moderator, lang: 'fr' });
    try {
      const id = await mod.create('Le centre historique', ['Bonjour', 'Merci beaucoup']);
      expect(await mod.send('poll:open', { id })).toMatchObject({ ok: true });
      expect(await mod.send('projector:show', { mode: 'poll', pollId: id })).toMatchObject({ ok: true });

      const card = phone.getByTestId(`poll-${id}`);
      await expect.poll(() => card.getByTestId(`poll-question-${id}`).innerText()).toBe('Il centro storico');
      expect(await card.getByTestId(`poll-question-${id}`).getAttribute('lang')).toBe('it');
      expect(await card.getByTestId('poll-option-1').locator('span[lang]').getAttribute('lang')).toBe('it');
      expect(await card.innerText()).toMatch(/machine translation of the poll/);
      await phone.screenshot({ path: path.join(ARTIFACTS, 'translate-phone-poll.png') });
      expect(await seriousViolations(phone)).toEqual([]);
      await card.getByTestId(`poll-toggle-${id}`).click();
      await expect.poll(() => card.getByTestId(`poll-question-${id}`).innerText()).toBe('Le centre historique');
      expect(await card.getByTestId('poll-option-1').innerText()).toMatch(/Merci beaucoup/);
      await card.getByTestId(`poll-toggle-${id}`).click();
      await expect.poll(() => card.getByTestId(`poll-question-${id}`).innerText()).toBe('Il centro storico');
      // A translated answer is the same answer: the ballot names its index.
      await card.getByTestId('poll-option-1').click();
      await expect.poll(() => mod.view.get(id)?.results).toEqual([0, 1]);
      expect(await card.getByTestId('poll-option-1').getAttribute('aria-pressed')).toBe('true');

      // The projector reads the floor language, the poll's own: as written, nothing below.
      await expect.poll(() => projector.getByTestId('projector-poll-question').innerText()).toBe('Le centre historique');
      expect(await projector.getByTestId('projector-poll-original').count()).toBe(0);
    } finally {
      mod.close();
    }
  });

  it('the interpreter is told plainly whether dictation works without the internet in this browser', { timeout: 120_000 }, async () => {
    const ev = await createTestEvent(b.url, setup);
    const laptop = await b.page(1280, 800, false, { locale: 'en-GB' });
    await laptop.goto(b.local(ev.links.interpreters.fr!));
    await laptop.getByTestId('mic-toggle').waitFor();
    // What this Chromium says of on-device recognition of French, asked directly.
    const says = await laptop.evaluate(async () => {
      type Ctor = { available?(o: { langs: string[]; processLocally: boolean }): Promise<string> };
      const w = window as unknown as { SpeechRecognition?: Ctor; webkitSpeechRecognition?: Ctor };
      const C = w.SpeechRecognition ?? w.webkitSpeechRecognition;
      if (!C) return 'none';
      if (typeof C.available !== 'function') return 'unknown';
      try {
        return await C.available({ langs: ['fr'], processLocally: true });
      } catch {
        return 'unknown';
      }
    });
    if (says === 'none') {
      await expect.poll(() => laptop.getByTestId('mic-why').innerText()).toMatch(/no speech recognition/);
      expect(await laptop.getByTestId('mic-local').count()).toBe(0);
    } else {
      const expected = ['available', 'downloadable', 'downloading', 'unavailable'].includes(says) ? says : 'unknown';
      await expect.poll(() => laptop.getByTestId('mic-local').getAttribute('data-local')).toBe(expected);
      const text = await laptop.getByTestId('mic-local').innerText();
      if (expected === 'available') expect(text).toMatch(/without the internet/);
      else if (expected === 'downloadable') expect(await laptop.getByTestId('mic-install').count()).toBe(1);
      else if (expected !== 'downloading') expect(text).toMatch(/without the internet at the venue, dictation will not work\. Typing always works\./);
    }
    await laptop.screenshot({ path: path.join(ARTIFACTS, 'translate-interpreter-dictation.png') });
    expect(await seriousViolations(laptop)).toEqual([]);
  });
});
