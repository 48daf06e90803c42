/**
 * `npm run bench:translate [-- --lines 60 --interval 400]`
 *
 * Machine translation on the box with Debian's real Apertium (server/translate). A French
 * interpreter sends `--lines` final captions, one every `--interval` ms (an interpreter's pace);
 * phones in Spanish (a pair of its own), Italian, Portuguese and English (each through Spanish)
 * receive them as machine lines. Latency is the interpreter's emit → the phone's receipt of the
 * machine line (one clock: the server, the interpreter and the phones live in this process; the
 * translator processes are Apertium's own). Then lines per second per pair, sequentially on the
 * engine, and the memory of the translator processes. Prints figures, asserts nothing.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import type { Socket } from 'socket.io-client';
import { createApp } from '../server/app.ts';
import { hashSecret } from '../server/auth/secrets.ts';
import { openBackend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { createLogger } from '../server/log.ts';
import { openTranslation } from '../server/translate/engine.ts';
import type { Caption, CaptionStatus } from '../shared/captions.ts';
import { newDeviceId, openSocket } from './bench/phones.ts';
import { mb, ms, progress, sleep } from './bench/stats.ts';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '60' },
    interval: { type: 'string', default: '400' },
    throughput: { type: 'string', default: '40' },
  },
  strict: true,
});
const LINES = Number(args.lines);
const INTERVAL = Number(args.interval);
const THROUGHPUT_LINES = Number(args.throughput);
const TOKEN = 'bench-translate-admin-token-0123456789';
const TARGETS = ['es', 'it', 'pt', 'en'] as const;

/** Distinct French lines (none cached twice): subject × verb phrase × complement. */
function frenchLines(n: number, salt: number): string[] {
  const subjects = ['Le maire', 'La ville', 'Notre délégation', 'Le conseil municipal', 'Cette association', 'La région', 'Le quartier', 'Chaque habitant'];
  const verbs = ['veut protéger', 'doit rénover', 'a présenté', 'souhaite améliorer', 'va financer', 'ne peut pas oublier', 'défend', 'organise'];
  const objects = ['le centre historique', 'les logements des familles', 'la place du marché', 'les transports publics', 'le patrimoine de la cité', 'les commerces de proximité', 'la vie du quartier', 'les espaces verts'];
  const tails = ['cette année.', 'avec les habitants.', 'depuis dix ans.', 'pour les jeunes.', 'avant les élections.', 'sans attendre.', 'avec nos voisins.', 'dès demain.'];
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const k = i + salt * 97;
    out.push(`${subjects[k % 8]} ${verbs[Math.floor(k / 8) % 8]} ${objects[Math.floor(k / 64) % 8]} ${tails[(k * 3 + Math.floor(k / 512)) % 8]}`);
  }
  return out;
}

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
}

