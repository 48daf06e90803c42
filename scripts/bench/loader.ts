/**
 * Bench child: a load generator. Holds a share of the simulated phones of each system under test
 * (real socket.io-client websocket connections, phones.ts Fleet) and answers the bench's requests
 * (ipc.ts LoaderRequest): join, arm a round, collect its receipts, close a fleet. Receipts are
 * timestamped with hrNow() (clock.ts), which the bench compares with its own fire time.
 * Run with `node --expose-gc --import tsx`, forked with `serialization: 'advanced'` (receipts
 * travel as a Float64Array).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { hrNow } from './clock.ts';
import type { LoaderAnswer, LoaderRequest, PhoneAuthSpec } from './ipc.ts';
import { Fleet, newDeviceId } from './phones.ts';

const send = (m: LoaderAnswer) => process.send?.(m);
const gc = (globalThis as { gc?: () => void }).gc;

// GC of this process, to tell how much of a round's time it took (performance.now() clock: local only).
const gcLog: { start: number; end: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcLog.push({ start: e.startTime, end: e.startTime + e.duration });
}).observe({ entryTypes: ['gc'] });
function gcWithin(from: number, to: number): number {
  let total = 0;
  for (const g of gcLog) total += Math.max(0, Math.min(g.end, to) - Math.max(g.start, from));
  gcLog.length = 0;
  return total;
}
const cpuMicros = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

const fleets = new Map<string, Fleet>();
const rounds = new Map<string, Promise<Extract<LoaderAnswer, { type: 'collected' }>>>();

function authFor(spec: PhoneAuthSpec, i: number): Record<string, unknown> {
  if (spec.kind === 'bare') return { deviceId: newDeviceId() };
  return {
    code: spec.code,
    deviceId: newDeviceId(),
    ...(spec.tables.length ? { table: spec.tables[i % spec.tables.length] } : {}),
    ...(spec.languages.length ? { lang: spec.languages[i % spec.languages.length] } : {}),
  };
}

function fleetOf(name: string): Fleet {
  const f = fleets.get(name);
  if (!f) throw new Error(`no fleet ${name}`);
  return f;
}

async function handle(m: LoaderRequest): Promise<LoaderAnswer> {
  switch (m.type) {
    case 'clock':
      return { type: 'clock', id: m.id, now: hrNow() };
    case 'join': {
      let fleet = fleets.get(m.fleet);
      if (!fleet) fleets.set(m.fleet, (fleet = new Fleet(hrNow)));
      const c0 = cpuMicros();
      const r = await fleet.join(m.url, m.count, (i) => authFor(m.auth, m.from + i), m.concurrency);
      return {
        type: 'joined',
        id: m.id,
        size: fleet.size,
        failed: r.failed,
        ...(r.firstError ? { firstError: r.firstError } : {}),
        startedAt: r.startedAt,
        endedAt: r.endedAt,
        cpuMicros: cpuMicros() - c0,
      };
    }
    case 'arm': {
      const fleet = fleetOf(m.fleet);
      // Outside the timed window: a major GC of thousands of client sockets landing inside a
      // round would delay this loader's phones and say nothing about the server.
      if (m.gc && gc) gc();
      gcLog.length = 0;
      const p0 = performance.now();
      const c0 = cpuMicros();
      const { settle } = fleet.arm(m.page, m.timeoutMs);
      rounds.set(
        m.fleet,
        settle().then(({ recv, missing }) => ({
          type: 'collected' as const,
          id: 0,
          recv,
          missing,
          gcMs: gcWithin(p0, performance.now()),
          cpuMicros: cpuMicros() - c0,
        })),
      );
      return { type: 'armed', id: m.id };
    }
    case 'collect': {
      const r = rounds.get(m.fleet);
      if (!r) throw new Error(`no round armed on ${m.fleet}`);
      rounds.delete(m.fleet);
      return { ...(await r), id: m.id };
    }
    case 'close-fleet':
      await fleets.get(m.fleet)?.close();
      fleets.delete(m.fleet);
      return { type: 'done', id: m.id };
    case 'exit':
      for (const f of fleets.values()) await f.close();
      send({ type: 'done', id: m.id });
      setTimeout(() => process.exit(0), 50); // lets the answer flush (and --cpu-prof write its file)
      return { type: 'done', id: m.id };
  }
}

process.on('message', (raw) => {
  const m = raw as LoaderRequest;
  if (m.type === 'exit') {
    void handle(m);
    return;
  }
  handle(m).then(send, (err: unknown) => send({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }));
});
// The bench died (overall timeout, ^C): do not linger with thousands of sockets.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
