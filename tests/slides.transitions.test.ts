/** Slides' pure transitions: a deck lands on an item, the pointer stays within it; the overlay switch. */
import { describe, expect, it } from 'vitest';
import { ErrorCode, TribuneError } from '../shared/errors.ts';
import { DEFAULT_INDICATORS, EventSetup, type LiveState, type PublicEvent } from '../shared/schemas.ts';
import { setProjectorOverlay } from '../shared/slides.ts';
import { deckUploaded, initialState, transitions } from '../shared/transitions.ts';

let n = 0;
const newId = () => `gen${++n}`;

function setup(): LiveState {
  const s = EventSetup.parse({
    title: 'T',
    languages: ['fr'],
    agenda: [{ id: 'a', speaker: 'A' }, { id: 'b', speaker: 'B' }],
  });
  const event: PublicEvent = {
    id: 'ev', code: 'CODE42', title: s.title, languages: s.languages, moderation: s.moderation,
    tables: s.tables, indicators: DEFAULT_INDICATORS,
  };
  return initialState(event, s, newId);
}

const onStage = (s: LiveState, itemId: string, page: number) => {
  let next = transitions['agenda:go'](s, { itemId }, 0, newId);
  if (page > 1) next = transitions['slide:goto'](next, { page }, 0, newId);
  return next;
};

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TribuneError);
    return (err as TribuneError).code;
  }
  return 'none';
}

describe('deckUploaded', () => {
  it("sets the item's slides and leaves the rest of the state as it was", () => {
    const s = setup();
    const next = deckUploaded(s, 'b', { pageCount: 12, base: '/api/events/ev/decks/abc' });
    expect(next.agenda.find((i) => i.id === 'b')!.slides).toEqual({ pageCount: 12, base: '/api/events/ev/decks/abc' });
    expect(next.agenda.find((i) => i.id === 'a')).toBe(s.agenda.find((i) => i.id === 'a'));
    expect(next.stage).toBe(s.stage);
    expect(next.rev).toBe(s.rev); // the store bumps rev, not the transition
  });

  it('returns the same state for the same deck (no new rev), and NOT_FOUND for an unknown item', () => {
    const once = deckUploaded(setup(), 'a', { pageCount: 3, base: '/d/1' });
    expect(deckUploaded(once, 'a', { pageCount: 3, base: '/d/1' })).toBe(once);
    expect(code(() => deckUploaded(once, 'zz', { pageCount: 3, base: '/d/1' }))).toBe(ErrorCode.NOT_FOUND);
  });

  it('clamps the pointer on stage to the last page of a smaller deck', () => {
    let s = onStage(setup(), 'a', 9); // without a deck the pointer moves freely
    s = deckUploaded(s, 'a', { pageCount: 4, base: '/d/4' });
    expect(s.stage.slide).toEqual({ itemId: 'a', page: 4 });
    s = deckUploaded(s, 'a', { pageCount: 10, base: '/d/10' });
    expect(s.stage.slide).toEqual({ itemId: 'a', page: 4 }); // a larger deck keeps the page
  });

  it("does not touch the pointer when another item's deck changes", () => {
    const s = onStage(setup(), 'a', 7);
    expect(deckUploaded(s, 'b', { pageCount: 2, base: '/d/2' }).stage).toBe(s.stage);
  });

  it('then bounds slide:next / slide:goto by the new page count', () => {
    let s = deckUploaded(onStage(setup(), 'a', 1), 'a', { pageCount: 2, base: '/d/2' });
    s = transitions['slide:next'](s, {}, 0, newId);
    expect(s.stage.slide?.page).toBe(2);
    expect(code(() => transitions['slide:next'](s, {}, 0, newId))).toBe(ErrorCode.CONFLICT);
    expect(code(() => transitions['slide:goto'](s, { page: 3 }, 0, newId))).toBe(ErrorCode.CONFLICT);
    expect(transitions['slide:goto'](s, { page: 1 }, 0, newId).stage.slide?.page).toBe(1);
  });
});

describe('projector overlay', () => {
  it('is shown by default, hides and shows, and survives a change of projector mode', () => {
    const s = setup();
    expect(s.projector.overlay).toBeUndefined();
    expect(setProjectorOverlay(s, true)).toBe(s); // already shown: no change
    const hidden = setProjectorOverlay(s, false);
    expect(hidden.projector.overlay).toBe(false);
    const queue = transitions['projector:show'](hidden, { mode: 'queue' }, 0, newId);
    const slide = transitions['projector:show'](queue, { mode: 'slide' }, 0, newId);
    expect(slide.projector).toEqual({ mode: 'slide', questionId: null, overlay: false });
    expect(setProjectorOverlay(slide, true).projector.overlay).toBe(true);
  });
});
