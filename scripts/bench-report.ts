/**
 * The report of a long evening: `npm run bench:report` (and the last part of `npm run bench`), or
 * `npx tsx scripts/bench-report.ts [--store memory|redis|both] [--captions 2000] [--questions 2000] [--runs 20]`
 *
 * An event of 5 items and 6 languages, with `--captions` final captions per language and
 * `--questions` questions (with votes and ratings), written straight into the stores. Then, in
 * this process: the time to build the `Report` (every language), to answer `GET …/report` over
 * HTTP (whole, gzipped, and one language), and each download; on the embedded store, the time to
 * open the stores again (journal replay and compaction). Prints figures; asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { EventSetup } from '../shared/schemas.ts';
import { hashSecret } from '../server/auth/secrets.ts';
import { openBackend, type BackendConfig } from '../server/backend.ts';
import { createEvent } from '../server/events/service.ts';
import { buildReport } from '../server/report/build.ts';
import { captionsReducer } from '../server/captions/rules.ts';
import { captionSeqs } from '../server/captions/seqs.ts';
import { domainLog } from '../server/log/event-logs.ts';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import type { AddressInfo } from 'node:net';
import { deleteKeys } from './bench/redis.ts';
import { kb, mb, ms, progress, summarize } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    captions: { type: 'string', default: '2000' },
    questions: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '20' },
    'redis-url': { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
  strict: true,
});
const CAPTIONS = Number(args.captions);
const QUESTIONS = Number(args.questions);
const RUNS = Number(args.runs);
const LANGS = ['fr', 'es', 'it', 'pt', 'he', 'en'];
const ADMIN = randomBytes(24).toString('base64url');

const setup = EventSetup.parse({
  title: 'Dîner-débat des villes jumelles (bench)',
  languages: LANGS,
  tables: ['granada', 'perugia', 'coimbra', 'ashkelon'].map((id) => ({ id, name: id })),
  agenda: ['aix', 'granada', 'coimbra', 'perugia', 'ashkelon'].map((id) => ({ id, speaker: `${id} speaker`, delegation: id, title: `${id} talk`, plannedSeconds: 600 })),
});

const sentence = (n: number, lang: string) =>
  `${lang} ${n}: la gestion urbaine d'un centre historique, entre patrimoine, voirie, stationnement et usages « conflictuels », demande une gouvernance nouvelle.`;

/** Writes the evening into the backend's stores and returns the event's id and report key. */
async function seed(config: BackendConfig): Promise<{ eventId: string; key: string }> {
  const backend = await openBackend(config);
  const { questions } = backend.stores!;
  const captions = captionSeqs(domainLog(backend.logs, captionsReducer), backend.ephemeral);
  const created = await createEvent(backend.store, setup, 'http://tribune.bench');
  const eventId = created.event.id;
  // Every item spoken, then the evening ended (through the moderator's commands: the speaking
  // times are those of this run, near zero; the report's work does not depend on them).
  for (const item of (await backend.store.getState(eventId))!.agenda) await backend.store.change(eventId, 'agenda:go', { itemId: item.id });
  await backend.store.change(eventId, 'phase:set', { phase: 'ended' });
  const t0 = Date.now() - 3_600_000;
  const limit = { max: 1e9, windowMs: 60_000 };
  for (const lang of LANGS) {
    for (let n = 0; n < CAPTIONS; n += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, CAPTIONS - n) }, (_, k) =>
          captions.appendFinal(eventId, {
            lang,
            id: `${lang}-${n + k}`,
            itemId: setup.agenda[Math.floor(((n + k) * 5) / CAPTIONS)]!.id!,
            text: sentence(n + k, lang),
            source: lang === 'fr' || lang === 'he' ? 'human' : 'machine',
            at: t0 + (n + k) * 1500,
          }),
        ),
      );
    }
  }
  for (let n = 0; n < QUESTIONS; n += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, QUESTIONS - n) }, (_, k) => {
        const i = n + k;
        return questions.append(eventId, {
          kind: 'questions.ask',
          payload: {
            limit,
            record: {
            id: `q${i}`,
            text: `Question ${i}, "avec des virgules", et une ligne\nde plus ?`,
            lang: LANGS[i % LANGS.length]!,
            itemId: setup.agenda[i % 5]!.id!,
            table: setup.tables[i % 4]!.id,
            author: i % 3 ? null : `Invité ${i}`,
            votes: 0,
            status: 'live',
            createdAt: t0 + i * 1000,
            rev: 1,
            device: `device-${i}-bench`,
            },
          },
        });
      }),
    );
  }
  for (let i = 0; i < 500; i++) {
    const device = `voter-${i}-bench`;
    await questions.append(eventId, { kind: 'questions.vote', payload: { id: `q${i % 50}`, value: 1, limit }, device, table: setup.tables[i % 4]!.id });
    await questions.append(eventId, { kind: 'questions.rate', payload: { target: setup.agenda[i % 5]!.id!, indicator: 'relevance', score: 1 + (i % 5), limit }, device, table: null });
  }
  await backend.close();
  return { eventId, key: created.secrets.report };
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ summary: ReturnType<typeof summarize>; last: T }> {
  const samples: number[] = [];
  let last!: T;
  await fn(); // warm-up
  for (let n = 0; n < runs; n++) {
    const t = performance.now();
    last = await fn();
    samples.push(performance.now() - t);
  }
  return { summary: summarize(samples), last };
}

