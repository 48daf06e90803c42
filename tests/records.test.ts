/**
 * The events' records on the registry log (server/events/records.ts): the rules folded alone, two
 * stores on one Redis racing for one join code, and records written by the version before the
 * registry (an embedded `events.ndjson`, Redis `record`/`code`/`events` keys) carried in at open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../shared/errors.ts';
import { openBackend } from '../server/backend.ts';
import { oldKeys } from '../server/events/import.ts';
import { recordsReducer } from '../server/events/records.ts';
import type { Entry } from '../server/log/types.ts';
import { createKeys } from '../server/store/keys.ts';
import { createRedisStore } from '../server/store/redis.ts';
import type { EventRecord } from '../server/events/records.ts';
import { makeEvent } from './fixtures/make-state.ts';
import { REDIS_URL, deleteKeys, describeRedis, uniquePrefix } from './helpers/redis.ts';

const record = (id: string, code: string, moderator = 'h'): EventRecord => ({
  id,
  code,
  createdAt: 1,
  secretHashes: { moderator, projector: 'p', interpreters: {} },
});

/** Folds entries through the rules alone, as every process does; returns each verdict or refusal. */
function fold(entries: Pick<Entry, 'kind' | 'payload'>[]) {
  const state = recordsReducer.initial();
  const verdicts = entries.map((e, i) => {
    try {
      return recordsReducer.apply(state, { ...e, seq: i + 1, at: i });
    } catch (err) {
      return err;
    }
  });
  return { state, verdicts };
}

describe('the records rules', () => {
  it('a join code belongs to the first creation in the log, whatever its case', () => {
    const { state, verdicts } = fold([
      { kind: 'records.create', payload: { record: record('a', 'ABC123') } },
      { kind: 'records.create', payload: { record: record('b', 'abc123') } },
      { kind: 'records.create', payload: { record: record('a', 'XYZ999') } },
    ]);
    expect(verdicts[0]).toEqual(record('a', 'ABC123'));
    expect(verdicts[1]).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(verdicts[2]).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(Object.keys(state.byId)).toEqual(['a']);
    expect({ ...state.byCode }).toEqual({ ABC123: 'a' });
  });

  it('new secrets replace the old; an unknown event is NOT_FOUND', () => {
    const { state, verdicts } = fold([
      { kind: 'records.create', payload: { record: record('a', 'ABC123') } },
      { kind: 'records.secrets', payload: { id: 'a', secretHashes: record('a', '', 'new').secretHashes } },
      { kind: 'records.secrets', payload: { id: 'nobody', secretHashes: record('a', '').secretHashes } },
    ]);
    expect(state.byId.a!.secretHashes.moderator).toBe('new');
    expect(verdicts[2]).toMatchObject({ code: ErrorCode.NOT_FOUND });
  });

  it('an import takes only records whose id and code are free (run twice: nothing more)', () => {
    const old = [record('a', 'AAA111'), record('b', 'ABC123'), record('c', 'CCC333')];
    const { state, verdicts } = fold([
      { kind: 'records.create', payload: { record: record('x', 'ABC123') } },
      { kind: 'records.import', payload: { records: old } },
      { kind: 'records.import', payload: { records: old } },
    ]);
    expect(verdicts.slice(1)).toEqual([2, 0]);
    expect(Object.keys(state.byId).sort()).toEqual(['a', 'c', 'x']);
  });

  it('a snapshot folds on as the state it was saved from; `__proto__` names no event', () => {
    const { state } = fold([{ kind: 'records.create', payload: { record: record('a', 'ABC123') } }]);
    const loaded = recordsReducer.load(JSON.parse(JSON.stringify(recordsReducer.save(state))));
    expect(loaded).toEqual(state);
    expect(loaded.byId['__proto__']).toBeUndefined();
    expect(loaded.byCode['constructor']).toBeUndefined();
  });
});

describe('records an embedded DATA_DIR kept in events.ndjson (the version before the registry)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-v2-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are carried into the registry at open, once, the file renamed', async () => {
    // fixtures/v2-data/events.ndjson was written by that version's createMemoryRecords (a create,
    // a create, new links for the first).
    fs.cpSync(new URL('./fixtures/v2-data/', import.meta.url).pathname, dir, { recursive: true });
    let backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect((await backend.store.getEvent('ev-two'))?.secretHashes.moderator).toBe('h-mod-new');
    expect(await backend.store.findEventIdByCode('three3')).toBe('ev-three');
    expect(await backend.store.countEvents()).toBe(2);
    expect(fs.existsSync(path.join(dir, 'events.ndjson'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'events.ndjson.imported'))).toBe(true);
    await backend.close();
    backend = await openBackend({ kind: 'memory', dataDir: dir });
    expect((await backend.store.listEvents()).map((r) => r.id).sort()).toEqual(['ev-three', 'ev-two']);
    expect(backend.logs.position('_registry')).toBe(1);
    await backend.close();
  });
});

describeRedis('records on Redis', () => {
  const prefix = uniquePrefix('records');
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await deleteKeys(prefix);
    redis.disconnect();
  });

  it('two stores racing for one join code: one event has it, the other is refused', async () => {
    const [a, b] = [await createRedisStore({ url: REDIS_URL, prefix }), await createRedisStore({ url: REDIS_URL, prefix })];
    const one = makeEvent();
    const two = makeEvent();
    const results = await Promise.allSettled([
      a.createEvent(one.record, one.state),
      b.createEvent({ ...two.record, code: one.record.code }, { ...two.state }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: ErrorCode.CONFLICT });
    const winner = results[0]!.status === 'fulfilled' ? one.record.id : two.record.id;
    for (const s of [a, b]) {
      expect(await s.findEventIdByCode(one.record.code)).toBe(winner);
      expect(await s.countEvents()).toBe(1);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('the record, code and events keys of the version before are carried in at open, then deleted', async () => {
    const oldPrefix = uniquePrefix('records-old');
    const keys = createKeys(oldPrefix);
    const old = oldKeys(keys);
    // What that version's createRedisRecords wrote for one event, with plain commands.
    const rec = record('ev-redis', 'REDIS1');
    await redis.set(old.code('REDIS1'), 'ev-redis');
    await redis.set(old.record('ev-redis'), JSON.stringify(rec));
    await redis.sadd(old.events, 'ev-redis');
    await redis.set(keys.imported(), '2026-12-03T00:00:00.000Z');
    try {
      let backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix: oldPrefix });
      expect(await backend.store.getEvent('ev-redis')).toEqual(rec);
      expect(await backend.store.findEventIdByCode('redis1')).toBe('ev-redis');
      expect(await redis.exists(old.code('REDIS1'), old.record('ev-redis'), old.events)).toBe(0);
      await backend.close();
      backend = await openBackend({ kind: 'redis', url: REDIS_URL, prefix: oldPrefix });
      expect(await backend.store.listEvents()).toEqual([rec]);
      await backend.close();
    } finally {
      await deleteKeys(oldPrefix);
    }
  });
});
