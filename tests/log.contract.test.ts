/**
 * The event log's contract (server/log), on both backends: the embedded journal and one Redis Stream
 * per event. Entries are ordered with no gap, each append answers with its reducer's verdict, a
 * snapshot plus the entries after it folds to what a full replay gives, and nothing acknowledged is
 * lost when the writing process is killed with SIGKILL. On Redis, two processes (two logs on their
 * own connections) append to one event concurrently and fold the same entries in the same order.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../shared/errors.ts';
import { createMemoryEphemeral, createRedisEphemeral, type Ephemeral } from '../server/log/ephemeral.ts';
import { createEventLogs, type EventLogs } from '../server/log/event-logs.ts';
import { createMemoryLog } from '../server/log/memory-log.ts';
import { createRedisLog } from '../server/log/redis-log.ts';
import type { Entry } from '../server/log/types.ts';
import { createKeys } from '../server/store/keys.ts';
import { openStoreClient } from '../server/store/redis.ts';
import { REDIS_URL } from './helpers/redis.ts';
import { storeKinds, type StoreKind } from './helpers/stores.ts';
import { tallyReducer, type Tally } from './fixtures/tally.ts';

const root = new URL('..', import.meta.url).pathname;

/** What folding `entries` from nothing gives (the reducer alone, no log). */
function replay(entries: Entry[]): Tally {
  const state = tallyReducer.initial();
  for (const e of entries) {
    try {
      tallyReducer.apply(state, e);
    } catch {
      // a refusal leaves the state as it was
    }
  }
  return state;
}

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`the event log on the ${kind.name} backend`, () => {
    const locations: string[] = [];
    const open: EventLogs[] = [];
    afterAll(async () => {
      for (const l of open) await l.close().catch(() => {});
      for (const loc of locations) await kind.cleanup(loc);
    });
    const where = () => {
      const loc = kind.newLocation();
      locations.push(loc);
      return loc;
    };
    const logsOn = async (loc: string, snapshotEvery?: number) => {
      const logs = await kind.openLogs(loc, [tallyReducer], snapshotEvery ? { snapshotEvery } : {});
      open.push(logs);
      return logs;
    };

    it('orders entries with no gap, answers with the verdict, and a refusal changes nothing', async () => {
      const logs = await logsOn(where());
      const folded: Entry[] = [];
      logs.onFold((eventId, entry) => eventId === 'e1' && folded.push(entry));
      // Concurrent appends: each gets its own verdict, in log order.
      const sums = await Promise.all([1, 2, 3, 4, 5].map((n) => logs.append<number>('e1', { kind: 'tally.add', payload: { n } })));
      expect(new Set(sums).size).toBe(5);
      expect(Math.max(...sums)).toBe(15);
      await expect(logs.append('e1', { kind: 'tally.add', payload: { n: -1 } })).rejects.toMatchObject({ code: ErrorCode.INVALID_PAYLOAD });
      expect(await logs.append('e1', { kind: 'tally.once', payload: { id: 'x' }, device: 'd1' })).toBe(true);
      expect(await logs.append('e1', { kind: 'tally.once', payload: { id: 'x' }, device: 'd1' })).toBe(false);
      expect(await logs.append('e1', { kind: 'tally.once', payload: { id: 'x' }, device: 'd2' })).toBe(true);
      // Another event has its own positions.
      expect(await logs.append('e2', { kind: 'tally.add', payload: { n: 7 } })).toBe(7);
      expect(logs.position('e2')).toBe(1);

      const state = await logs.state('e1', tallyReducer);
      expect(state.sum).toBe(15);
      expect(folded.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(logs.position('e1')).toBe(9);
      // The refused entry is kept in the log (it happened) and folded as a refusal.
      expect(state.folded.map((f) => Number(f.split(':')[0]))).toEqual([1, 2, 3, 4, 5, 7, 8, 9]);
      // An entry of a kind no domain folds is refused, not lost silently.
      await expect(logs.append('e1', { kind: 'nobody.knows', payload: {} })).rejects.toMatchObject({ code: ErrorCode.INTERNAL });
    });

    it('a snapshot plus the entries after it folds to what a full replay of every entry gives', async () => {
      const loc = where();
      const first = await logsOn(loc, 10);
      const all: Entry[] = [];
      first.onFold((_e, entry) => all.push(entry));
      for (let i = 0; i < 55; i++) {
        if (i % 9 === 0) await first.append('e1', { kind: 'tally.once', payload: { id: `i${i % 4}` }, device: `d${i % 3}` }).catch(() => {});
        else await first.append('e1', { kind: 'tally.add', payload: { n: i % 5 } });
      }
      const before = structuredClone(await first.state('e1', tallyReducer));
      await first.close();

      // The reopened log starts from the snapshot at 50, not from entry 1.
      const snapshot = await kind.openLogs(loc, [], {});
      open.push(snapshot);
      const saved = await snapshot.backend.loadSnapshot('e1');
      expect(saved?.seq).toBe(50);
      const again = await logsOn(loc, 10);
      const tail: number[] = [];
      again.onFold((_e, entry) => tail.push(entry.seq));
      const after = await again.state('e1', tallyReducer);
      expect(tail).toEqual([51, 52, 53, 54, 55]);
      expect(after).toEqual(before);
      expect(after).toEqual(replay(all));
      // And it goes on from there with the next seq.
      await again.append('e1', { kind: 'tally.add', payload: { n: 1 } });
      expect(again.position('e1')).toBe(56);
    });

    it('keeps every acknowledged entry of a writer killed with SIGKILL mid-stream', async () => {
      const loc = where();
      const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/log-writer.ts', kind.name, loc, REDIS_URL], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      let acked = 0;
      const lines = readline.createInterface({ input: child.stdout });
      const done = new Promise<void>((resolve) => lines.once('close', resolve));
      lines.on('line', (line) => {
        const [word, value] = line.split(' ');
        if (word === 'acked') acked = Math.max(acked, Number(value));
        if (acked >= 60 && !child.killed) child.kill('SIGKILL');
      });
      await done;
      expect(await exited, `writer stderr: ${stderr}`).toBe('SIGKILL');

      const logs = await logsOn(loc, 7);
      const { sum } = await logs.state('e1', tallyReducer);
      // Appends may have landed after the last line read, never fewer; each one is one entry.
      expect(sum).toBeGreaterThanOrEqual(acked);
      expect(logs.position('e1')).toBe(sum);
      // And the log goes on with no gap.
      expect(await logs.append<number>('e1', { kind: 'tally.add', payload: { n: 1 } })).toBe(sum + 1);
      expect(logs.position('e1')).toBe(sum + 1);
    });

    if (kind.name === 'redis') twoProcesses(kind, where, logsOn);
  });
}

