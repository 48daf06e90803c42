/**
 * Machine translation on the box against Debian's real Apertium: pairs found by primary tag,
 * long-lived processes in null-flush mode, pivots, a process killed or hanging, the queue, the cache.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../server/backend.ts';
import type { Question } from '../shared/questions.ts';
import type { EventSetupInput } from '../shared/schemas.ts';
import { connectQ } from './helpers/questions.ts';
import { connectP } from './helpers/polls.ts';
import type { Poll } from '../shared/polls.ts';
import { record } from './helpers/captions.ts';
import { ADMIN_TOKEN, createTestEvent, sampleSetup, startBackendServer, type TestServer } from './helpers/server.ts';
import type { TranslationReach } from '../shared/translation.ts';
import { ApertiumPipe, createApertium, escapeForApertium, unescapeFromApertium } from '../server/translate/apertium.ts';
import { apertiumEngine, ENGINE_DEFAULTS, openTranslation, type TranslationEngine } from '../server/translate/engine.ts';
import { choosePairs, primaryTag } from '../server/translate/languages.ts';
import { readConfig } from '../server/config.ts';
import { QuestionTranslations } from '../server/questions/translations.ts';
import { apertiumAvailable, apertiumDir } from './helpers/apertium.ts';
import { eventually } from './helpers/eventually.ts';

describe('language names', () => {
  it('reads Debian mode names by primary tag; a plain mode wins over a variant; other modes are not pairs', () => {
    expect(primaryTag('spa')).toBe('es');
    expect(primaryTag('pt_BR')).toBe('pt');
    expect(primaryTag('en-US')).toBe('en');
    const pairs = choosePairs(['eco-fr-es', 'eng-spa', 'es-pt_BR', 'es-pt', 'spa-eng_US', 'fr-es', 'fr-es-morph', 'ita-spa']);
    expect([...pairs.keys()].sort()).toEqual(['en>es', 'es>en', 'es>pt', 'fr>es', 'it>es']);
    expect(pairs.get('es>pt')!.mode).toBe('es-pt');
    expect(pairs.get('es>en')!.mode).toBe('spa-eng_US');
  });

  it('reads TRANSLATE_ENGINE, TRANSLATE_URL and APERTIUM_DIR from the environment', () => {
    expect(readConfig({})).toMatchObject({ translateEngine: 'auto', translateUrl: null, apertiumDir: null });
    expect(readConfig({ TRANSLATE_ENGINE: 'None', TRANSLATE_URL: 'http://10.0.0.5:5000', APERTIUM_DIR: '/opt/apertium' })).toMatchObject({
      translateEngine: 'none',
      translateUrl: 'http://10.0.0.5:5000',
      apertiumDir: '/opt/apertium',
    });
    expect(() => readConfig({ TRANSLATE_ENGINE: 'google' })).toThrow(/TRANSLATE_ENGINE must be auto, apertium or none/);
    // No pair in a folder: no engine, whatever is on PATH.
    expect(openTranslation({ engine: 'apertium', apertiumDir: '/nonexistent' })).toBeNull();
  });

  it('escapes what the stream format treats as markup, and undoes it', () => {
    const text = 'a [b] ^c$ <d> e/f @g {h} \\i ~j #k';
    expect(escapeForApertium(text)).toBe('a \\[b\\] \\^c\\$ \\<d\\> e\\/f \\@g \\{h\\} \\\\i \\~j \\#k');
    expect(unescapeFromApertium(escapeForApertium(text))).toBe(text);
    expect(escapeForApertium(' two\nlines\0 ')).toBe('two lines');
  });
});

describe.skipIf(!apertiumAvailable)('Apertium on the box (real processes)', () => {
  const opened: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  function engine(opts: { timeoutMs?: number } = {}): { engine: TranslationEngine; apertium: ReturnType<typeof createApertium> } {
    const apertium = createApertium({ dataDir: apertiumDir!, ...opts });
    const e = apertiumEngine(apertium);
    opened.push(e);
    return { engine: e, apertium };
  }

  it('chooses Apertium when no server is named, and nothing with TRANSLATE_ENGINE=none', async () => {
    const auto = openTranslation({});
    opened.push(auto!);
    expect(auto?.name()).toBe('apertium');
    expect(openTranslation({ engine: 'none' })).toBeNull();
  });

  it('reaches pairs directly or through one pivot, and says which it cannot', () => {
    const { engine: e } = engine();
    expect(e.reach('fr', 'es')).toEqual({ kind: 'direct' });
    expect(e.reach('es', 'en')).toEqual({ kind: 'direct' });
    expect(e.reach('fr', 'it')).toEqual({ kind: 'pivot', via: 'es' });
    expect(e.reach('fr', 'pt')).toEqual({ kind: 'pivot', via: 'es' });
    expect(e.reach('fr', 'en')).toEqual({ kind: 'pivot', via: 'es' });
    expect(e.reach('fr', 'he')).toBeNull();
    expect(e.reach('ar', 'fr')).toBeNull();
    expect(e.reach('fr', 'fr')).toBeNull();
  });

  it('translates a direct pair, line after line, on one long-lived process', async () => {
    const { engine: e, apertium } = engine();
    expect(await e.translate('Le maire parle.', 'fr', 'es')).toBe('El alcalde habla.');
    expect(await e.translate('Nous avons trois questions', 'fr', 'es')).toBe('Tenemos tres cuestiones');
    // Markup-like characters are text.
    expect(await e.translate('Le maire [ou] le <conseil>', 'fr', 'es')).toMatch(/^El alcalde \[o\] el <consejo>$/);
    expect(apertium.pipes.get('fr>es')!.starts).toBe(1);
  });

  it('translates through a pivot: French to Italian and Portuguese via Spanish', async () => {
    const { engine: e } = engine();
    const [it_, pt] = await Promise.all([e.translate('Le maire parle.', 'fr', 'it'), e.translate('Le maire parle.', 'fr', 'pt')]);
    expect(it_).toBe('Il sindaco parla.');
    expect(pt).toBe('O prefeito fala.');
    // Concurrent lines of one pair are queued on its one process, each answered in order.
    const lines = ['Bonjour', 'Merci beaucoup', 'La ville', 'Le centre historique'];
    const out = await Promise.all(lines.map((l) => e.translate(l, 'fr', 'es')));
    expect(out).toEqual(['Buenos días', 'Muchas gracias', 'La ciudad', 'El centro histórico']);
  });

  it('a killed process is restarted at the next line; the line it held gets null', async () => {
    const { engine: e, apertium } = engine();
    expect(await e.translate('La ville', 'fr', 'es')).toBe('La ciudad');
    const pipe = apertium.pipes.get('fr>es')!;
    const pid = pipe.pid!;
    process.kill(-pid, 'SIGKILL');
    await eventually(() => expect(pipe.pid).toBeNull());
    expect(await e.translate('Le centre historique', 'fr', 'es')).toBe('El centro histórico');
    expect(pipe.pid).not.toBe(pid);
    expect(pipe.starts).toBe(2);
    // Killed mid-line: that line is dropped (null), the next one works.
    // (Written to the process synchronously; killed before this process reads any answer.)
    const held = e.translate('Les habitants du centre', 'fr', 'es');
    expect(pipe.pid).not.toBeNull();
    process.kill(-pipe.pid!, 'SIGKILL');
    const after = e.translate('Merci beaucoup', 'fr', 'es');
    expect(await held).toBeNull();
    expect(await after).toBe('Muchas gracias');
    expect(pipe.starts).toBe(3);
  });

  it('a line past its timeout gets null, the process is killed and the next line starts a new one', async () => {
    // A pipe whose process is stopped (SIGSTOP) hangs: the timeout is the only way out.
    const pipe = new ApertiumPipe('fr-es', { dataDir: apertiumDir!, timeoutMs: 1500, startupMs: 30_000, maxQueue: 5, staleMs: 60_000 });
    opened.push(pipe);
    expect(await pipe.translate('La ville')).toBe('La ciudad');
    const pid = pipe.pid!;
    process.kill(-pid, 'SIGSTOP');
    expect(await pipe.translate('Le maire')).toBeNull();
    expect(pipe.pid === null || pipe.pid !== pid).toBe(true);
    expect(await pipe.translate('Le maire')).toBe('El alcalde');
    expect(pipe.starts).toBe(2);
  });

  it('a full queue drops its oldest lines; stale lines are dropped when their turn comes', async () => {
    const pipe = new ApertiumPipe('fr-es', { dataDir: apertiumDir!, timeoutMs: 10_000, startupMs: 30_000, maxQueue: 2, staleMs: 60_000 });
    opened.push(pipe);
    expect(await pipe.translate('La ville')).toBe('La ciudad');
    const all = ['Deux', 'Trois', 'Quatre', 'Cinq', 'Six'].map((l) => pipe.translate(l));
    // One in the process, two waiting: the two oldest waiting were dropped.
    expect(await Promise.all(all)).toEqual(['Dos', null, null, 'Cinco', 'Seis']);

    const stale = new ApertiumPipe('fr-es', { dataDir: apertiumDir!, timeoutMs: 10_000, startupMs: 30_000, maxQueue: 5, staleMs: 0 });
    opened.push(stale);
    // The first line is written at once; the second waits (>0 ms) and is then too old.
    const [a, b] = await Promise.all([stale.translate('La ville'), stale.translate('Le maire')]);
    expect(a).toBe('La ciudad');
    expect(b).toBeNull();
  });

  it('caches by (from, to, text): a repeated line is translated once, in flight or after', async () => {
    const { engine: e, apertium } = engine();
    const first = e.translate('Le maire parle', 'fr', 'it');
    const again = e.translate('Le maire parle', 'fr', 'it');
    expect(again).toBe(first);
    expect(await first).toBe('Il sindaco parla');
    const pipe = apertium.pipes.get('fr>es')!;
    // Nothing reaches the process for a cached line: kill it and the answer still comes, no restart.
    process.kill(-pipe.pid!, 'SIGKILL');
    await eventually(() => expect(pipe.pid).toBeNull());
    expect(await e.translate('Le maire parle', 'fr', 'it')).toBe('Il sindaco parla');
    expect(pipe.starts).toBe(1);
  });

  it('a question translation that misses its copy is handed over when it comes (never lost, never waited for)', async () => {
    const { engine: e } = engine();
    const impatient = new QuestionTranslations(e, 0);
    const late: { id: string; translation: { lang: string; text: string } }[] = [];
    const out = await impatient.into([{ id: 'q1', text: 'Le centre historique', lang: 'fr' }], 'it', (q) => late.push(q));
    expect(out).toEqual([{ id: 'q1', text: 'Le centre historique', lang: 'fr', translation: null }]);
    await eventually(() => expect(late).toEqual([{ id: 'q1', text: 'Le centre historique', lang: 'fr', translation: { lang: 'it', text: 'Il centro storico' } }]));
    // Once done it is cached: a patient reader gets it in the copy itself.
    const patient = new QuestionTranslations(e, 10_000);
    expect(await patient.one({ text: 'Le centre historique', lang: 'fr' }, 'it')).toEqual({ lang: 'it', text: 'Il centro storico' });
    expect(await patient.one({ text: 'Le centre historique', lang: 'fr' }, 'he')).toBeNull();
    expect(await patient.one({ text: 'Le centre historique', lang: 'fr' }, 'fr')).toBeNull();
  });

  it('refuses what it cannot do without starting anything: no pair, too long, empty', async () => {
    const { engine: e, apertium } = engine();
    expect(await e.translate('Bonjour', 'fr', 'he')).toBeNull();
    expect(await e.translate('x'.repeat(ENGINE_DEFAULTS.maxChars + 1), 'fr', 'es')).toBeNull();
    expect(await e.translate('   ', 'fr', 'es')).toBeNull();
    expect(apertium.pipes.size).toBe(0);
  });
});

/**
 * A server with every domain on the embedded store, translating with `engine`, for the calling
 * describe: started before its tests, closed after them (read `url` and `backend` in the tests).
 */