function get(url: string, key: string, gzip: boolean): Promise<{ status: number; bytes: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${key}`, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, bytes: raw.length, body: res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw });
        });
      })
      .on('error', reject);
  });
}

async function run(kind: 'memory' | 'redis') {
  const dataDir = kind === 'memory' ? fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-bench-report-')) : undefined;
  const prefix = `tribune-bench-report-${randomBytes(4).toString('hex')}`;
  const config: BackendConfig = kind === 'memory' ? { kind, dataDir: dataDir! } : { kind, url: args['redis-url'], prefix };
  try {
    progress(`${kind}: writing ${LANGS.length} × ${CAPTIONS} final captions and ${QUESTIONS} questions`);
    const { eventId, key } = await seed(config);

    const opened = performance.now();
    const backend = await openBackend(config);
    const openMs = performance.now() - opened;
    const sources = { core: backend.store, questions: backend.stores!.questions, logs: backend.logs };
    const app = createApp({ store: backend.store, logger: createLogger('silent'), adminTokenHash: hashSecret(ADMIN), publicUrl: 'http://tribune.bench', domains: backend.domains });
    await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/events/${eventId}/report`;
    try {
      const build = await timed(RUNS, () => buildReport(sources, eventId));
      const lines = Object.values(build.last!.transcript).reduce((n, l) => n + l.length, 0);
      const whole = await timed(RUNS, () => get(base, key, false));
      const zipped = await timed(RUNS, () => get(base, key, true));
      const one = await timed(RUNS, () => get(`${base}?lang=fr`, key, true));
      console.log(`\n## Report, ${kind} store: 5 items, ${LANGS.length} languages × ${CAPTIONS} final captions (${lines} lines), ${build.last!.questions.length} questions`);
      if (kind === 'memory') console.log(`- open the stores again (journal replay + compaction): ${ms(openMs)}`);
      console.log(`- build the Report in process: p50 ${ms(build.summary.p50)}, p99 ${ms(build.summary.p99)} (N=${RUNS})`);
      console.log(`- GET /report, every language: p50 ${ms(whole.summary.p50)}, p99 ${ms(whole.summary.p99)}, ${mb(whole.last.bytes)} (status ${whole.last.status})`);
      console.log(`- GET /report gzipped: p50 ${ms(zipped.summary.p50)}, p99 ${ms(zipped.summary.p99)}, ${kb(zipped.last.bytes)} on the wire`);
      console.log(`- GET /report?lang=fr gzipped: p50 ${ms(one.summary.p50)}, p99 ${ms(one.summary.p99)}, ${kb(one.last.bytes)} on the wire`);
      for (const file of ['transcript.vtt?lang=he', 'questions.csv', 'ratings.csv', 'speaking-time.csv', 'report.json']) {
        const d = await timed(Math.max(3, Math.floor(RUNS / 2)), () => get(`${base}/${file}`, key, false));
        console.log(`- ${file}: p50 ${ms(d.summary.p50)}, ${kb(d.last.bytes)} (N=${d.summary.count})`);
      }
    } finally {
      await app.close();
      await backend.close();
    }
  } finally {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'redis') progress(`deleted ${await deleteKeys(args['redis-url'], prefix)} bench keys`);
  }
}

const stores = args.store === 'both' ? (['memory', 'redis'] as const) : ([args.store] as ('memory' | 'redis')[]);
for (const kind of stores) await run(kind);
process.exit(0);
