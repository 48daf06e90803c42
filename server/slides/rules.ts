/**
 * The slides domain's rules: which decks the event has stored, their page counts and stored times,
 * folded from the event's log (decks.ts appends the entries once every page image is stored).
 */
import type { Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';

export interface DecksState {
  decks: Record<string, { pageCount: number; storedAt: number }>;
}

/**
 * `slides.deck` stores a deck or renews its time (`storedAt`: given by an import of an older
 * version's deck, else the entry's time); `slides.drop` forgets one (its images go after).
 */
export type DecksEntry =
  | { kind: 'slides.deck'; payload: { hash: string; pageCount: number; storedAt?: number } }
  | { kind: 'slides.drop'; payload: { hash: string } };

export const decksReducer: Reducer<DecksState, void> = {
  name: 'slides',
  initial: () => ({ decks: Object.create(null) }),
  apply(state, entry: Entry) {
    const e = entry as Entry & DecksEntry;
    if (e.kind === 'slides.deck') state.decks[e.payload.hash] = { pageCount: e.payload.pageCount, storedAt: e.payload.storedAt ?? e.at };
    else if (e.kind === 'slides.drop') delete state.decks[e.payload.hash];
  },
  save: (state) => state.decks,
  load: (json) => ({ decks: Object.assign(Object.create(null), json) }),
};