function useTranslatingServer(engine: 'apertium' | 'none'): { readonly url: string; readonly backend: Backend } {
  let backend: Backend;
  let server: TestServer;
  beforeAll(async () => {
    backend = await openBackend({ kind: 'memory', translate: { engine } });
    server = await startBackendServer(backend);
  });
  afterAll(async () => {
    await server?.close();
    await backend?.close();
  });
  return {
    get url() {
      return server.url;
    },
    get backend() {
      return backend;
    },
  };
}

/** `connect` for the calling describe: the clients a test opened are closed after it. */
function useClients<C extends { close(): void }>(connect: (url: string, auth: Record<string, unknown>) => Promise<C>) {
  const clients: C[] = [];
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  return async (url: string, auth: Record<string, unknown>) => {
    const c = await connect(url, auth);
    clients.push(c);
    return c;
  };
}

describe.skipIf(!apertiumAvailable)('machine captions through Apertium, end to end (real server, sockets, processes)', () => {
  const server = useTranslatingServer('apertium');
  const connect = useClients(record);
  const open = (auth: Record<string, unknown>) => connect(server.url, auth);
  const setup: EventSetupInput = { ...sampleSetup, languages: ['fr', 'it', 'pt', 'he'] };

  it("a French interpreter's final reaches Italian and Portuguese phones as machine lines; corrections replace them; a person takes over", async () => {
    const ev = await createTestEvent(server.url, setup);
    const phone = (lang: string) => open({ code: ev.event.code, lang });
    const interpreter = (lang: string) => open({ eventId: ev.event.id, token: ev.secrets.interpreters[lang] });
    const [it_, pt, he, fr] = await Promise.all([phone('it'), phone('pt'), phone('he'), phone('fr')]);
    // Nobody captions French yet: no machine line anywhere.
    await eventually(() => expect(it_.statuses.at(-1)).toEqual({ human: [], machine: [] }));
    const iFr = await interpreter('fr');
    // Hebrew is out of Apertium's reach: it needs an interpreter.
    await eventually(() => expect(it_.statuses.at(-1)).toEqual({ human: ['fr'], machine: ['it', 'pt'] }));

    expect(await iFr.send('caption:push', { id: 'f1', text: 'Le maire parle.', final: true })).toMatchObject({ ok: true });
    await eventually(() => expect(fr.captions.map((c) => c.id)).toEqual(['f1']));
    await eventually(() =>
      expect(it_.captions).toEqual([expect.objectContaining({ lang: 'it', id: 'm_f1', text: 'Il sindaco parla.', final: true, source: 'machine' })]),
    );
    await eventually(() => expect(pt.captions).toEqual([expect.objectContaining({ lang: 'pt', id: 'm_f1', text: 'O prefeito fala.', source: 'machine' })]));

    // A correction of the source replaces the machine line in place (same id).
    await iFr.send('caption:push', { id: 'f1', text: 'La ville parle.', final: true });
    await eventually(() => expect(it_.captions.at(-1)).toMatchObject({ id: 'm_f1', text: 'La città parla.', source: 'machine' }));
    const late = await phone('it');
    expect(late.histories.at(-1)!.items).toMatchObject([{ id: 'm_f1', text: 'La città parla.', source: 'machine' }]);

    // The engine's processes are killed mid-evening: the next line still comes (a new process).
    const procs = server.backend.translation!.processes();
    expect(procs.map((p) => p.mode).sort()).toEqual(['es-pt', 'fr-es', 'spa-ita']);
    for (const p of procs) process.kill(-p.pid, 'SIGKILL');
    await eventually(() => expect(server.backend.translation!.processes()).toEqual([]));
    await iFr.send('caption:push', { id: 'f2', text: 'Le centre historique', final: true });
    await eventually(() => expect(it_.captions.at(-1)).toMatchObject({ id: 'm_f2', text: 'Il centro storico', source: 'machine' }));

    // An Italian interpreter arrives: a person captions Italian from then on, no machine line there.
    const iIt = await interpreter('it');
    await eventually(() => expect(it_.statuses.at(-1)).toEqual({ human: ['fr', 'it'], machine: ['pt'] }));
    await iFr.send('caption:push', { id: 'f3', text: 'Merci beaucoup', final: true });
    await iIt.send('caption:push', { id: 'i3', text: 'Grazie mille', final: true });
    await eventually(() => expect(pt.captions.at(-1)).toMatchObject({ id: 'm_f3', text: 'Muito obrigado', source: 'machine' }));
    await eventually(() => expect(it_.captions.at(-1)).toMatchObject({ id: 'i3', source: 'human' }));
    expect(it_.captions.some((c) => c.id === 'm_f3')).toBe(false);
    expect(he.captions).toEqual([]);
  });
});

