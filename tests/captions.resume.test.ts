/**
 * Caption resume end to end, on both stores: a phone back from a Wi-Fi drop says which final it
 * holds last (`auth.captionsAfter`, or `lang:set {lang, after}`) and gets every final it missed,
 * whatever item it belongs to, once, oldest first — corrections made meanwhile included; more than
 * 500: the latest 500, `truncated`. Without it, the history is the item on stage's, as before.
 */
import { describe, expect, it } from 'vitest';
import type { Caption, CaptionHistory } from '../shared/captions.ts';
import { captionsOn } from './helpers/caption-logs.ts';
import { record, type Recorder } from './helpers/captions.ts';
import { eventually } from './helpers/eventually.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const lastFinalSeq = (h: CaptionHistory) => Math.max(...h.items.filter((c) => c.final).map((c) => c.seq));
const lines = (items: Caption[]) => items.map((c) => [c.id, c.itemId, c.text]);
const ascending = (items: Caption[]) => items.every((c, i) => i === 0 || items[i - 1]!.seq < c.seq);

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`caption resume on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, record); // each test's event: languages fr (floor), es, he; items aix, granada, coimbra
    const phone = (lang: string, extra: Record<string, unknown> = {}) => t.open({ code: t.ev.event.code, lang, ...extra });
    const interpreter = (lang: string) => t.open({ eventId: t.ev.event.id, token: t.ev.secrets.interpreters[lang] });
    const moderator = () => t.open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
    const push = async (i: Recorder, id: string, text: string, final = true) =>
      expect(await i.send('caption:push', { id, text, final })).toMatchObject({ ok: true });

    it('a phone back from a drop gets every final it missed, in both items, once, oldest first, with the correction made meanwhile', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const fr = await interpreter('fr');
      const es = await interpreter('es');
      await push(fr, 'a1', 'Bonsoir');
      await push(fr, 'a2', 'Le centre historique');
      const p = await phone('fr');
      const held = lastFinalSeq(p.histories.at(-1)!);
      p.close();

      await push(fr, 'a3', 'Les usa', false); // interim: never resumed
      await push(fr, 'a3', 'Les usages du centre');
      await push(fr, 'a2', 'Le centre historique, corrigé'); // a correction of a line the phone holds
      await push(es, 'e1', 'Buenas noches'); // another language
      expect(await m.send('agenda:next')).toEqual({ ok: true }); // the stage moves on
      await push(fr, 'g1', 'Grenade');
      await push(fr, 'g2', 'La Alhambra');
      await push(fr, 'g3', 'En cou', false);

      await p.reconnect({ captionsAfter: { fr: held } });
      const h = p.histories.at(-1)!;
      expect(h).toMatchObject({ lang: 'fr', itemId: null, after: held, truncated: false });
      expect(lines(h.items)).toEqual([
        ['a3', 'aix', 'Les usages du centre'],
        ['a2', 'aix', 'Le centre historique, corrigé'],
        ['g1', 'granada', 'Grenade'],
        ['g2', 'granada', 'La Alhambra'],
      ]);
      expect(ascending(h.items) && h.items.every((c) => c.final && c.seq > held)).toBe(true);
      expect(h.lastSeq).toBeGreaterThanOrEqual(h.items.at(-1)!.seq);
      // Live captions follow, as before.
      await push(fr, 'g4', 'Merci');
      await eventually(() => expect(p.captions.map((c) => c.id)).toContain('g4'));

      // Without captionsAfter, as before: the item on stage only (what a phone lost until now).
      await p.reconnect();
      expect(p.histories.at(-1)).toMatchObject({ lang: 'fr', itemId: 'granada' });
      expect(p.histories.at(-1)!.items.map((c) => c.id)).toEqual(['g1', 'g2', 'g4']);
    });

    it('more than 500 missed: the latest 500, oldest first, and truncated', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const fr = await interpreter('fr');
      await push(fr, 'before', 'Avant la coupure');
      const p = await phone('fr');
      const held = lastFinalSeq(p.histories.at(-1)!);
      p.close();
      // Written to the server's own log, as its captions domain writes: 505 pushes would take a
      // minute under the per-socket command budget (10 a second).
      const captions = captionsOn(t.backend.logs, t.backend.ephemeral).seqs;
      for (let n = 0; n < 505; n++) {
        await captions.appendFinal(t.ev.event.id, {
          lang: 'fr',
          id: `b${n}`,
          itemId: n < 300 ? 'aix' : 'granada',
          text: `ligne ${n}`,
          source: 'human',
          at: Date.now(),
        });
      }
      await p.reconnect({ captionsAfter: { fr: held } });
      const h = p.histories.at(-1)!;
      expect(h).toMatchObject({ lang: 'fr', itemId: null, after: held, truncated: true });
      expect(h.items.map((c) => c.id)).toEqual(Array.from({ length: 500 }, (_, n) => `b${n + 5}`));
      expect(ascending(h.items)).toBe(true);
      // Holding the last of them, nothing is missing.
      await p.reconnect({ captionsAfter: { fr: h.items.at(-1)!.seq } });
      expect(p.histories.at(-1)).toMatchObject({ itemId: null, items: [], truncated: false });
    });

    it('lang:set with after resumes that language; without it, the item on stage; a bad after is INVALID_PAYLOAD', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const he = await interpreter('he');
      await push(he, 'h1', 'ערב טוב');
      const p = await phone('he');
      const held = lastFinalSeq(p.histories.at(-1)!);
      expect(await p.send('lang:set', { lang: 'fr' })).toEqual({ ok: true });
      await push(he, 'h2', 'העיר העתיקה');
      await m.send('agenda:next');
      await push(he, 'h3', 'גרנדה');

      expect(await p.send('lang:set', { lang: 'he', after: held })).toEqual({ ok: true });
      // The history arrives before the acknowledgement.
      expect(p.histories.at(-1)).toMatchObject({ lang: 'he', itemId: null, after: held, truncated: false });
      expect(lines(p.histories.at(-1)!.items)).toEqual([
        ['h2', 'aix', 'העיר העתיקה'],
        ['h3', 'granada', 'גרנדה'],
      ]);
      expect(await p.send('lang:set', { lang: 'he' })).toEqual({ ok: true });
      expect(p.histories.at(-1)).toMatchObject({ lang: 'he', itemId: 'granada' });
      expect(p.histories.at(-1)!.items.map((c) => c.id)).toEqual(['h3']);
      for (const after of [-1, 1.5, '3']) {
        expect(await p.send('lang:set', { lang: 'he', after })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      }
    });

    it('captionsAfter counts per language, and a malformed one is ignored: the item on stage, as before', async () => {
      const m = await moderator();
      await m.send('agenda:next');
      const fr = await interpreter('fr');
      const es = await interpreter('es');
      await push(fr, 'f1', 'Bonsoir');
      await push(es, 'e1', 'Buenas noches');
      await push(es, 'e2', 'Bienvenidos');
      const held = (await es.send('caption:push', { id: 'e3', text: 'Granada', final: true })) as { data: { seq: number } };

      // A moderator resumes Spanish only; the other languages come as the item on stage's.
      const mod = await moderator();
      const before = mod.histories.length;
      await mod.reconnect({ captionsAfter: { es: held.data.seq - 1 } });
      await eventually(() => expect(mod.histories.length).toBe(before + 3));
      const byLang = Object.fromEntries(mod.histories.slice(before).map((x) => [x.lang, x]));
      expect(Object.keys(byLang).sort()).toEqual(['es', 'fr', 'he']);
      expect(byLang.es).toMatchObject({ itemId: null, after: held.data.seq - 1 });
      expect(byLang.es!.items.map((c) => c.id)).toEqual(['e3']);
      expect(byLang.fr).toMatchObject({ itemId: 'aix' });
      expect(byLang.fr!.items.map((c) => c.id)).toEqual(['f1']);

      const many = Object.fromEntries(['fr', 'es', 'he', 'it', 'pt', 'de', 'en', 'ar', 'ca', 'eu', 'gl', 'nl', 'pl'].map((l) => [l, 0]));
      for (const bad of ['garbage', [1], { fr: -1 }, { fr: 1.5 }, { fr: '0' }, { FR: 0 }, { 'fr-FR': 0 }, many]) {
        const p = await phone('fr', { captionsAfter: bad });
        const h = p.histories.at(-1)!;
        expect(h).toMatchObject({ lang: 'fr', itemId: 'aix' });
        expect(h.after).toBeUndefined();
        expect(h.items.map((c) => c.id)).toEqual(['f1']);
      }
    });
  });
}
