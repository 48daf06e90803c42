/**
 * Captions end to end: a real server on port 0, real sockets, against both stores. Routing by
 * language, interim/final replacement, history (late join, language switch, reconnect), roles,
 * limits, corrections, glossary, presence per language, restart, and machine translation against
 * a local LibreTranslate stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { openBackend, type BackendConfig } from '../server/backend.ts';
import { fakeTranslator, record, type Recorder } from './helpers/captions.ts';
import { REDIS_URL } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { createTestEvent, type TestServer } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const slow = { timeout: 5000 };

function backendConfig(kind: 'memory' | 'redis', location: string, translateUrl?: string): BackendConfig {
  const extra = translateUrl ? { translateUrl } : {};
  return kind === 'memory'
    ? { kind: 'memory', dataDir: location, ...extra }
    : { kind: 'redis', url: REDIS_URL, prefix: location, ...extra };
}

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`captions on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, record); // each test's event: languages fr (floor), es, he
    const { open, clients } = t;
    const phone = (lang: string) => open({ code: t.ev.event.code, lang });
    const interpreter = (lang: string) => open({ eventId: t.ev.event.id, token: t.ev.secrets.interpreters[lang] });
    const moderator = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const projector = () => open({ eventId: t.ev.event.id, token: t.ev.secrets.projector });
    const push = (i: Recorder, id: string, text: string, final = false) => i.send('caption:push', { id, text, final });

    async function restart(translateUrl?: string) {
      clients.splice(0).forEach((c) => c.close());
      await t.restart((location) => openBackend(backendConfig(kind.name, location, translateUrl)));
    }

    it('routes by language: a French phone never receives a Spanish caption; moderators and the projector get all', async () => {
      const m = await moderator();
      expect(await m.send('agenda:next')).toEqual({ ok: true });
      const [fr, es, mod, proj, iFr, iEs] = await Promise.all([
        phone('fr'),
        phone('es'),
        moderator(),
        projector(),
        interpreter('fr'),
        interpreter('es'),
      ]);
      expect(await push(iEs, 'es-1', 'Buenas noches')).toMatchObject({ ok: true, data: { seq: expect.any(Number) } });
      expect(await push(iEs, 'es-1', 'Buenas noches a todos', true)).toMatchObject({ ok: true });
      expect(await push(iFr, 'fr-1', 'Bonsoir à tous', true)).toMatchObject({ ok: true });

      await eventually(() => expect(fr.captions.map((c) => c.id)).toEqual(['fr-1']));
      await eventually(() => expect(es.captions.map((c) => c.text)).toEqual(['Buenas noches', 'Buenas noches a todos']));
      await eventually(() => expect(mod.captions).toHaveLength(3));
      await eventually(() => expect(proj.captions).toHaveLength(3));
      await eventually(() => expect(iFr.captions.map((c) => c.id)).toEqual(['fr-1']));
      await eventually(() => expect(iEs.captions).toHaveLength(2));
      // One more French caption: by the time it arrives, a stray Spanish one would have too.
      await push(iFr, 'fr-2', 'Merci', true);
      await eventually(() => expect(fr.captions.map((c) => c.id)).toEqual(['fr-1', 'fr-2']));
      expect(fr.captions.every((c) => c.lang === 'fr')).toBe(true);
      expect(iFr.captions.every((c) => c.lang === 'fr')).toBe(true);
      expect(fr.captions[0]).toMatchObject({ lang: 'fr', itemId: 'aix', final: true, source: 'human', text: 'Bonsoir à tous' });
    });

    it('interim updates of one segment share its id, with increasing seq; the final fixes it', async () => {
      const es = await phone('es');
      const i = await interpreter('es');
      for (const text of ['Con', 'Conservar', 'Conservar una ciudad']) expect((await push(i, 'seg', text)).ok).toBe(true);
      const done = await push(i, 'seg', 'Conservar una ciudad histórica.', true);
      await eventually(() => expect(es.captions).toHaveLength(4));
      expect(es.captions.map((c) => c.final)).toEqual([false, false, false, true]);
      expect(new Set(es.captions.map((c) => c.id))).toEqual(new Set(['seg']));
      const seqs = es.captions.map((c) => c.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(4);
      expect(done).toEqual({ ok: true, data: { seq: seqs[3] } });
      expect(es.captions[3]!.itemId).toBeNull(); // nothing on stage yet
    });

    it('a phone that joins late gets the finals of the item on stage, without interim ones, once each', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const i = await interpreter('fr');
      await push(i, 'a', 'premier', true);
      await push(i, 'b', 'deux');
      await push(i, 'b', 'deuxième', true);
      await push(i, 'c', 'en cours'); // interim: not history
      const late = await phone('fr');
      const h = late.histories.at(-1)!;
      expect(h).toMatchObject({ lang: 'fr', itemId: 'aix' });
      expect(h.items.map((c) => [c.id, c.text, c.final])).toEqual([
        ['a', 'premier', true],
        ['b', 'deuxième', true],
      ]);
      // The next item starts a new section: a phone joining now gets that item's history (empty).
      await m.send('agenda:next');
      await eventually(() => expect(late.latest().stage.itemId).toBe('granada'));
      const later = await phone('fr');
      expect(later.histories.at(-1)).toEqual({ lang: 'fr', itemId: 'granada', items: [], lastSeq: expect.any(Number) });
      await push(i, 'd', 'Granada', true);
      await eventually(() => expect(later.captions.map((c) => [c.id, c.itemId])).toEqual([['d', 'granada']]));
    });

    it('a language switch brings that language’s history and only its captions from then on', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const iFr = await interpreter('fr');
      const iHe = await interpreter('he');
      await push(iHe, 'h1', 'ערב טוב', true);
      const p = await phone('fr');
      expect(await p.send('lang:set', { lang: 'he' })).toEqual({ ok: true });
      // The history arrives before the acknowledgement.
      expect(p.histories.at(-1)).toMatchObject({ lang: 'he', items: [{ id: 'h1', text: 'ערב טוב' }] });
      await push(iFr, 'f1', 'bonsoir', true);
      await push(iHe, 'h2', 'תודה', true);
      await eventually(() => expect(p.captions.map((c) => c.id)).toEqual(['h2']));
      expect(await p.send('lang:set', { lang: 'xx' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    });

    it('a phone that was offline gets, on reconnect, everything fixed meanwhile: no gap, no duplicate', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const i = await interpreter('es');
      const p = await phone('es');
      await push(i, 's1', 'uno', true);
      await eventually(() => expect(p.captions).toHaveLength(1));
      p.close();
      for (const n of ['dos', 'tres', 'cuatro']) await push(i, `s-${n}`, n, true);
      await p.reconnect();
      const h = p.histories.at(-1)!;
      expect(h.items.map((c) => c.text)).toEqual(['uno', 'dos', 'tres', 'cuatro']);
      expect(new Set(h.items.map((c) => c.seq)).size).toBe(4);
      expect(h.items[0]!.seq).toBe(p.captions[0]!.seq); // the one it had: same seq, so merged, not doubled
    });

    it('roles: phones, moderators and the projector cannot push; an interpreter pushes only its own language', async () => {
      const [a, m, pr] = await Promise.all([phone('fr'), moderator(), projector()]);
      for (const c of [a, m, pr]) {
        expect(await push(c, 'x', 'hello', true)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        expect(await c.send('caption:push', 'garbage')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      const i = await interpreter('he');
      const fr = await phone('fr');
      const he = await phone('he');
      expect(await i.send('caption:push', { id: 'x', text: 'שלום', final: true, lang: 'fr' })).toMatchObject({ ok: true });
      await eventually(() => expect(he.captions.map((c) => c.lang)).toEqual(['he']));
      expect(await i.send('lang:set', { lang: 'fr' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(fr.captions).toEqual([]);
      expect(await a.send('glossary:set', { entries: [] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await i.send('glossary:set', { entries: [] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await i.send('captions:display', { langs: ['fr'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });

    it('limits: text over 1000 characters and empty finals are refused; an interim flood is coalesced, never refused', async () => {
      const i = await interpreter('fr');
      const p = await phone('fr');
      expect(await push(i, 'big', 'x'.repeat(1001))).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(await push(i, 'big', 'x'.repeat(1000), true)).toMatchObject({ ok: true });
      expect(await push(i, 'empty', '   ', true)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(await i.send('caption:push', { id: 'bad id!', text: 'x', final: false })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PAYLOAD' },
      });
      await eventually(() => expect(p.captions).toHaveLength(1));

      // Nothing the interpreter types is refused: past the interim budget, the segment's latest text
      // waits and is relayed once the budget allows (coalesced), so phones get a bounded number of
      // updates and the last one is the latest text.
      const acks = await Promise.all(Array.from({ length: 25 }, (_, n) => push(i, 'flood', `typing ${n}`)));
      expect(acks.every((a) => a.ok)).toBe(true);
      expect(acks.some((a) => a.ok && (a.data as { coalesced?: boolean }).coalesced)).toBe(true);
      await eventually(() => expect(p.captions.filter((c) => c.id === 'flood').at(-1)?.text).toBe('typing 24'));
      const relayed = p.captions.filter((c) => c.id === 'flood').length;
      expect(relayed).toBeLessThanOrEqual(12);
      await push(i, 'after', 'fin', true);
      await eventually(() => expect(p.captions.at(-1)?.id).toBe('after'));
      // A final drops its segment's waiting interim text: the phone never sees it after the final.
      const more = await Promise.all(Array.from({ length: 25 }, (_, n) => push(i, 'gone', `draft ${n}`)));
      expect(more.every((a) => a.ok)).toBe(true);
      await push(i, 'gone', 'fixed', true);
      await eventually(() => expect(p.captions.at(-1)).toMatchObject({ id: 'gone', text: 'fixed', final: true }));
      await push(i, 'last', 'end', true);
      await eventually(() => expect(p.captions.at(-1)?.id).toBe('last'));
      const afterFinal = p.captions.slice(p.captions.findIndex((c) => c.id === 'gone' && c.final));
      expect(afterFinal.filter((c) => c.id === 'gone' && !c.final)).toEqual([]);
    });

    it('corrections: the last few finals are replaced in place on every screen; older ones are CONFLICT', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const i = await interpreter('fr');
      const p = await phone('fr');
      for (const n of [1, 2, 3, 4, 5, 6]) await push(i, `s${n}`, `segment ${n}`, true);
      expect(await push(i, 's6', 'segment six', true)).toMatchObject({ ok: true });
      expect(await push(i, 's2', 'segment deux', true)).toMatchObject({ ok : true });
      expect(await push(i, 's1', 'trop tard', true)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      await eventually(() => expect(p.captions.at(-1)).toMatchObject({ id: 's2', text: 'segment deux', final: true }));
      const late = await phone('fr');
      expect(late.histories.at(-1)!.items.map((c) => c.text)).toEqual([
        'segment 1',
        'segment deux',
        'segment 3',
        'segment 4',
        'segment 5',
        'segment six',
      ]);
    });

    it('glossary: the moderator edits it, interpreters see it at once and on connect', async () => {
      const m = await moderator();
      const i = await interpreter('es');
      const entries = [
        { term: 'Ashkelon', note: 'אשקלון · Ascalón' },
        { term: 'Pérouse', note: 'Perugia' },
      ];
      expect(await m.send('glossary:set', { entries })).toEqual({ ok: true });
      await eventually(() => expect(i.glossaries.at(-1)?.entries).toEqual(entries));
      const later = await interpreter('he');
      await eventually(() => expect(later.glossaries.at(-1)?.entries).toEqual(entries));
      const p = await phone('fr');
      expect(p.glossaries).toEqual([]);
      expect(await m.send('glossary:set', { entries: [{ term: '' }] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    });

    it('interpreters see how many phones follow their language; everyone sees who captions what', async () => {
      const i = await interpreter('he');
      await phone('he');
      await phone('he');
      await phone('fr');
      await eventually(() => expect(i.audiences.at(-1)?.phones).toEqual({ he: 2, fr: 1 }), slow);
      expect(i.audiences.at(-1)?.interpreters).toEqual({ he: 1 });
      const p = await phone('es');
      await eventually(() => expect(p.statuses.at(-1)).toEqual({ human: ['he'], machine: [] }), slow);
      const es = await interpreter('es');
      await eventually(() => expect(p.statuses.at(-1)?.human).toEqual(['es', 'he']), slow);
      es.close();
      await eventually(() => expect(p.statuses.at(-1)?.human).toEqual(['he']), slow);
      await p.send('lang:set', { lang: 'he' });
      await eventually(() => expect(i.audiences.at(-1)?.phones).toEqual({ he: 3, fr: 1 }), slow);
    });

    it('the projector shows the captions languages the moderator chooses', async () => {
      const m = await moderator();
      const pr = await projector();
      expect(pr.displays.at(-1)).toEqual({ langs: ['fr'] }); // default: the floor language (no English here)
      expect(await m.send('captions:display', { langs: ['fr', 'he'] })).toEqual({ ok: true });
      await eventually(() => expect(pr.displays.at(-1)).toEqual({ langs: ['fr', 'he'] }));
      await eventually(() => expect(pr.histories.some((h) => h.lang === 'he')).toBe(true));
      expect(await m.send('captions:display', { langs: ['fr', 'de'] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(await m.send('captions:display', { langs: ['fr', 'es', 'he'] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    });

    it('a restart keeps the final captions, and seq goes on increasing', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const i = await interpreter('he');
      await push(i, 'r1', 'לפני', true);
      const last = await push(i, 'r2', 'בהקלדה');
      const lastSeq = (last as { data: { seq: number } }).data.seq;
      await restart();
      const p = await phone('he');
      expect(p.histories.at(-1)!.items.map((c) => c.text)).toEqual(['לפני']);
      const i2 = await interpreter('he');
      const after = await push(i2, 'r3', 'אחרי', true);
      expect((after as { data: { seq: number } }).data.seq).toBeGreaterThan(lastSeq);
    });

    describe('machine translation', () => {
      let translator: Awaited<ReturnType<typeof fakeTranslator>>;
      let mode: 'ok' | 'slow' | 'fail' = 'ok';

      beforeAll(async () => {
        translator = await fakeTranslator((req) => {
          if (mode === 'fail') return { status: 500 };
          return { text: `[${req.target}] ${req.q}`, delayMs: mode === 'slow' ? 1500 : 0 };
        });
        await restart(translator.url);
      });
      afterAll(async () => {
        await restart();
        await translator.close();
      });

      it('translates floor-language finals into languages nobody interprets, labelled machine; a person always wins', async () => {
        mode = 'ok';
        const m = await moderator();
        await m.send('agenda:next');
        const iFr = await interpreter('fr');
        const iEs = await interpreter('es');
        const [he, es, fr] = await Promise.all([phone('he'), phone('es'), phone('fr')]);
        await eventually(() => expect(he.statuses.at(-1)).toEqual({ human: ['fr', 'es'], machine: ['he'] }), slow);

        await push(iFr, 'f1', 'bonsoir');
        expect(await push(iFr, 'f1', 'Bonsoir à tous', true)).toMatchObject({ ok: true });
        await eventually(() =>
          expect(he.captions).toEqual([
            expect.objectContaining({ lang: 'he', id: 'm_f1', itemId: 'aix', text: '[he] Bonsoir à tous', final: true, source: 'machine' }),
          ]),
        );
        expect(translator.requests.at(-1)).toEqual({ q: 'Bonsoir à tous', source: 'fr', target: 'he', format: 'text' });
        // Spanish has its interpreter: no machine caption there, ever.
        await push(iEs, 'e1', 'Buenas noches', true);
        await eventually(() => expect(es.captions.map((c) => c.id)).toEqual(['e1']));
        expect(translator.requests.some((r) => r.target === 'es')).toBe(false);
        expect(fr.captions.every((c) => c.source === 'human')).toBe(true);
        // Machine finals are stored: a late Hebrew phone gets them in its history.
        const late = await phone('he');
        expect(late.histories.at(-1)!.items).toMatchObject([{ id: 'm_f1', source: 'machine' }]);
        // A correction of the source is translated again, replacing the machine segment.
        await push(iFr, 'f1', 'Bonsoir à toutes et à tous', true);
        await eventually(() => expect(he.captions.at(-1)).toMatchObject({ id: 'm_f1', text: '[he] Bonsoir à toutes et à tous' }));
        // A Hebrew interpreter arrives: from then on, a person captions Hebrew.
        await interpreter('he');
        await eventually(() => expect(he.statuses.at(-1)).toEqual({ human: ['fr', 'es', 'he'], machine: [] }), slow);
        const before = translator.requests.length;
        await push(iFr, 'f2', 'Merci', true);
        await eventually(() => expect(fr.captions.at(-1)?.id).toBe('f2'));
        expect(translator.requests.length).toBe(before);
      });

      it('a slow or failing translator never delays human captions', async () => {
        const m = await moderator();
        await m.send('agenda:next');
        const iFr = await interpreter('fr');
        const [he, fr] = await Promise.all([phone('he'), phone('fr')]);
        await eventually(() => expect(he.statuses.at(-1)?.machine).toEqual(['es', 'he']), slow);

        mode = 'slow';
        expect(await push(iFr, 's1', 'lentement', true)).toMatchObject({ ok: true });
        // The human caption is there while the translation is still pending.
        await eventually(() => expect(fr.captions.map((c) => c.id)).toEqual(['s1']));
        expect(he.captions).toEqual([]);
        await push(iFr, 's2', 'encore', true);
        await eventually(() => expect(fr.captions.map((c) => c.id)).toEqual(['s1', 's2']));
        expect(he.captions).toEqual([]);
        await eventually(() => expect(he.captions.map((c) => c.id).sort()).toEqual(['m_s1', 'm_s2']), slow);

        mode = 'fail';
        expect(await push(iFr, 's3', 'échec', true)).toMatchObject({ ok: true });
        await eventually(() => expect(fr.captions.map((c) => c.id)).toEqual(['s1', 's2', 's3']));
        await eventually(() => expect(translator.requests.filter((r) => r.q === 'échec')).toHaveLength(2));
        await push(iFr, 's4', 'après', true);
        await eventually(() => expect(fr.captions.at(-1)?.id).toBe('s4'));
        expect(he.captions.map((c) => c.id).sort()).toEqual(['m_s1', 'm_s2']);
      });
    });
  });
}

describe.skipIf(!storeKinds[1]!.available)('captions across two server processes on one Redis', () => {
  const { servers, tracked } = useRedisPair<Recorder>('captions-multi');

  it('an interpreter on A reaches phones on B; seq is one sequence; phones are counted over both', async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const ev = await createTestEvent(a.url);
    const open = tracked(record);
    const iA = await open(a.url, { eventId: ev.event.id, token: ev.secrets.interpreters.es });
    const iB = await open(b.url, { eventId: ev.event.id, token: ev.secrets.interpreters.es });
    const phoneB = await open(b.url, { code: ev.event.code, lang: 'es' });
    const frB = await open(b.url, { code: ev.event.code, lang: 'fr' });
    await open(a.url, { code: ev.event.code, lang: 'es' });
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, n) => (n % 2 ? iA : iB).send('caption:push', { id: `s${n}`, text: `t${n}`, final: n % 3 === 0 })),
    );
    expect(acks.every((x) => x.ok)).toBe(true);
    await eventually(() => expect(phoneB.captions).toHaveLength(10));
    expect(new Set(phoneB.captions.map((c) => c.seq)).size).toBe(10);
    await eventually(() => expect(iA.audiences.at(-1)?.phones).toEqual({ es: 2, fr: 1 }), { timeout: 5000 });
    await eventually(() => expect(iB.audiences.at(-1)?.interpreters).toEqual({ es: 2 }), { timeout: 5000 });
    const late = await open(a.url, { code: ev.event.code, lang: 'es' });
    const items = late.histories.at(-1)!.items;
    expect(items.map((c) => c.id).sort()).toEqual(['s0', 's3', 's6', 's9']);
    expect(items.map((c) => c.seq)).toEqual(items.map((c) => c.seq).sort((x, y) => x - y)); // stored order
    expect(frB.captions).toEqual([]);
  });
});