/** Redis only: two logs on their own connections stand for two server processes. */
function twoProcesses(kind: StoreKind, where: () => string, logsOn: (loc: string, every?: number) => Promise<EventLogs>) {
  it('two processes appending at once fold the same entries in the same order, and each reads the other\'s acknowledged writes', async () => {
    const loc = where();
    const a = await logsOn(loc, 25);
    const b = await logsOn(loc, 25);
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.onFold((_e, entry) => seenA.push(`${entry.seq}:${JSON.stringify(entry.payload)}`));
    b.onFold((_e, entry) => seenB.push(`${entry.seq}:${JSON.stringify(entry.payload)}`));
    const work = (logs: EventLogs, name: string) =>
      Array.from({ length: 60 }, (_, i) =>
        i % 6 === 0
          ? logs.append('e1', { kind: 'tally.once', payload: { id: `q${i % 12}` }, device: 'same' })
          : logs.append('e1', { kind: 'tally.add', payload: { n: i, from: name } }),
      );
    const verdicts = await Promise.all([...work(a, 'a'), ...work(b, 'b')]);
    // One device, ids q0 and q6: of the 20 `once` entries exactly 2 were first.
    expect(verdicts.filter((v) => v === true)).toHaveLength(2);

    const stateA = structuredClone(await a.state('e1', tallyReducer));
    const stateB = await b.state('e1', tallyReducer);
    expect(stateA).toEqual(stateB);
    expect(a.position('e1')).toBe(120);
    expect(seenA).toEqual(seenB);
    expect(seenA).toHaveLength(120);

    // What A acknowledges, B reads at once (it catches up before it answers).
    await a.append('e1', { kind: 'tally.add', payload: { n: 1000 } });
    expect((await b.state('e1', tallyReducer)).sum).toBe(stateA.sum + 1000);
  });

  it('a process far behind a trimmed stream starts again from the snapshot and folds on identically', async () => {
    const loc = where();
    const redis = await openStoreClient(REDIS_URL);
    // Small margin: the stream keeps 3 entries under each snapshot.
    const writer = createEventLogs(createRedisLog(redis, createKeys(loc), { margin: 3, ownsConnection: true }), [tallyReducer], { snapshotEvery: 10 });
    const reader = await logsOn(loc, 10);
    await writer.append('e1', { kind: 'tally.add', payload: { n: 1 } });
    expect((await reader.state('e1', tallyReducer)).sum).toBe(1);
    for (let i = 0; i < 44; i++) await writer.append('e1', { kind: 'tally.add', payload: { n: 2 } });
    expect(await redis.xlen(createKeys(loc).log.stream('e1'))).toBeLessThan(45);
    const caughtUp = await reader.state('e1', tallyReducer);
    expect(caughtUp).toEqual(await writer.state('e1', tallyReducer));
    expect(reader.position('e1')).toBe(45);
    await writer.close();
  });

  it('answers UNAVAILABLE when Redis cannot be reached, and nothing is folded', async () => {
    const redis = await openStoreClient(REDIS_URL);
    const logs = createEventLogs(createRedisLog(redis, createKeys(where())), [tallyReducer]);
    expect(await logs.append('e1', { kind: 'tally.add', payload: { n: 1 } })).toBe(1);
    redis.disconnect();
    await expect(logs.append('e1', { kind: 'tally.add', payload: { n: 1 } })).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    await expect(logs.state('e1', tallyReducer)).rejects.toMatchObject({ code: ErrorCode.UNAVAILABLE });
    expect(logs.position('e1')).toBe(1);
    void kind;
  });
}

