/**
 * One contract suite, run against both stores: the embedded journal (a temp DATA_DIR) and Redis
 * (a unique key prefix, deleted afterwards). Then what only one of them can show: kill -9 safety of
 * the journal, and Redis's behaviour when Redis goes away.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './helpers/eventually.ts';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import type { LiveState } from '../shared/schemas.ts';
import { createKeys } from '../server/store/keys.ts';
import { createMemoryStore } from '../server/store/memory.ts';
import { createRedisStore } from '../server/store/redis.ts';
import { REGISTRY } from '../server/events/records.ts';
import type { Store } from '../server/store/types.ts';
import { bump, bumps, makeEvent, makeRecord, makeState, newTestCode, newTestId } from './fixtures/make-state.ts';
import { REDIS_URL, deleteKeys, describeRedis, requireRedis, uniquePrefix } from './helpers/redis.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface StoreKind {
  name: 'memory' | 'redis';
  available: boolean;
  /** A data folder or a key prefix: opening the same location again is a restart. */
  newLocation(): string;
  open(location: string): Promise<Store>;
  cleanup(location: string): Promise<void>;
  /** Several store instances may share one location at once (several server processes). */
  sharedByProcesses: boolean;
  /** Presence is of sockets of the previous run: the embedded store resets it at start. */
  audienceSurvivesRestart: boolean;
}

const kinds: StoreKind[] = [
  {
    name: 'memory',
    available: true,
    newLocation: () => fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-contract-')),
    open: async (dir) => createMemoryStore({ dataDir: dir }),
    cleanup: async (dir) => fs.rmSync(dir, { recursive: true, force: true }),
    sharedByProcesses: false,
    audienceSurvivesRestart: false,
  },
  {
    name: 'redis',
    available: await requireRedis(),
    newLocation: () => uniquePrefix('contract'),
    open: (prefix) => createRedisStore({ url: REDIS_URL, prefix }),
    cleanup: (prefix) => deleteKeys(prefix),
    sharedByProcesses: true,
    audienceSurvivesRestart: true,
  },
];

