/**
 * `npm run bench:audio [100,500,1000]`: the interpretation audio server's cost. One publisher
 * (node-datachannel, Opus-sized RTP every 20 ms) and N listeners, each in a process of its own, on
 * a server in this process; prints for each N the time to connect the listeners (one after
 * another) and the server's CPU per forwarded packet over 10 s (process.cpuUsage), hence listeners
 * per core at 50 packets/s each. Figures, not assertions.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { MediaEngine } from '../server/audio/media.ts';
import { openBackend } from '../server/backend.ts';
import { createTestEvent, startBackendServer } from '../tests/helpers/server.ts';

const sizes = (process.argv[2] ?? '100,500,1000').split(',').map(Number);
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

function child(args: string[]): { proc: ChildProcess; lines: AsyncIterator<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  return { proc, lines: readline.createInterface({ input: proc.stdout! })[Symbol.asyncIterator]() };
}
async function until(lines: AsyncIterator<string>, test: (line: string) => boolean): Promise<string> {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) throw new Error('child ended');
    if (test(value)) return value;
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-bench-audio-'));
// These listeners send no RTCP the server hears (a browser's receiver reports do): without a longer
// listenerSilenceMs the server would end each one 20 s after packets reached it, and at 1 000
// listeners, connected one after another, most would be gone before the measurement.
const backend = await openBackend({ kind: 'memory', dataDir: dir, audio: { maxListeners: 100_000, intervalMs: 1000, listenerSilenceMs: 3_600_000 } });
const server = await startBackendServer(backend);
const engine = (backend.domains.find((d) => d.name === 'audio') as unknown as { engine(): MediaEngine }).engine();
console.log(`bench:audio — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node-datachannel, Node ${process.version}`);

for (const n of sizes) {
  const created = await createTestEvent(server.url);
  const base = `${server.url}/api/events/${created.event.id}/audio/fr`;
  const pub = child(['tests/helpers/native-publisher.ts', `${base}/whip`, created.secrets.interpreters.fr!]);
  await until(pub.lines, (l) => l === 'sending');
  const lis = child(['scripts/bench-audio-listeners.ts', `${base}/whep`, String(n)]);
  const ready = JSON.parse(await until(lis.lines, (l) => l.includes('connected'))) as { connected: number; ms: number; retries: number };
  // The listeners' own count, followed in the background (one line a second).
  let received = 0;
  void (async () => {
    for (;;) {
      const { value, done } = await lis.lines.next();
      if (done) return;
      if (value.includes('packets')) received = (JSON.parse(value) as { packets: number }).packets;
    }
  })();
  // Settle, then measure 10 s of forwarding.
  await new Promise((r) => setTimeout(r, 2000));
  const cpu0 = process.cpuUsage();
  const f0 = engine.forwardedPackets();
  const r0 = received;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 10_000));
  const cpu = process.cpuUsage(cpu0);
  const forwarded = engine.forwardedPackets() - f0;
  // Sessions still held: a listener the server dropped (silence, connection) forwards nothing.
  const held = engine.listenerCount();
  const seconds = (performance.now() - t0) / 1000;
  const usPerPacket = (cpu.user + cpu.system) / forwarded;
  const corePct = ((cpu.user + cpu.system) / 1e6 / seconds) * 100;
  await new Promise((r) => setTimeout(r, 1100));
  console.log(
    `${String(n).padStart(5)} listeners: ${ready.connected} connected in ${(ready.ms / 1000).toFixed(1)} s (one after another); ` +
      `${held} listener sessions held, ${Math.round(forwarded / seconds)} packets/s forwarded, server CPU ${corePct.toFixed(1)}% of a core, ` +
      `${usPerPacket.toFixed(1)} µs per forwarded packet → ~${Math.floor(1e6 / (usPerPacket * 50))} listeners per core; ` +
      `the listeners received ${received - r0} in those ~10 s (${ready.retries} client connections retried)`,
  );
  lis.proc.kill('SIGKILL');
  pub.proc.kill('SIGKILL');
  // The next size starts alone: killed listeners are ended once their ICE consent fails (~30 s).
  for (let waited = 0; engine.listenerCount() > 0 && waited < 90_000; waited += 500) await new Promise((r) => setTimeout(r, 500));
}
await server.close();
await backend.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