describe('what processes share that is not history (server/log/ephemeral.ts)', () => {
  const redisKind = storeKinds.find((k) => k.name === 'redis')!;
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await redisKind.cleanup(p);
  });
  const kinds: [string, () => Promise<[Ephemeral, Ephemeral]>][] = [
    ['memory', async () => {
      const one = createMemoryEphemeral();
      return [one, one];
    }],
  ];
  if (redisKind.available) {
    kinds.push(['redis', async () => {
      const prefix = redisKind.newLocation();
      prefixes.push(prefix);
      const a = await openStoreClient(REDIS_URL);
      const b = await openStoreClient(REDIS_URL);
      afterAll(() => void (a.disconnect(), b.disconnect()));
      return [createRedisEphemeral(a, createKeys(prefix)), createRedisEphemeral(b, createKeys(prefix))];
    }]);
  }
  for (const [name, make] of kinds) {
    it(`${name}: a slot is one process's for its window; presence sums processes and forgets one that leaves; counters rise from their floor`, async () => {
      const [a, b] = await make();
      expect(await a.claim('e1', 'questions', 60_000)).toBe(0);
      expect(await b.claim('e1', 'questions', 60_000)).toBeGreaterThan(0);
      expect(await b.claim('e1', 'other', 60_000)).toBe(0);
      expect(await b.claim('e2', 'questions', 60_000)).toBe(0);

      expect(await a.presence('e1', 'phones', 'pA', { n: 2 }, 60_000)).toEqual([{ n: 2 }]);
      const both = await b.presence('e1', 'phones', 'pB', {}, 60_000);
      expect(both).toHaveLength(2);
      expect(both).toContainEqual({ n: 2 });
      expect(both).toContainEqual({});
      expect(await a.presence('e1', 'phones', 'pA', null, 60_000)).toEqual([{}]);

      expect(await a.current('e1', 'seq:fr')).toBe(0);
      expect(await a.next('e1', 'seq:fr')).toBe(1);
      expect(await b.next('e1', 'seq:fr')).toBe(2);
      expect(await a.next('e1', 'seq:fr', 40)).toBe(41);
      expect(await b.next('e1', 'seq:fr', 3)).toBe(42);
      expect(await b.current('e1', 'seq:fr')).toBe(42);
      expect(await a.next('e1', 'seq:en')).toBe(1);
    });
  }
});

describe('the embedded journal while it runs', () => {
  it('is compacted once it grew by compactBytes: it keeps only what no snapshot holds, and reopens to the same state', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-compact-'));
    try {
      const open = () => createEventLogs(createMemoryLog({ dataDir: dir, compactBytes: 4_000 }), [tallyReducer], { snapshotEvery: 10 });
      const logs = open();
      const all: Entry[] = [];
      logs.onFold((_e, entry) => all.push(entry));
      let appended = 0;
      for (let i = 0; i < 400; i++) {
        const draft = { kind: 'tally.add', payload: { n: i % 7 } };
        appended += JSON.stringify({ e: 'e1', seq: i + 1, at: 0, ...draft }).length;
        await logs.append(i % 2 ? 'e1' : 'e2', draft);
      }
      const before = [structuredClone(await logs.state('e1', tallyReducer)), structuredClone(await logs.state('e2', tallyReducer))];
      await logs.close();
      // Without compaction the journal would hold every line (about `appended` bytes).
      expect(fs.statSync(path.join(dir, 'log.ndjson')).size).toBeLessThan(appended / 2);

      const again = open();
      expect([await again.state('e1', tallyReducer), await again.state('e2', tallyReducer)]).toEqual(before);
      expect(await again.append('e1', { kind: 'tally.add', payload: { n: 1 } })).toBeDefined();
      expect(again.position('e1')).toBe(201);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
