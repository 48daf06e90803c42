import { describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import { DEFAULT_INDICATORS, EventSetup, type LiveState, type PublicEvent } from '../shared/schemas.ts';
import { upcomingPlanned } from '../shared/agenda.ts';
import { elapsedMs, formatClock, timerTone } from '../shared/time.ts';
import { initialState, nextPlanned, transitions } from '../shared/transitions.ts';

let n = 0;
const newId = () => `gen${++n}`;

function setup(): LiveState {
  const s = EventSetup.parse({
    title: 'T',
    languages: ['fr', 'es'],
    agenda: [
      { id: 'a', speaker: 'A', plannedSeconds: 600 },
      { id: 'b', speaker: 'B', plannedSeconds: 300 },
      { id: 'c', speaker: 'C', language: 'es' },
    ],
  });
  const event: PublicEvent = {
    id: 'ev', code: 'CODE42', title: s.title, languages: s.languages, moderation: s.moderation,
    tables: s.tables, indicators: DEFAULT_INDICATORS,
  };
  return initialState(event, s, newId);
}

function refused(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TribuneError);
    expect((err as TribuneError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('initial state', () => {
  it('starts waiting with everything planned and the floor language as default', () => {
    const s = setup();
    expect(s.rev).toBe(1);
    expect(s.stage).toMatchObject({ itemId: null, phase: 'waiting', slide: null });
    expect(s.agenda.map((i) => i.status)).toEqual(['planned', 'planned', 'planned']);
    expect(s.agenda.map((i) => i.language)).toEqual(['fr', 'fr', 'es']);
    expect(s.agenda[2]!.plannedSeconds).toBe(600);
  });
});

describe('agenda', () => {
  it('next puts the first planned item on stage, with its timer running and page 1', () => {
    const s = transitions['agenda:next'](setup(), {}, 1000, newId);
    expect(s.stage).toEqual({
      itemId: 'a',
      phase: 'speaking',
      slide: { itemId: 'a', page: 1 },
      timer: { running: true, startedAt: 1000, accumulatedMs: 0, plannedMs: 600_000 },
    });
    expect(s.agenda[0]!.status).toBe('live');
  });

  it('next retires the live item with its spoken time, and refuses past the end', () => {
    let s = transitions['agenda:next'](setup(), {}, 0, newId);
    s = transitions['agenda:next'](s, {}, 5000, newId);
    expect(s.agenda[0]).toMatchObject({ status: 'done', spokenMs: 5000 });
    expect(s.stage.itemId).toBe('b');
    s = transitions['agenda:next'](s, {}, 6000, newId);
    refused(() => transitions['agenda:next'](s, {}, 7000, newId), ErrorCode.CONFLICT);
  });

  it('next takes the first planned item after the current one, skipping done ones', () => {
    let s = transitions['agenda:go'](setup(), { itemId: 'b' }, 0, newId);
    expect(nextPlanned(s)?.id).toBe('c');
    s = transitions['agenda:go'](s, { itemId: 'a' }, 10, newId);
    expect(nextPlanned(s)?.id).toBe('c'); // b is done
  });

  it('what the screens show as next is what agenda:next puts on stage (shared/agenda.ts)', () => {
    const ids = (items: { id: string }[]) => items.map((i) => i.id);
    let s = setup();
    expect(ids(upcomingPlanned(s.agenda, null, 3))).toEqual(['a', 'b', 'c']);
    expect(ids(upcomingPlanned(s.agenda, null, 2))).toEqual(['a', 'b']);
    expect(ids(upcomingPlanned(s.agenda, 'gone', 1))).toEqual(['a']); // an item no longer in the order
    s = transitions['agenda:go'](s, { itemId: 'b' }, 0, newId);
    s = transitions['agenda:go'](s, { itemId: 'a' }, 10, newId);
    expect(ids(upcomingPlanned(s.agenda, s.stage.itemId, 3))).toEqual(['c']);
    expect(upcomingPlanned(s.agenda, 'c', 3)).toEqual([]);
    for (const at of [null, 'a', 'b', 'c']) {
      const state = { ...s, stage: { ...s.stage, itemId: at } };
      expect(nextPlanned(state)).toBe(upcomingPlanned(s.agenda, at, 1)[0]);
    }
    const next = nextPlanned(s)!;
    expect(transitions['agenda:next'](s, {}, 20, newId).stage.itemId).toBe(next.id);
  });

  it('going back to a done item resumes its timer from its spoken time', () => {
    let s = transitions['agenda:go'](setup(), { itemId: 'a' }, 0, newId);
    s = transitions['agenda:go'](s, { itemId: 'b' }, 4000, newId);
    s = transitions['agenda:go'](s, { itemId: 'a' }, 9000, newId);
    expect(s.stage.timer).toMatchObject({ running: true, startedAt: 9000, accumulatedMs: 4000 });
    expect(s.agenda.find((i) => i.id === 'b')).toMatchObject({ status: 'done', spokenMs: 5000 });
    expect(elapsedMs(s.stage.timer, 10_000)).toBe(5000);
  });

  it('go to an unknown item is NOT_FOUND; go to the live item changes nothing', () => {
    const s = transitions['agenda:go'](setup(), { itemId: 'a' }, 0, newId);
    refused(() => transitions['agenda:go'](s, { itemId: 'zz' }, 0, newId), ErrorCode.NOT_FOUND);
    expect(transitions['agenda:go'](s, { itemId: 'a' }, 50, newId)).toBe(s);
  });

  it('update keeps history, assigns ids, and cannot remove the live item', () => {
    let s = transitions['agenda:go'](setup(), { itemId: 'a' }, 0, newId);
    s = transitions['agenda:next'](s, {}, 3000, newId);
    const next = transitions['agenda:update'](
      s,
      { items: [{ id: 'b', speaker: 'B2', delegation: '', title: '', plannedSeconds: 60 }, { id: 'a', speaker: 'A', delegation: '', title: '', plannedSeconds: 60 }, { speaker: 'New', delegation: '', title: '', plannedSeconds: 60 }] },
      4000,
      newId,
    );
    expect(next.agenda.map((i) => [i.speaker, i.status])).toEqual([['B2', 'live'], ['A', 'done'], ['New', 'planned']]);
    expect(next.agenda[1]!.spokenMs).toBe(3000);
    expect(next.agenda[2]!.id).toMatch(/^gen/);
    refused(() => transitions['agenda:update'](s, { items: [{ id: 'a', speaker: '', delegation: '', title: '', plannedSeconds: 1 }] }, 0, newId), ErrorCode.CONFLICT);
  });

  it("a new planned time for the live item moves its timer's, keeping the minutes added", () => {
    let s = transitions['agenda:go'](setup(), { itemId: 'a' }, 0, newId);
    s = transitions['timer:extend'](s, { seconds: 60 }, 0, newId);
    const items = s.agenda.map(({ id, speaker, delegation, title, language, plannedSeconds }) => ({ id, speaker, delegation, title, language, plannedSeconds }));
    const next = transitions['agenda:update'](s, { items: items.map((i) => (i.id === 'a' ? { ...i, plannedSeconds: 900 } : i)) }, 0, newId);
    expect(next.stage.timer.plannedMs).toBe((900 + 60) * 1000);
    const other = transitions['agenda:update'](s, { items: items.map((i) => (i.id === 'b' ? { ...i, plannedSeconds: 900 } : i)) }, 0, newId);
    expect(other.stage.timer.plannedMs).toBe((600 + 60) * 1000);
  });
});

describe('timer', () => {
  it('pauses, resumes, extends and resets from timestamps', () => {
    let s = transitions['agenda:next'](setup(), {}, 0, newId);
    s = transitions['timer:pause'](s, {}, 2000, newId);
    expect(s.stage.timer).toMatchObject({ running: false, startedAt: null, accumulatedMs: 2000 });
    expect(elapsedMs(s.stage.timer, 99_999)).toBe(2000);
    s = transitions['timer:start'](s, {}, 10_000, newId);
    expect(elapsedMs(s.stage.timer, 11_000)).toBe(3000);
    s = transitions['timer:extend'](s, { seconds: 60 }, 0, newId);
    expect(s.stage.timer.plannedMs).toBe(660_000);
    s = transitions['timer:extend'](s, { seconds: -600 }, 0, newId);
    expect(s.stage.timer.plannedMs).toBe(60_000);
    s = transitions['timer:extend'](s, { seconds: 120 }, 0, newId);
    s = transitions['timer:extend'](s, { seconds: -600 }, 0, newId); // stops at one minute
    expect(s.stage.timer.plannedMs).toBe(60_000);
    const atMinimum = s;
    refused(() => transitions['timer:extend'](atMinimum, { seconds: -60 }, 0, newId), ErrorCode.CONFLICT);
    s = transitions['timer:reset'](s, {}, 0, newId);
    expect(s.stage.timer).toMatchObject({ running: false, accumulatedMs: 0 });
  });

  it('needs an item on stage', () => {
    refused(() => transitions['timer:start'](setup(), {}, 0, newId), ErrorCode.CONFLICT);
  });

  it('tones: calm, last minute, over; clock format', () => {
    const t = { running: false, startedAt: null, accumulatedMs: 0, plannedMs: 120_000 };
    expect(timerTone(t, 0)).toBe('calm');
    expect(timerTone({ ...t, accumulatedMs: 61_000 }, 0)).toBe('lastMinute');
    expect(timerTone({ ...t, accumulatedMs: 121_000 }, 0)).toBe('over');
    expect(formatClock(252_000)).toBe('04:12');
    expect(formatClock(-65_000)).toBe('-01:05');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });
});

describe('slides, phase, projector', () => {
  it('moves freely without a deck but never below page 1', () => {
    let s = transitions['agenda:next'](setup(), {}, 0, newId);
    refused(() => transitions['slide:prev'](s, {}, 0, newId), ErrorCode.CONFLICT);
    s = transitions['slide:next'](s, {}, 0, newId);
    s = transitions['slide:goto'](s, { page: 40 }, 0, newId);
    expect(s.stage.slide).toEqual({ itemId: 'a', page: 40 });
  });

  it('stays within 1..pageCount with a deck', () => {
    let s = transitions['agenda:next'](setup(), {}, 0, newId);
    s = { ...s, agenda: s.agenda.map((i) => (i.id === 'a' ? { ...i, slides: { pageCount: 2, base: '/x' } } : i)) };
    s = transitions['slide:next'](s, {}, 0, newId);
    refused(() => transitions['slide:next'](s, {}, 0, newId), ErrorCode.CONFLICT);
    refused(() => transitions['slide:goto'](s, { page: 3 }, 0, newId), ErrorCode.CONFLICT);
  });

  it('ended retires the live item; other phases only change the phase', () => {
    let s = transitions['agenda:next'](setup(), {}, 0, newId);
    s = transitions['phase:set'](s, { phase: 'qa' }, 0, newId);
    expect(s.stage).toMatchObject({ phase: 'qa', itemId: 'a' });
    s = transitions['phase:set'](s, { phase: 'ended' }, 7000, newId);
    expect(s.stage).toMatchObject({ phase: 'ended', itemId: null });
    expect(s.agenda[0]).toMatchObject({ status: 'done', spokenMs: 7000 });
  });

  it('projector question mode needs a question id', () => {
    refused(() => transitions['projector:show'](setup(), { mode: 'question' }, 0, newId), ErrorCode.INVALID_PAYLOAD);
    expect(transitions['projector:show'](setup(), { mode: 'join' }, 0, newId).projector).toEqual({ mode: 'join', questionId: null });
  });
});

describe('event setup schema', () => {
  it('normalises languages and refuses duplicates and bad sizes', () => {
    expect(EventSetup.parse({ title: 'x', languages: ['FR'], agenda: [{}] }).languages).toEqual(['fr']);
    expect(EventSetup.safeParse({ title: 'x', languages: ['fr', 'fr'], agenda: [{}] }).success).toBe(false);
    expect(EventSetup.safeParse({ title: '', languages: ['fr'], agenda: [{}] }).success).toBe(false);
    expect(EventSetup.safeParse({ title: 'x', languages: ['fr'], agenda: [] }).success).toBe(false);
    expect(EventSetup.safeParse({ title: 'x', languages: ['fr'], agenda: [{ id: 'a' }, { id: 'a' }] }).success).toBe(false);
  });
});