describe.skipIf(!apertiumAvailable)('questions in each reader\'s language through Apertium (real server, sockets, processes)', () => {
  const server = useTranslatingServer('apertium');
  const connect = useClients(connectQ);
  const open = (auth: Record<string, unknown>) => connect(server.url, auth);
  const setup: EventSetupInput = { ...sampleSetup, languages: ['fr', 'es', 'it', 'he'], moderation: 'pre' };

  it('a Spanish question reaches moderators, phones and the projector each in their language, the original kept', async () => {
    const ev = await createTestEvent(server.url, setup);
    const phone = (lang: string) => open({ code: ev.event.code, lang });
    const [modFr, modEs, es, it_, he, fr, proj] = await Promise.all([
      open({ eventId: ev.event.id, token: ev.secrets.moderator, lang: 'fr' }),
      open({ eventId: ev.event.id, token: ev.secrets.moderator, lang: 'es' }),
      phone('es'),
      phone('it'),
      phone('he'),
      phone('fr'),
      open({ eventId: ev.event.id, token: ev.secrets.projector }),
    ]);
    const ask = await es.ask('El centro histórico');
    expect(ask).toMatchObject({ ok: true, data: { text: 'El centro histórico', lang: 'es', status: 'pending' } });
    const id = (ask as { data: Question }).data.id;
    // The asker's own copy is in their language: nothing to translate.
    expect((ask as { data: Question }).data.translation ?? null).toBeNull();

    // Pending: moderators see the original and a translation into their own language.
    await eventually(() => expect(modFr.view.get(id)).toMatchObject({ text: 'El centro histórico', translation: { lang: 'fr', text: 'Le centre historique' } }));
    await eventually(() => expect(modEs.view.get(id)).toMatchObject({ text: 'El centro histórico', translation: null }));
    expect(it_.view.has(id)).toBe(false);

    expect(await modFr.send('question:moderate', { id, status: 'live' })).toMatchObject({ ok: true });
    await eventually(() => expect(it_.view.get(id)).toMatchObject({ status: 'live', text: 'El centro histórico', translation: { lang: 'it', text: 'Il centro storico' } }));
    await eventually(() => expect(fr.view.get(id)).toMatchObject({ status: 'live', translation: { lang: 'fr', text: 'Le centre historique' } }));
    // Hebrew: no pair reaches it; the reader gets the original.
    await eventually(() => expect(he.view.get(id)).toMatchObject({ status: 'live', translation: null }));
    await eventually(() => expect(es.view.get(id)).toMatchObject({ status: 'live' }));
    expect(es.view.get(id)!.translation ?? null).toBeNull();
    // The projector reads the floor language (French), the original below.
    await eventually(() => expect(proj.view.get(id)).toMatchObject({ translation: { lang: 'fr', text: 'Le centre historique' } }));
    proj.received.length = 0;
    expect(await modFr.send('projector:show', { mode: 'question', questionId: id })).toMatchObject({ ok: true });
    await eventually(() => expect(proj.received.at(-1)).toMatchObject({ id, translation: { lang: 'fr', text: 'Le centre historique' } }));

    // A late reader's snapshot and pages carry its language's translation; a language change re-sends them.
    const late = await phone('it');
    await eventually(() => expect(late.snapshots.at(-1)?.find((q) => q.id === id)).toMatchObject({ translation: { lang: 'it', text: 'Il centro storico' } }));
    expect(await late.send('questions:more', { offset: 0, limit: 10 })).toMatchObject({
      ok: true,
      data: { items: [expect.objectContaining({ id, translation: { lang: 'it', text: 'Il centro storico' } })] },
    });
    expect(await late.send('lang:set', { lang: 'fr' })).toMatchObject({ ok: true });
    await eventually(() => expect(late.snapshots.at(-1)?.find((q) => q.id === id)).toMatchObject({ translation: { lang: 'fr', text: 'Le centre historique' } }));
  });
});