/** The error a promise rejects with (fails if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(TribuneError);
  expect((err as TribuneError).code).toBe(code);
}

function contract(kind: StoreKind) {
  describe.skipIf(!kind.available)(`store contract: ${kind.name}`, () => {
    const locations: string[] = [];
    const opened: Store[] = [];
    let store: Store;

    const newLocation = () => {
      const l = kind.newLocation();
      locations.push(l);
      return l;
    };
    const open = async (location: string) => {
      const s = await kind.open(location);
      opened.push(s);
      return s;
    };
    async function created(s: Store = store) {
      const ev = makeEvent();
      await s.createEvent(ev.record, ev.state);
      return ev;
    }

    beforeAll(async () => {
      store = await open(newLocation());
    });
    afterAll(async () => {
      for (const s of opened) await s.close();
      for (const l of locations) await kind.cleanup(l);
    });

    it(`is the ${kind.name} store`, () => {
      expect(store.kind).toBe(kind.name);
    });

    it('creates an event and reads it back; codes are found case-insensitively', async () => {
      const before = await store.countEvents();
      const ev = await created();
      expect(await store.getEvent(ev.id)).toEqual(ev.record);
      expect(await store.getState(ev.id)).toEqual(ev.state);
      expect(await store.findEventIdByCode(ev.code)).toBe(ev.id);
      expect(await store.findEventIdByCode(ev.code.toLowerCase())).toBe(ev.id);
      expect(await store.countEvents()).toBe(before + 1);
      await created();
      expect(await store.countEvents()).toBe(before + 2);
    });

    it('knows nothing of unknown events and codes', async () => {
      expect(await store.getEvent(newTestId())).toBeNull();
      expect(await store.getState(newTestId())).toBeNull();
      expect(await store.findEventIdByCode(newTestCode())).toBeNull();
      expect(await store.findEventIdByCode('no such code!')).toBeNull();
      expect(await store.publishPresence(newTestId(), 'p1', { connected: 1, byTable: {} })).toBeNull();
    });

    it('lists every event record, and replaces an event\'s secret hashes durably', async () => {
      const location = newLocation();
      const first = await kind.open(location);
      const a = await created(first);
      const b = await created(first);
      expect((await first.listEvents()).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
      const hashes = { moderator: 'm'.repeat(64), projector: 'p'.repeat(64), interpreters: { fr: 'f'.repeat(64) } };
      expect(await first.setSecretHashes(a.id, hashes)).toEqual({ ...a.record, secretHashes: hashes });
      await expectCode(first.setSecretHashes(newTestId(), hashes), ErrorCode.NOT_FOUND);
      await first.close();
      const reopened = await open(location);
      expect(await reopened.getEvent(a.id)).toEqual({ ...a.record, secretHashes: hashes });
      expect(await reopened.getEvent(b.id)).toEqual(b.record);
      expect(await reopened.getState(a.id)).toEqual(a.state);
      expect((await reopened.listEvents()).length).toBe(2);
    });

    it('refuses a join code in use with CONFLICT and stores nothing of the second event', async () => {
      const first = await created();
      const count = await store.countEvents();
      const id = newTestId();
      await expectCode(store.createEvent(makeRecord(id, first.code), makeState(id, first.code)), ErrorCode.CONFLICT);
      expect(await store.getEvent(id)).toBeNull();
      expect(await store.getState(id)).toBeNull();
      expect(await store.countEvents()).toBe(count);
      expect(await store.findEventIdByCode(first.code)).toBe(first.id);
    });

    it('update stores the change with rev + 1', async () => {
      const ev = await created();
      const next = await store.change(ev.id, 'projector:show', { mode: 'join' });
      expect(next?.rev).toBe(ev.state.rev + 1);
      expect(next?.projector.mode).toBe('join');
      expect(await store.getState(ev.id)).toEqual(next);
      const again = await bump(store, ev.id);
      expect(again?.rev).toBe(ev.state.rev + 2);
      expect(again?.projector.mode).toBe('join');
      expect(bumps(again)).toBe(1);
    });

    it('a change that refuses writes nothing and its TribuneError reaches the caller', async () => {
      const ev = await created();
      // The first item is on stage: a slide before page 1 is refused by the rules.
      const err = await rejection(store.change(ev.id, 'slide:prev', {}));
      expect(err).toBeInstanceOf(TribuneError);
      expect(err).toMatchObject({ code: ErrorCode.CONFLICT, reason: 'firstPage' });
      expect(await store.getState(ev.id)).toEqual(ev.state);
      await expectCode(store.change(ev.id, 'agenda:go', { itemId: 'nowhere' }), ErrorCode.NOT_FOUND);
      expect(await store.getState(ev.id)).toEqual(ev.state);
    });

    it('returning the same state writes nothing and returns null', async () => {
      const ev = await created();
      // The timer runs already: starting it changes nothing.
      expect(await store.change(ev.id, 'timer:start', {})).toBeNull();
      expect((await store.getState(ev.id))?.rev).toBe(ev.state.rev);
    });

    it('update of an unknown event is NOT_FOUND', async () => {
      await expectCode(bump(store, newTestId()), ErrorCode.NOT_FOUND);
    });

    it('200 concurrent updates all land, each with its own rev', async () => {
      const ev = await created();
      const results = await Promise.all(Array.from({ length: 200 }, () => bump(store, ev.id)));
      const revs = results.map((r) => r!.rev).sort((a, b) => a - b);
      expect(revs).toEqual(Array.from({ length: 200 }, (_, i) => ev.state.rev + 1 + i));
      const final = await store.getState(ev.id);
      expect(final?.rev).toBe(ev.state.rev + 200);
      expect(bumps(final)).toBe(200);
    });

    // The embedded journal has a single writer by design: this case exists for Redis only.
    if (kind.sharedByProcesses) it(
      'two store instances on one location (two processes) share one rev sequence and lose nothing',
      async () => {
        const location = newLocation();
        const a = await open(location);
        const b = await open(location);
        const ev = await created(a);
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => bump(i % 2 ? a : b, ev.id)));
        const revs = results.map((r) => r!.rev).sort((x, y) => x - y);
        expect(revs).toEqual(Array.from({ length: 200 }, (_, i) => ev.state.rev + 1 + i));
        for (const s of [a, b]) {
          const final = await s.getState(ev.id);
          expect(final?.rev).toBe(ev.state.rev + 200);
          expect(bumps(final)).toBe(200);
        }
        // Presence from both processes is one total too.
        await a.publishPresence(ev.id, 'proc-a', { connected: 4, byTable: { t1: 4 } });
        const both = await b.publishPresence(ev.id, 'proc-b', { connected: 6, byTable: { t2: 6 } });
        expect(both?.audience).toEqual({ connected: 10, byTable: { t1: 4, t2: 6 } });
        expect(both?.rev).toBe(ev.state.rev + 202);
      },
    );

    it('presence of several processes is summed; an unchanged total writes nothing; a drop to zero is stored', async () => {
      const ev = await created();
      const first = await store.publishPresence(ev.id, 'p1', { connected: 3, byTable: { t1: 2, t2: 1 } });
      expect(first?.audience).toEqual({ connected: 3, byTable: { t1: 2, t2: 1 } });
      expect(first?.rev).toBe(ev.state.rev + 1);

      const second = await store.publishPresence(ev.id, 'p2', { connected: 2, byTable: { t1: 1 } });
      expect(second?.audience).toEqual({ connected: 5, byTable: { t1: 3, t2: 1 } });
      expect(second?.rev).toBe(ev.state.rev + 2);
      expect(await store.getState(ev.id)).toEqual(second);

      // The same counts again (a heartbeat), or a move that keeps the total: nothing to store.
      expect(await store.publishPresence(ev.id, 'p1', { connected: 3, byTable: { t1: 2, t2: 1 } })).toBeNull();
      expect((await store.getState(ev.id))?.rev).toBe(ev.state.rev + 2);

      const drop = await store.publishPresence(ev.id, 'p1', { connected: 0, byTable: {} });
      expect(drop?.audience).toEqual({ connected: 2, byTable: { t1: 1 } });
      const zero = await store.publishPresence(ev.id, 'p2', { connected: 0, byTable: {} });
      expect(zero?.audience).toEqual({ connected: 0, byTable: {} });
      expect(zero?.rev).toBe(ev.state.rev + 4);
      expect(await store.getState(ev.id)).toEqual(zero);

      // A presence change and a command do not lose each other.
      const after = await bump(store, ev.id);
      expect(after?.audience).toEqual({ connected: 0, byTable: {} });
      expect(after?.rev).toBe(ev.state.rev + 5);
    });

    it('a restart (a new instance on the same location) finds the same events, state and rev', async () => {
      const location = newLocation();
      const first = await kind.open(location);
      const ev = await created(first);
      await bump(first, ev.id);
      await first.change(ev.id, 'phase:set', { phase: 'break' });
      await first.publishPresence(ev.id, 'p1', { connected: 7, byTable: { t1: 7 } });
      const before = await first.getState(ev.id);
      await first.close();

      const reopened = await open(location);
      const after = await reopened.getState(ev.id);
      if (kind.audienceSurvivesRestart) {
        expect(after).toEqual(before);
      } else {
        // The audience of the dead process is gone: a state change, so a new rev (clients that
        // applied the old rev would otherwise ignore it).
        expect(after).toEqual({ ...before, audience: { connected: 0, byTable: {} }, rev: before!.rev + 1 });
      }
      expect(await reopened.getEvent(ev.id)).toEqual(ev.record);
      expect(await reopened.findEventIdByCode(ev.code)).toBe(ev.id);
      expect(await reopened.countEvents()).toBe(1);
      const next = await bump(reopened, ev.id);
      expect(next?.rev).toBe(after!.rev + 1);
      expect(bumps(next)).toBe(2);
    });
  });
}

for (const kind of kinds) contract(kind);

describe('embedded store: kill -9', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('keeps every acknowledged update of a process killed with SIGKILL mid-stream', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-kill-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'tests/fixtures/memory-writer.ts'), dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));

    let eventId = '';
    let acked = 0;
    const lines = readline.createInterface({ input: child.stdout });
    const done = new Promise<void>((resolve) => lines.once('close', resolve));
    lines.on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'event') eventId = value!;
      if (word === 'acked') acked = Math.max(acked, Number(value));
      if (acked >= 50 && !child.killed) child.kill('SIGKILL');
    });
    await done; // every line the child printed before it died
    expect(await exited, `child stderr: ${stderr}`).toBe('SIGKILL');
    expect(acked).toBeGreaterThanOrEqual(50);

    const reopened = createMemoryStore({ dataDir: dir });
    try {
      const state = await reopened.getState(eventId);
      // Updates may have landed after the last line the parent read, never fewer.
      expect(state!.rev).toBeGreaterThanOrEqual(acked);
      // The journal replays to a consistent state: every stored rev is one bump.
      expect(bumps(state)).toBe(state!.rev - 1);
    } finally {
      await reopened.close();
    }
  });
});

/**
 * A TCP proxy in front of Redis, to take Redis away from one store without touching the shared
 * server: `refuse` drops every connection at once, `blackhole` accepts and never answers.
 */
