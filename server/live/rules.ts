/**
 * The live state's rules, folded from the event log: every change of the running order, stage,
 * timer, slide, projector and audience is one `live.change` entry naming a pure change of
 * shared/ (the moderator's transitions, and the few the domains make), applied at the entry's time.
 * A change that returns the same state changes nothing (its verdict is null); any other takes the
 * next `rev`, so every process that folds the log hands out one rev sequence.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { audioState, sameAudio } from '../../shared/audio.ts';
import { closedFloor, emptyBook, floorRules, type FloorBook, type FloorFold, type FloorRuleName } from '../../shared/floor.ts';
import type { Audience, AudioChannel, LiveState } from '../../shared/schemas.ts';
import { setProjectorOverlay } from '../../shared/slides.ts';
import { deckUploaded, transitions } from '../../shared/transitions.ts';
import type { Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';
import { sameAudience } from './audience.ts';

type Change<P> = (state: LiveState, payload: P, now: number, newId: () => string) => LiveState;

/** The changes the domains make besides the moderator's commands. */
const domainChanges = {
  /** The projector's overlay switch (slides). */
  overlay: ((s, { visible }) => setProjectorOverlay(s, visible)) as Change<{ visible: boolean }>,
  /** A deck was rendered for an item (slides). */
  deck: ((s, { itemId, pageCount, base }) => deckUploaded(s, itemId, { pageCount, base })) as Change<{
    itemId: string;
    pageCount: number;
    base: string;
  }>,
  /** A dismissed question leaves the projector: it falls back to the queue (questions). */
  questionDismissed: ((s, { questionId }) =>
    s.projector.questionId === questionId ? { ...s, projector: { ...s.projector, mode: 'queue', questionId: null } } : s) as Change<{
    questionId: string;
  }>,
  /** Whether questions wait for approval (questions). */
  moderation: ((s, { mode }) => (s.event.moderation === mode ? s : { ...s, event: { ...s.event, moderation: mode } })) as Change<{
    mode: LiveState['event']['moderation'];
  }>,
  /** The attendee phones connected over every process (presence). */
  audience: ((s, { audience }) => (sameAudience(audience, s.audience) ? s : { ...s, audience })) as Change<{ audience: Audience }>,
  /**
   * Interpretation audio over every process (server/audio): the channels named carry their counts,
   * every other channel of the event is off air with no listener.
   */
  audio: ((s, { audio }) => {
    const next = audioState(s.event, audio);
    return sameAudio(next, s.audio) ? s : { ...s, audio: next };
  }) as Change<{ audio: Record<string, AudioChannel> }>,
};

/** A state stored before audio existed gets its channels, all off air (the contract names every one). */
export const withAudio = (state: LiveState): LiveState => (state.audio ? state : { ...state, audio: audioState(state.event) });

export const liveChanges = { ...transitions, ...domainChanges, ...floorRules };
export type LiveChangeName = keyof typeof liveChanges;
export type LiveChangePayload<N extends LiveChangeName> = Parameters<(typeof liveChanges)[N]>[1];

export interface LiveEventState {
  /** Null until the event's creation is folded. */
  state: LiveState | null;
  /**
   * What the floor's rules keep besides `state.floor` (shared/floor.ts): each queued request's
   * device and the ended turns per table (the report's). Folded here, never sent to a socket.
   */
  floorBook?: FloorBook;
}

const isFloorRule = (name: string): name is FloorRuleName => Object.hasOwn(floorRules, name);

/** A state stored before the floor existed gets a closed, empty one (every `state` carries it). */
const withFloor = (state: LiveState): LiveState => (state.floor ? state : { ...state, floor: closedFloor() });

/**
 * A floor rule over the state's floor and the book: the book is kept whatever happens to the
 * state; the state (and its rev) changes only when the public floor does.
 */
function applyFloor(s: LiveEventState, current: LiveState, name: FloorRuleName, payload: unknown, at: number): LiveState | null {
  const before: FloorFold = { floor: current.floor ?? closedFloor(), book: s.floorBook ?? emptyBook() };
  const rule = floorRules[name] as (f: FloorFold, p: unknown, now: number) => FloorFold;
  const after = rule(before, payload, at);
  if (after === before) return null;
  s.floorBook = after.book;
  if (after.floor === before.floor) return null;
  s.state = { ...current, floor: after.floor, rev: current.rev + 1 };
  return s.state;
}

export type LiveEntry =
  | { kind: 'live.create' | 'live.import'; payload: { state: LiveState } }
  | { kind: 'live.change'; payload: { name: LiveChangeName; payload: unknown; ids?: string[] } };

export const noSuchEvent = () => new TribuneError(ErrorCode.NOT_FOUND, 'no such event');

export const liveReducer: Reducer<LiveEventState, LiveState | null> = {
  name: 'live',
  initial: () => ({ state: null }),
  apply(s, entry: Entry) {
    const e = entry as Entry & LiveEntry;
    if (e.kind === 'live.create' || e.kind === 'live.import') {
      // An import is carried once; a second one (a crash before the old data was retired) is ignored.
      if (s.state) {
        if (e.kind === 'live.import') return null;
        throw new TribuneError(ErrorCode.CONFLICT, 'the event exists');
      }
      s.state = withAudio(withFloor(e.payload.state));
      return s.state;
    }
    if (e.kind !== 'live.change') throw new TribuneError(ErrorCode.INVALID_PAYLOAD, `unknown ${entry.kind}`);
    const current = s.state;
    if (!current) throw noSuchEvent();
    if (isFloorRule(e.payload.name)) return applyFloor(s, current, e.payload.name, e.payload.payload, entry.at);
    const change = liveChanges[e.payload.name] as Change<unknown> | undefined;
    if (!change) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, `unknown change ${e.payload.name}`);
    // New item ids come with the entry (drawn at random when it was appended): a replay gives the same.
    const ids = [...(e.payload.ids ?? [])];
    let extra = 0;
    const next = change(current, e.payload.payload, entry.at, () => ids.shift() ?? `n${entry.seq.toString(36)}x${++extra}`);
    if (next === current) return null;
    s.state = { ...next, rev: current.rev + 1 };
    return s.state;
  },
  save: (s) => s,
  load: (json) => {
    const s = json as LiveEventState;
    return s.state ? { ...s, state: withAudio(withFloor(s.state)) } : s;
  },
};
