/**
 * The report's downloads as another program reads them, on both stores: a caption is text in
 * both transcripts (`&`, `<`, `>` escaped in SubRip as in WebVTT, so `<b>` or `<img …>` typed by an
 * interpreter is never markup), and no question cell of questions.csv starts a formula, in ASCII
 * or full-width (`＝` `＋` `－` `＠`).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { record } from './helpers/captions.ts';
import { csvRecords, parseSrt, parseVtt } from './helpers/report-files.ts';
import { storeKinds } from './helpers/stores.ts';
import { useServerSuite } from './helpers/suite.ts';

const ok = async (p: Promise<unknown>) => expect(await p).toMatchObject({ ok: true });
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const CAPTIONS = ['Le <b>centre</b> & ses <img src=x onerror=alert(1)> usages', 'avant --> après'];
const FORMULAS = ['=1+1', '+33 6 12', '-2', '@SUM(A1)', '＝HYPERLINK("http://evil.test")', '＋1', '－1', '＠SUM(A1)'];

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`report downloads on the ${kind.name} store`, () => {
    const t = useServerSuite(kind, record);
    const get = async (file: string) => {
      const res = await fetch(`${t.url}/api/events/${t.ev.event.id}/report/${file}`, { headers: { authorization: `Bearer ${t.ev.secrets.report}` } });
      expect(res.status).toBe(200);
      return res.text();
    };

    it('transcripts carry captions as text: SubRip escapes &, <, > as WebVTT does', async () => {
      const m = await t.open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
      const fr = await t.open({ eventId: t.ev.event.id, token: t.ev.secrets.interpreters.fr });
      await ok(m.send('agenda:go', { itemId: 'aix' }));
      for (const [n, text] of CAPTIONS.entries()) await ok(fr.send('caption:push', { id: `fr-${n}`, text, final: true }));

      const srtText = await get('transcript.srt?lang=fr');
      expect(srtText).not.toMatch(/<b>|<img|<\/b>/);
      const srt = parseSrt(srtText);
      expect(srt.map((c) => c.text)).toEqual(['Le &lt;b&gt;centre&lt;/b&gt; &amp; ses &lt;img src=x onerror=alert(1)&gt; usages', 'avant --&gt; après']);
      expect(srt.map((c) => decode(c.text))).toEqual(CAPTIONS);
      // The same text as the WebVTT file, escaped the same way.
      expect(parseVtt(await get('transcript.vtt?lang=fr')).map((c) => c.text)).toEqual(CAPTIONS);
    });

    it('no question cell starts a formula, ASCII or full-width', async () => {
      const m = await t.open({ eventId: t.ev.event.id, token: t.ev.secrets.moderator });
      // Two phones: a phone may ask only a few questions a minute.
      const phones = [await t.open({ code: t.ev.event.code }), await t.open({ code: t.ev.event.code })];
      for (const [n, text] of FORMULAS.entries()) {
        const asked = (await phones[n % 2]!.send('question:ask', { id: randomBytes(12).toString('base64url'), text })) as { data: { id: string } };
        await ok(m.send('question:moderate', { id: asked.data.id, status: 'live' }));
      }
      const rows = csvRecords(await get('questions.csv'));
      expect(rows.map((r) => r.text).sort()).toEqual(FORMULAS.map((f) => `'${f}`).sort());
    });
  });
}