describe.skipIf(!apertiumAvailable)("polls in each reader's language through Apertium (real server, sockets, processes)", () => {
  const server = useTranslatingServer('apertium');
  const offServer = useTranslatingServer('none');
  const open = useClients(connectP);
  const setup: EventSetupInput = { ...sampleSetup, languages: ['fr', 'es', 'it', 'he'] };

  it('a French poll reaches a Spanish phone translated, an Italian one through the pivot, a French one as written; the vote reply carries it', async () => {
    const ev = await createTestEvent(server.url, setup);
    const phone = (lang: string) => open(server.url, { code: ev.event.code, lang });
    const [modEs, es, it_, fr, he, proj] = await Promise.all([
      open(server.url, { eventId: ev.event.id, token: ev.secrets.moderator, lang: 'es' }),
      phone('es'),
      phone('it'),
      phone('fr'),
      phone('he'),
      open(server.url, { eventId: ev.event.id, token: ev.secrets.projector }),
    ]);
    const id = await modEs.create('Le centre historique', ['Bonjour', 'Merci beaucoup']);
    const spanish = { lang: 'es', question: 'El centro histórico', options: ['Buenos días', 'Muchas gracias'] };
    // A draft: the moderator (Spanish) sees it translated; the projector reads the floor language, the poll's own.
    await eventually(() => expect(modEs.view.get(id)).toMatchObject({ status: 'draft', question: 'Le centre historique', translation: spanish }));
    await eventually(() => expect(proj.view.get(id)).toMatchObject({ status: 'draft', translation: null }));
    expect(es.view.has(id)).toBe(false);

    expect(await modEs.send('poll:open', { id })).toMatchObject({ ok: true });
    await eventually(() => expect(es.view.get(id)).toMatchObject({ status: 'open', options: ['Bonjour', 'Merci beaucoup'], translation: spanish }));
    const [q, o1, o2] = await Promise.all(['Le centre historique', 'Bonjour', 'Merci beaucoup'].map((t) => server.backend.translation!.translate(t, 'fr', 'it')));
    expect(q).toBe('Il centro storico');
    const italian = { lang: 'it', question: q, options: [o1, o2] };
    await eventually(() => expect(it_.view.get(id)).toMatchObject({ status: 'open', translation: italian }));
    await eventually(() => expect(fr.view.get(id)).toMatchObject({ status: 'open', translation: null }));
    // Hebrew: no pair reaches it; the original only.
    await eventually(() => expect(he.view.get(id)).toMatchObject({ status: 'open', translation: null }));

    // The vote's reply carries the voter's translation (already made: it does not wait).
    const ack = await it_.send('poll:vote', { id, choices: [1] });
    expect(ack).toMatchObject({ ok: true, data: { id, mine: [1], translation: italian } });
    expect(await fr.send('poll:vote', { id, choices: [0] })).toMatchObject({ ok: true, data: { id, mine: [0], translation: null } });
    // Counts that follow keep it.
    await eventually(() => expect(es.received.at(-1)).toMatchObject({ id, total: 2, translation: spanish }));

    // A late phone's snapshot is translated; a language change sends them again in the new one.
    const late = await phone('es');
    expect(late.snapshots.at(-1)!.find((p: Poll) => p.id === id)).toMatchObject({ translation: spanish });
    expect(await late.send('lang:set', { lang: 'it' })).toMatchObject({ ok: true });
    await eventually(() => expect(late.snapshots.at(-1)!.find((p: Poll) => p.id === id)).toMatchObject({ translation: italian }));
  });

  it('with TRANSLATE_ENGINE=none a poll carries no translation at all', async () => {
    const ev = await createTestEvent(offServer.url, setup);
    const mod = await open(offServer.url, { eventId: ev.event.id, token: ev.secrets.moderator, lang: 'es' });
    const es = await open(offServer.url, { code: ev.event.code, lang: 'es' });
    const id = await mod.create('Le centre historique', ['Bonjour', 'Merci beaucoup']);
    expect(await mod.send('poll:open', { id })).toMatchObject({ ok: true });
    await eventually(() => expect(es.view.get(id)).toMatchObject({ status: 'open' }));
    const ack = await es.send('poll:vote', { id, choices: [0] });
    expect(ack.ok && 'translation' in (ack.data as Poll)).toBe(false);
    expect('translation' in es.view.get(id)!).toBe(false);
  });
});

