/**
 * The debate floor's rules, pure (shared/floor.ts) and as folded by the live rules
 * (server/live/rules.ts): no server, no store.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import { closedFloor, emptyBook, floorRules, type FloorFold, type FloorKind } from '../shared/floor.ts';
import type { LiveState } from '../shared/schemas.ts';
import { readConfig } from '../server/config.ts';
import { liveReducer, type LiveEventState } from '../server/live/rules.ts';
import type { Entry } from '../server/log/types.ts';

const fresh = (open = true): FloorFold => ({ floor: { ...closedFloor(), open }, book: emptyBook() });

function ask(f: FloorFold, id: string, kind: FloorKind, device = `dev-${id}`, table: string | null = 't1', at = 1000, name: string | null = null) {
  return floorRules.floorRequest(f, { id, kind, name, device, table }, at);
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof TribuneError) return err.code;
    throw err;
  }
  return 'none';
}

describe('the floor rules (pure)', () => {
  it('orders the queue: points of order, then replies, then requests to speak; first come first served within each', () => {
    let f = fresh();
    f = ask(f, 's1', 'speak', undefined, 't1', 1);
    f = ask(f, 'r1', 'reply', undefined, 't2', 2);
    f = ask(f, 's2', 'speak', undefined, 't3', 3);
    f = ask(f, 'o1', 'order', undefined, 't4', 4);
    f = ask(f, 'r2', 'reply', undefined, null, 5);
    f = ask(f, 'o2', 'order', undefined, 't1', 6);
    expect(f.floor.queue.map((r) => r.id)).toEqual(['o1', 'o2', 'r1', 'r2', 's1', 's2']);
    expect(f.floor.queue[0]).toEqual({ id: 'o1', kind: 'order', table: 't4', name: null, at: 4 });
  });

  it('within a kind, orders by the time each request was stamped (processes append in any order)', () => {
    let f = fresh();
    f = ask(f, 'late', 'speak', undefined, 't1', 20);
    f = ask(f, 'early', 'speak', undefined, 't2', 10);
    f = ask(f, 'same', 'speak', undefined, 't3', 20);
    f = ask(f, 'order', 'order', undefined, 't3', 30);
    expect(f.floor.queue.map((r) => r.id)).toEqual(['order', 'early', 'late', 'same']);
  });

  it('keeps one open request per device: asking again changes nothing, whatever the kind or name', () => {
    const f = ask(fresh(), 'a', 'speak', 'phone-1');
    const again = floorRules.floorRequest(f, { id: 'b', kind: 'order', name: 'Ana', device: 'phone-1', table: 't2' }, 2000);
    expect(again).toBe(f);
    expect(f.book.devices).toEqual({ a: 'phone-1' });
  });

  it('refuses a request while the list is closed (CONFLICT) and changes nothing', () => {
    const f = fresh(false);
    expect(code(() => ask(f, 'a', 'speak'))).toBe(ErrorCode.CONFLICT);
    expect(f).toEqual(fresh(false));
  });

  it('opens and closes; repeating the current value changes nothing; the queue stays when closed', () => {
    const closed = fresh(false);
    expect(floorRules.floorOpen(closed, { open: false })).toBe(closed);
    const open = floorRules.floorOpen(closed, { open: true });
    expect(open.floor.open).toBe(true);
    const queued = ask(open, 'a', 'speak');
    const closedAgain = floorRules.floorOpen(queued, { open: false });
    expect(closedAgain.floor.queue.map((r) => r.id)).toEqual(['a']);
  });

  it('gives the floor: the request leaves the queue, startedAt is the entry time, planned 2 minutes', () => {
    let f = ask(fresh(), 'a', 'speak', 'd-a', 't1', 10, 'Ana');
    f = ask(f, 'b', 'reply', 'd-b', 't2', 20);
    f = floorRules.floorGive(f, { id: 'a' }, 5_000);
    expect(f.floor.current).toEqual({ id: 'a', kind: 'speak', table: 't1', name: 'Ana', startedAt: 5_000, plannedMs: 120_000 });
    expect(f.floor.queue.map((r) => r.id)).toEqual(['b']);
    expect(f.book.devices).toEqual({ b: 'd-b' });
    // A device that has the floor may ask again (its request left the queue).
    expect(ask(f, 'a2', 'speak', 'd-a').floor.queue.map((r) => r.id)).toEqual(['b', 'a2']);
  });

  it('a give ends the running turn, which counts for its table; done ends the current one', () => {
    let f = ask(fresh(), 'a', 'speak', 'd-a', 't1');
    f = ask(f, 'b', 'speak', 'd-b', 't2');
    f = ask(f, 'c', 'speak', 'd-c', null);
    f = floorRules.floorGive(f, { id: 'a' }, 10_000);
    f = floorRules.floorGive(f, { id: 'b' }, 40_000);
    expect(f.book.tally).toEqual([{ table: 't1', turns: 1, spokenMs: 30_000 }]);
    f = floorRules.floorDone(f, {}, 100_000);
    expect(f.floor.current).toBeNull();
    f = floorRules.floorGive(f, { id: 'c' }, 200_000);
    f = floorRules.floorDone(f, {}, 201_000);
    expect(f.book.tally).toEqual([
      { table: 't1', turns: 1, spokenMs: 30_000 },
      { table: 't2', turns: 1, spokenMs: 60_000 },
      { table: null, turns: 1, spokenMs: 1_000 },
    ]);
    // Nothing to end: nothing changes.
    expect(floorRules.floorDone(f, {}, 300_000)).toBe(f);
  });

  it('give or dismiss of an id not in the queue → NOT_FOUND; dismiss removes a request', () => {
    let f = ask(fresh(), 'a', 'speak');
    expect(code(() => floorRules.floorGive(f, { id: 'zzz' }, 1))).toBe(ErrorCode.NOT_FOUND);
    expect(code(() => floorRules.floorDismiss(f, { id: 'zzz' }))).toBe(ErrorCode.NOT_FOUND);
    f = floorRules.floorGive(f, { id: 'a' }, 1);
    // The current turn is not in the queue any more.
    expect(code(() => floorRules.floorGive(f, { id: 'a' }, 2))).toBe(ErrorCode.NOT_FOUND);
    f = ask(f, 'b', 'speak');
    f = floorRules.floorDismiss(f, { id: 'b' });
    expect(f.floor.queue).toEqual([]);
    expect(f.book.devices).toEqual({});
  });

  it("withdraw and leave take out the device's own request only", () => {
    let f = ask(fresh(), 'a', 'speak', 'd-a');
    f = ask(f, 'b', 'speak', 'd-b');
    expect(floorRules.floorWithdraw(f, { device: 'nobody' })).toBe(f);
    f = floorRules.floorWithdraw(f, { device: 'd-a' });
    expect(f.floor.queue.map((r) => r.id)).toEqual(['b']);
    f = floorRules.floorLeave(f, { device: 'd-b' });
    expect(f.floor.queue).toEqual([]);
    expect(floorRules.floorLeave(f, { device: 'd-b' })).toBe(f);
  });

  it('extends the current turn, never below 30 s; no turn → CONFLICT', () => {
    let f = ask(fresh(), 'a', 'speak');
    expect(code(() => floorRules.floorExtend(f, { seconds: 60 }))).toBe(ErrorCode.CONFLICT);
    f = floorRules.floorGive(f, { id: 'a' }, 0);
    f = floorRules.floorExtend(f, { seconds: 60 });
    expect(f.floor.current?.plannedMs).toBe(180_000);
    f = floorRules.floorExtend(f, { seconds: -600 });
    expect(f.floor.current?.plannedMs).toBe(30_000);
  });

  it('bounds the queue', () => {
    let f = fresh();
    for (let i = 0; i < 200; i++) f = ask(f, `r${i}`, 'speak');
    expect(code(() => ask(f, 'one-more', 'speak'))).toBe(ErrorCode.CONFLICT);
  });
});

describe('the floor folded as live changes', () => {
  const baseState = (): LiveState => ({
    rev: 1,
    event: { id: 'ev', code: 'ABC', title: 'T', languages: ['fr'], moderation: 'pre', tables: [], indicators: [] },
    agenda: [],
    stage: { itemId: null, phase: 'waiting', slide: null, timer: { running: false, startedAt: null, accumulatedMs: 0, plannedMs: 0 } },
    projector: { mode: 'queue', questionId: null },
    audience: { connected: 0, byTable: {} },
    audio: { fr: { onAir: false, listeners: 0 }, floor: { onAir: false, listeners: 0 } },
  });
  let seq = 0;
  const entry = (kind: string, payload: unknown, at = 1000): Entry => ({ seq: ++seq, at, kind, payload });
  const change = (name: string, payload: unknown, at?: number) => entry('live.change', { name, payload }, at);

  it('gives a state stored before the floor a closed, empty floor; bumps rev only when the public floor changes', () => {
    const s: LiveEventState = liveReducer.initial();
    // A state imported from before the floor existed.
    const first = liveReducer.apply(s, entry('live.import', { state: baseState() }))!;
    expect(first.floor).toEqual({ open: false, queue: [], current: null });
    const opened = liveReducer.apply(s, change('floorOpen', { open: true }))!;
    expect(opened.rev).toBe(2);
    expect(liveReducer.apply(s, change('floorOpen', { open: true }))).toBeNull();
    const asked = liveReducer.apply(s, change('floorRequest', { id: 'x1', kind: 'speak', name: 'Ana', device: 'phone-1', table: null }, 4242))!;
    expect(asked.rev).toBe(3);
    expect(asked.floor?.queue).toEqual([{ id: 'x1', kind: 'speak', table: null, name: 'Ana', at: 4242 }]);
    // The device is in the book, not in the state that is sent.
    expect(JSON.stringify(asked)).not.toContain('phone-1');
    expect(s.floorBook?.devices).toEqual({ x1: 'phone-1' });
    // A refusal changes nothing.
    expect(() => liveReducer.apply(s, change('floorGive', { id: 'nope' }))).toThrow(TribuneError);
    expect(s.state?.rev).toBe(3);
    // The book survives a snapshot.
    const copy = liveReducer.load(JSON.parse(JSON.stringify(liveReducer.save(s))));
    expect(copy.floorBook).toEqual(s.floorBook);
  });
});

describe('FLOOR_LEAVE_MS', () => {
  it('defaults to the contract\'s 2 minutes (unset), takes milliseconds, refuses nonsense', () => {
    expect(readConfig({}).floorLeaveMs).toBeNull();
    expect(readConfig({ FLOOR_LEAVE_MS: '5000' }).floorLeaveMs).toBe(5000);
    expect(() => readConfig({ FLOOR_LEAVE_MS: 'soon' })).toThrow(/FLOOR_LEAVE_MS/);
    expect(() => readConfig({ FLOOR_LEAVE_MS: '10' })).toThrow(/FLOOR_LEAVE_MS/);
  });
});