async function startProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  let mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'refuse') return void client.destroy();
    if (mode === 'blackhole') return; // reads are ignored, nothing is ever written back
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {});
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    /** Switches mode; connections of the previous mode are dropped (their stream is out of sync). */
    set(next: typeof mode) {
      mode = next;
      for (const s of sockets) s.destroy();
    },
    /** Connections silently stop answering (a network partition). */
    freeze() {
      mode = 'blackhole';
      for (const s of sockets) {
        s.unpipe();
        s.removeAllListeners('data');
        s.pause();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describeRedis('Redis store: keys and faults', () => {
  const prefixes: string[] = [];
  const stores: Store[] = [];
  const newPrefix = () => {
    const p = uniquePrefix('faults');
    prefixes.push(p);
    return p;
  };
  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => {});
    for (const p of prefixes) await deleteKeys(p);
  });

  it('keeps every key under its prefix, an event in one hash tag', async () => {
    const prefix = newPrefix();
    const store = await createRedisStore({ url: REDIS_URL, prefix });
    stores.push(store);
    const ev = makeEvent();
    await store.createEvent(ev.record, ev.state);
    await store.publishPresence(ev.id, 'p1', { connected: 1, byTable: {} });
    const raw = new Redis(REDIS_URL, { lazyConnect: true });
    try {
      await raw.connect();
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 100);
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
      const k = createKeys(prefix);
      expect(found.sort()).toEqual(
        [k.log.stream(REGISTRY), k.log.stream(ev.id), k.ephemeral.presence(ev.id, 'audience')].sort(),
      );
      expect(k.log.stream(ev.id)).toBe(`${prefix}:{${ev.id}}:log`);
    } finally {
      raw.disconnect();
    }
  });

  it('ignores and removes the presence entry of a process that stopped reporting', async () => {
    const prefix = newPrefix();
    const store = await createRedisStore({ url: REDIS_URL, prefix });
    stores.push(store);
    const ev = makeEvent();
    await store.createEvent(ev.record, ev.state);
    const k = createKeys(prefix);
    const raw = new Redis(REDIS_URL, { lazyConnect: true });
    try {
      await raw.connect();
      const presence = k.ephemeral.presence(ev.id, 'audience');
      await raw.hset(presence, 'dead-process', JSON.stringify({ at: 1, c: { connected: 50, byTable: { t1: 50 } } }));
      const next = await store.publishPresence(ev.id, 'p1', { connected: 2, byTable: { t2: 2 } });
      expect(next?.audience).toEqual({ connected: 2, byTable: { t2: 2 } });
      expect(await raw.hkeys(presence)).toEqual(['p1']);
    } finally {
      raw.disconnect();
    }
  });

  it('refuses to start, with a clear error, when Redis cannot be reached', async () => {
    const err = await rejection(createRedisStore({ url: 'redis://127.0.0.1:1', prefix: newPrefix() }));
    expect(err).toBeInstanceOf(TribuneError);
    expect((err as TribuneError).code).toBe(ErrorCode.UNAVAILABLE);
    expect((err as Error).message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1.*cannot be reached/);
  });

  it('answers UNAVAILABLE (without hanging) while Redis is away, and recovers when it is back', async () => {
    const proxy = await startProxy(REDIS_URL);
    try {
      const store = await createRedisStore({ url: proxy.url, prefix: newPrefix() });
      stores.push(store);
      const ev = makeEvent();
      await store.createEvent(ev.record, ev.state);

      // Connections refused: every method fails fast.
      proxy.set('refuse');
      await expectCode(store.getState(ev.id), ErrorCode.UNAVAILABLE);
      await expectCode(bump(store, ev.id), ErrorCode.UNAVAILABLE);
      await expectCode(store.publishPresence(ev.id, 'p1', { connected: 1, byTable: {} }), ErrorCode.UNAVAILABLE);
      await expectCode(store.createEvent(makeEvent().record, makeEvent().state), ErrorCode.UNAVAILABLE);

      // Back: the store reconnects by itself.
      proxy.set('forward');
      await eventually(async () => expect((await store.getState(ev.id))?.rev).toBe(ev.state.rev), { timeout: 10_000 });
      expect((await bump(store, ev.id))?.rev).toBe(ev.state.rev + 1);

      // A partition: the connection stays open but Redis never answers. Commands time out.
      proxy.freeze();
      await expectCode(store.getState(ev.id), ErrorCode.UNAVAILABLE);
      await expectCode(bump(store, ev.id), ErrorCode.UNAVAILABLE);

      proxy.set('forward');
      await eventually(async () => expect((await store.getState(ev.id))?.rev).toBe(ev.state.rev + 1), { timeout: 15_000 });
      expect((await bump(store, ev.id))?.rev).toBe(ev.state.rev + 2);
    } finally {
      await proxy.close();
    }
  });
});
