/**
 * Plays a short demo evening on a running Tribune, so its report has something to show:
 * `npm run demo:evening -- '<admin link printed by npm start>'`
 *
 * Creates a new event modelled on the twinned-cities dinner-debate, then through the real
 * protocol: the moderator puts each delegation on stage, interpreters caption in French, English,
 * Hebrew and the speaker's language, phones at the four tables ask, vote and rate, the moderator
 * answers questions and ends the evening, and a French summary is written. Prints the links.
 */
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { demoSetup } from '../server/events/demo.ts';
import type { CreatedEvent } from '../server/events/service.ts';

const link = process.argv[2];
const parsed = link ? /^(https?:\/\/[^/]+)\/admin#k=(.+)$/.exec(link) : null;
if (!parsed) {
  console.error("usage: npm run demo:evening -- 'http://<host>:<port>/admin#k=<admin token>'  (the admin link npm start prints)");
  process.exit(2);
}
const [, base, token] = parsed as unknown as [string, string, string];
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = () => randomBytes(12).toString('base64url');

/** Two lines per intervention in each language an interpreter covers. */
const lines: Record<string, Record<string, string[]>> = {
  aix: {
    fr: ['Le caractère « typique » du centre fait sa richesse.', 'Mais la voirie, le stationnement et les usages se heurtent : il faut une nouvelle gouvernance.'],
    en: ['The “typical” character of the centre is its wealth.', 'But roads, parking and uses collide: a new governance is needed.'],
    he: ['האופי ה„טיפוסי” של המרכז הוא עושרו.', 'אבל כבישים, חניה ושימושים מתנגשים: נדרש ממשל חדש.'],
  },
  granada: {
    es: ['Granada es Patrimonio Mundial desde 1984.', 'Conservar exige normas claras y vecinos que se queden en el centro.'],
    fr: ['Grenade est inscrite au patrimoine mondial depuis 1984.', 'Conserver exige des règles claires et des habitants qui restent au centre.'],
    en: ['Granada has been a World Heritage site since 1984.', 'Conservation needs clear rules and residents who stay in the centre.'],
    he: ['גרנדה היא אתר מורשת עולמית מאז 1984.', 'שימור דורש כללים ברורים ותושבים שנשארים במרכז.'],
  },
  coimbra: {
    pt: ['Reabilitamos casas antigas com cal, madeira e cortiça.', 'Os materiais locais cumprem as normas de sustentabilidade.'],
    fr: ['Nous réhabilitons des maisons anciennes avec la chaux, le bois et le liège.', 'Les matériaux locaux respectent les normes de développement durable.'],
    en: ['We rehabilitate old houses with lime, timber and cork.', 'Local materials meet the sustainability standards.'],
    he: ['אנו משקמים בתים ישנים בסיד, עץ ושעם.', 'חומרים מקומיים עומדים בתקני הקיימות.'],
  },
  perugia: {
    it: ['Il minimetrò collega la stazione al centro storico.', 'La politica deve scegliere l’interesse generale, non quello di pochi.'],
    fr: ['Le minimétro relie la gare au centre historique.', 'Le politique doit choisir l’intérêt général, pas celui de quelques-uns.'],
    en: ['The minimetro links the station to the historic centre.', 'Politics must choose the general interest, not that of a few.'],
    he: ['המינימטרו מחבר את התחנה למרכז ההיסטורי.', 'הפוליטיקה חייבת לבחור בטובת הכלל, לא בטובת מעטים.'],
  },
  ashkelon: {
    he: ['אנו מציגים את תוכנית החייאת מרכז העיר.', 'נשמח לעצות שלכם לגבי עבודות השיקום.'],
    fr: ['Nous présentons notre projet de dynamisation du centre-ville.', 'Vos avis sur les travaux de requalification sont les bienvenus.'],
    en: ['We present our plan to revive the town centre.', 'We welcome your advice on the renovation works.'],
  },
};

const questions: [string, string, string][] = [
  ['granada', 'fr', 'Comment limitez-vous les voitures dans les ruelles ?'],
  ['perugia', 'it', 'Quanto costa il minimetrò all’anno?'],
  ['coimbra', 'pt', 'Os moradores voltam ao centro depois das obras?'],
  ['ashkelon', 'he', 'מה לוח הזמנים של העבודות?'],
  ['granada', 'es', '¿Cómo se financian las rehabilitaciones?'],
];