/** RSS of every process in these process groups (Apertium's pipelines), from /proc. */
function groupRss(pgids: Set<number>): { bytes: number; processes: number } {
  let bytes = 0;
  let processes = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!pgids.has(Number(fields[2]))) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${d}/status`, 'utf8'));
      bytes += Number(rss?.[1] ?? 0) * 1024;
      processes++;
    } catch {
      // gone meanwhile
    }
  }
  return { bytes, processes };
}

function connect(url: string, auth: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = openSocket(url, { deviceId: newDeviceId(), ...auth });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function main() {
  const backend = await openBackend({ kind: 'memory', translate: { engine: 'apertium' } });
  if (!backend.translation) throw new Error('no Apertium here: apt-get install apertium apertium-fr-es apertium-eng-spa apertium-spa-ita apertium-es-pt');
  const app = createApp({
    store: backend.store,
    domains: backend.domains,
    logger: createLogger('silent'),
    adminTokenHash: hashSecret(TOKEN),
    publicUrl: 'http://bench.test',
    presenceIntervalMs: 250,
    allowances: { maxSocketsPerAddress: 0, newDevices: { burst: 1e6, perSecond: 1e6 }, newDeviceMs: 0 },
  });
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const res = await fetch(`${url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({
      title: 'Bench translate',
      languages: ['fr', ...TARGETS, 'he'],
      moderation: 'post',
      tables: [{ id: 't1', name: 'T1' }],
      agenda: [{ id: 'a', speaker: 'S', delegation: 'D', title: 'T', language: 'fr', plannedSeconds: 600 }],
    }),
  });
  const ev = (await res.json()) as CreatedEvent;

  const received = new Map<string, Map<string, number>>(); // lang → caption id → receipt time
  const phones: Socket[] = [];
  for (const lang of TARGETS) {
    const seen = new Map<string, number>();
    received.set(lang, seen);
    const s = await connect(url, { code: ev.event.code, lang });
    s.on('caption', (c: Caption) => {
      if (c.source === 'machine' && c.final && !seen.has(c.id)) seen.set(c.id, performance.now());
    });
    phones.push(s);
  }
  const interpreter = await connect(url, { eventId: ev.event.id, token: ev.secrets.interpreters.fr });
  let status: CaptionStatus | null = null;
  interpreter.on('captions:status', (s: CaptionStatus) => (status = s));
  while (!status || (status as CaptionStatus).machine.length < TARGETS.length) await sleep(50);
  const push = (id: string, text: string) =>
    new Promise<void>((resolve) => interpreter.emit('caption:push', { id, text, final: true }, () => resolve()));

  // Warm-up: the processes started when the languages turned machine; a few lines through each.
  progress('warming up');
  for (const [n, text] of frenchLines(3, 999).entries()) {
    await push(`w${n}`, text);
    const id = `m_w${n}`;
    while (![...received.values()].every((m) => m.has(id))) await sleep(20);
  }

  progress(`${LINES} lines, one every ${INTERVAL} ms`);
  const sentAt = new Map<string, number>();
  for (const [n, text] of frenchLines(LINES, 1).entries()) {
    const id = `l${n}`;
    sentAt.set(`m_${id}`, performance.now());
    void push(id, text);
    await sleep(INTERVAL);
  }
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline && ![...received.values()].every((m) => [...sentAt.keys()].every((id) => m.has(id)))) await sleep(50);

  console.log(`\nCaption → machine caption on the phone (Apertium on the box, ${LINES} lines, one every ${INTERVAL} ms)`);
  const all: number[] = [];
  for (const lang of TARGETS) {
    const seen = received.get(lang)!;
    const samples = [...sentAt].flatMap(([id, t]) => (seen.has(id) ? [seen.get(id)! - t] : []));
    all.push(...samples);
    const route = backend.translation.reach('fr', lang);
    const how = route?.kind === 'pivot' ? `fr → ${route.via} → ${lang} (pivot)` : `fr → ${lang} (direct)`;
    console.log(
      `  ${how.padEnd(26)} N=${String(samples.length).padStart(3)}/${LINES}  p50 ${ms(pct(samples, 50)).padStart(9)}  p95 ${ms(pct(samples, 95)).padStart(9)}  max ${ms(pct(samples, 100)).padStart(9)}`,
    );
  }
  console.log(`  ${'all languages'.padEnd(26)} N=${String(all.length).padStart(3)}/${LINES * TARGETS.length}  p50 ${ms(pct(all, 50)).padStart(9)}  p95 ${ms(pct(all, 95)).padStart(9)}  max ${ms(pct(all, 100)).padStart(9)}`);

  const procs = backend.translation.processes();
  const mem = groupRss(new Set(procs.map((p) => p.pid)));
  console.log(`\nTranslator processes: ${procs.length} pipelines (${procs.map((p) => p.mode).join(', ')}), ${mem.processes} processes, RSS ${mb(mem.bytes)} summed (shared pages counted per process)`);
  for (const p of procs) {
    const one = groupRss(new Set([p.pid]));
    console.log(`  ${p.mode.padEnd(10)} ${String(one.processes).padStart(2)} processes  RSS ${mb(one.bytes)}`);
  }

  for (const s of phones) s.close();
  interpreter.close();
  await app.close();
  await backend.close();

  // Lines per second per pair: one engine of its own, lines one after the other (one process per pair).
  console.log(`\nLines per second, one after the other (${THROUGHPUT_LINES} distinct lines each, processes warm)`);
  const engine = openTranslation({ engine: 'apertium' })!;
  for (const to of TARGETS) {
    const lines = frenchLines(THROUGHPUT_LINES, 7 + TARGETS.indexOf(to) * 13);
    engine.warm('fr', to);
    await engine.translate('Bonjour à tous.', 'fr', to);
    const t0 = performance.now();
    let ok = 0;
    for (const l of lines) if ((await engine.translate(l, 'fr', to)) !== null) ok++;
    const s = (performance.now() - t0) / 1000;
    const route = engine.reach('fr', to);
    const how = `fr → ${to} ${route?.kind === 'pivot' ? `(via ${route.via})` : '(direct)'}`;
    console.log(`  ${how.padEnd(18)} ${(ok / s).toFixed(1).padStart(6)} lines/s  (${ok}/${lines.length} translated)`);
  }
  await engine.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
