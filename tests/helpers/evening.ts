/**
 * An evening played through the real protocol, for the report's tests: the moderator, two
 * interpreters (fr, he) and four phones at tables t1/t2 of `sampleSetup` (tests/helpers/server.ts).
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { CreatedEvent } from '../../server/events/service.ts';
import type { Recorder } from './captions.ts';
import { eventually } from './eventually.ts';

// A letter first: an id starting with "-" would be written to CSV as a neutralised formula ("'-…").
const qid = () => `q${randomBytes(12).toString('base64url')}`;
const ok = async (p: Promise<unknown>) => expect(await p).toMatchObject({ ok: true });

/**
 * Two interventions with captions (one corrected, one interim), three questions (one answered,
 * one dismissed), votes and ratings, an audience peak of 4 (3 at t1, 1 at t2), then the end.
 * `open` connects a client (it records what it receives); returns the questions' ids.
 */
export async function playEvening(open: (auth: Record<string, unknown>) => Promise<Recorder>, ev: CreatedEvent) {
  const moderator = () => open({ eventId: ev.event.id, token: ev.secrets.moderator });
  const interpreter = (lang: string) => open({ eventId: ev.event.id, token: ev.secrets.interpreters[lang] });
  const phone = (table?: string, lang = 'fr') => open({ code: ev.event.code, lang, ...(table ? { table } : {}) });
  const m = await moderator();
  const [fr, he] = await Promise.all([interpreter('fr'), interpreter('he')]);
  const phones = await Promise.all([phone('t1'), phone('t1'), phone('t1', 'he'), phone('t2')]);
  await eventually(() => expect(m.latest().audience.connected).toBe(4));

  await ok(m.send('agenda:go', { itemId: 'aix' }));
  await ok(fr.send('caption:push', { id: 'fr-1', text: 'Bonsoir à tous', final: true }));
  await ok(fr.send('caption:push', { id: 'fr-2', text: 'Le centre <historique> & ses "usages"', final: true }));
  await ok(he.send('caption:push', { id: 'he-1', text: 'ערב טוב לכולם', final: true }));
  // A correction of fr-1: its text changes, its place and time stay.
  await ok(fr.send('caption:push', { id: 'fr-1', text: 'Bonsoir à toutes et à tous', final: true }));
  // An interim caption is never part of the transcript.
  await ok(fr.send('caption:push', { id: 'fr-3', text: 'en cours', final: false }));

  const ask = (p: Recorder, text: string) => p.send('question:ask', { id: qid(), text });
  const q1 = ((await ask(phones[0]!, 'Combien de places de stationnement ?')) as { data: { id: string } }).data.id;
  const q2 = ((await ask(phones[3]!, '=HYPERLINK("http://evil.test"), et "le bruit",\nla nuit ?')) as { data: { id: string } }).data.id;
  const q3 = ((await ask(phones[2]!, 'שאלה שנדחתה')) as { data: { id: string } }).data.id;
  await ok(m.send('question:moderate', { id: q1, status: 'live' }));
  await ok(m.send('question:moderate', { id: q2, status: 'live' }));
  await ok(m.send('question:moderate', { id: q3, status: 'dismissed' }));
  for (const p of phones.slice(0, 3)) await ok(p.send('question:vote', { id: q2, value: 1 }));
  await ok(phones[3]!.send('question:vote', { id: q1, value: 1 }));
  await ok(m.send('question:moderate', { id: q1, status: 'answered' }));

  await ok(phones[0]!.send('rating:set', { target: 'aix', indicator: 'relevance', score: 4 }));
  await ok(phones[3]!.send('rating:set', { target: 'aix', indicator: 'relevance', score: 2 }));
  await ok(phones[1]!.send('rating:set', { target: 'event', indicator: 'atmosphere', score: 5 }));

  await ok(m.send('agenda:next'));
  await ok(he.send('caption:push', { id: 'he-2', text: 'גרנדה מדברת', final: true }));
  // Two phones leave: the peak stays what it was.
  phones[0]!.close();
  phones[1]!.close();
  await eventually(() => expect(m.latest().audience.connected).toBe(2));
  await ok(m.send('phase:set', { phase: 'ended' }));
  return { q1, q2, q3 };
}