function connect(auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(base, { transports: ['websocket'], auth: { deviceId: id(), ...auth }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => reject(new Error(`connect: ${e.message}`)));
  });
}
async function send(socket: Socket, cmd: string, payload: unknown = {}): Promise<any> {
  const ack = (await socket.timeout(10_000).emitWithAck(cmd, payload)) as { ok: boolean; data?: unknown; error?: { message: string } };
  if (!ack.ok) throw new Error(`${cmd}: ${ack.error?.message}`);
  return ack.data;
}

/** What went wrong, in a sentence (a refused connection names the address tried), without a stack. */
function why(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(err)}${cause ? ` (${cause})` : ''}`;
}

async function play(): Promise<void> {
  const res = await fetch(`${base}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...demoSetup, title: `${demoSetup.title} (démo)`, moderation: 'post' }),
  });
  if (res.status !== 201) {
    console.error(`Could not create the event: ${res.status} ${await res.text()}`);
    process.exit(1);
  }
  const ev = (await res.json()) as CreatedEvent;
  const moderator = await connect({ eventId: ev.event.id, token: ev.secrets.moderator });
  const interpreters = Object.fromEntries(
    await Promise.all(['fr', 'en', 'he', 'es', 'it', 'pt'].map(async (l) => [l, await connect({ eventId: ev.event.id, token: ev.secrets.interpreters[l] })] as const)),
  );
  const tables = ['granada', 'perugia', 'coimbra', 'ashkelon'];
  const phoneLangs = ['es', 'it', 'pt', 'he'];
  const phones = await Promise.all(
    Array.from({ length: 12 }, (_, n) => connect({ code: ev.event.code, table: tables[n % 4], lang: phoneLangs[n % 4] })),
  );
  console.log(`Playing a demo evening on "${ev.event.title}" (${ev.event.code})…`);
  await wait(2500); // presence is published every 2 s: the audience peak is counted

  for (const item of ['aix', 'granada', 'coimbra', 'perugia', 'ashkelon']) {
    await send(moderator, 'agenda:go', { itemId: item });
    for (let n = 0; n < 2; n++) {
      for (const [lang, text] of Object.entries(lines[item]!)) {
        await send(interpreters[lang]!, 'caption:push', { id: `${item}-${lang}-${n}`, text: text[n], final: true });
      }
      await wait(700);
    }
    for (const [n, phone] of phones.entries()) {
      await send(phone, 'rating:set', { target: item, indicator: 'relevance', score: 3 + ((n + item.length) % 3) });
    }
    console.log(`  ${item}: on stage, captioned, rated`);
  }
  const asked: string[] = [];
  for (const [n, [item, , text]] of questions.entries()) {
    const q = (await send(phones[n]!, 'question:ask', { id: id(), text, itemId: item })) as { id: string };
    asked.push(q.id);
  }
  for (const [n, phone] of phones.entries()) await send(phone, 'question:vote', { id: asked[n % asked.length], value: 1 });
  await send(moderator, 'agenda:go', { itemId: 'debate' });
  await send(moderator, 'question:moderate', { id: asked[0], status: 'answered' });
  await send(moderator, 'question:moderate', { id: asked[1], status: 'answered' });
  for (const [n, phone] of phones.entries()) {
    await send(phone, 'rating:set', { target: 'event', indicator: 'atmosphere', score: 4 + (n % 2) });
    await send(phone, 'rating:set', { target: 'event', indicator: 'smoothRunning', score: 3 + (n % 3) });
  }
  await wait(1500);
  await send(moderator, 'phase:set', { phase: 'ended' });
  const summary = await fetch(`${base}/api/events/${ev.event.id}/report/summary/fr`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ev.secrets.moderator}` },
    body: JSON.stringify({
      text:
        'Cinq villes ont partagé leurs pratiques de gestion des centres historiques : gouvernance à Aix, conservation à Grenade, ' +
        'rénovation durable à Coimbra, transports publics à Pérouse et dynamisation du centre à Ashkelon.\n\n' +
        'Les villes excusées trouveront ci-dessous la transcription de chaque intervention et les questions de la salle.',
    }),
  });
  if (summary.status !== 200) console.error(`summary: ${summary.status}`);
  for (const s of [moderator, ...Object.values(interpreters), ...phones]) s.close();

  console.log(`\nDone. The evening's report (read-only, for the cities that could not come):\n  ${ev.links.report}`);
  console.log(`Moderator (the tablet's Report panel): ${ev.links.moderator}`);
}

try {
  await play();
  process.exit(0);
} catch (err) {
  console.error(`The demo evening stopped: ${why(err)}.`);
  console.error(`Is Tribune running and answering at ${base}? Give the admin link that npm start printed (with HOST set, it names that address).`);
  process.exit(1);
}