describe.skipIf(!apertiumAvailable)('GET /api/translation: what the box reaches (admin page)', () => {
  const server = useTranslatingServer('apertium');
  const offServer = useTranslatingServer('none');
  const get = (url: string, query = '', token: string | null = ADMIN_TOKEN) =>
    fetch(`${url}/api/translation${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('lists, per language, what it can be translated into and from, with the pivot; Hebrew and Arabic need interpreters', async () => {
    const res = await get(server.url);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TranslationReach;
    expect(body.engine).toBe('apertium');
    expect(body.languages.map((l) => l.lang)).toEqual(['en', 'fr', 'de', 'es', 'it', 'pt', 'he', 'ar']);
    const of = (lang: string) => body.languages.find((l) => l.lang === lang)!;
    expect(of('fr').into).toEqual([
      { lang: 'en', via: 'es' },
      { lang: 'es', via: null },
      { lang: 'it', via: 'es' },
      { lang: 'pt', via: 'es' },
    ]);
    expect(of('es').into).toEqual([
      { lang: 'en', via: null },
      { lang: 'fr', via: null },
      { lang: 'it', via: null },
      { lang: 'pt', via: null },
    ]);
    expect(of('pt').from).toContainEqual({ lang: 'fr', via: 'es' });
    for (const l of ['he', 'ar', 'de']) expect(of(l)).toEqual({ lang: l, into: [], from: [] });

    const asked = (await (await get(server.url, '?langs=fr,he,it')).json()) as TranslationReach;
    expect(asked.languages).toEqual([
      { lang: 'fr', into: [{ lang: 'it', via: 'es' }], from: [{ lang: 'it', via: 'es' }] },
      { lang: 'he', into: [], from: [] },
      { lang: 'it', into: [{ lang: 'fr', via: 'es' }], from: [{ lang: 'fr', via: 'es' }] },
    ]);
  });

  it('is the admin\'s: no token, a wrong one or bad languages are refused; TRANSLATE_ENGINE=none reaches nothing', async () => {
    expect((await get(server.url, '', null)).status).toBe(401);
    expect((await get(server.url, '', 'wrong-token')).status).toBe(401);
    const bad = await get(server.url, '?langs=fr,<script>');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_PAYLOAD');
    const none = (await (await get(offServer.url, '?langs=fr,es')).json()) as TranslationReach;
    expect(none).toEqual({ engine: null, languages: [{ lang: 'fr', into: [], from: [] }, { lang: 'es', into: [], from: [] }] });
  });
});
