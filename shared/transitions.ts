/**
 * Pure state transitions: `(state, command, now) -> next state`, no I/O.
 * The server applies them inside an atomic store update; a refusal throws a TribuneError,
 * so the store writes nothing and the ack carries the code.
 */
import { nextPlanned } from './agenda.ts';
import { ErrorCode, TribuneError, type Reason, type ReasonParams } from './errors.ts';
import { closedFloor } from './floor.ts';
import { elapsedMs } from './time.ts';
import type { liveCommands } from './commands.ts';
import { audioState } from './audio.ts';
import type {
  AgendaItem,
  AgendaItemInput,
  CommandPayload,
  EventSetup,
  LiveState,
  PublicEvent,
  Timer,
} from './schemas.ts';

/** `timer:extend` never takes a planned time below this (it refuses at it). */
const MIN_PLANNED_MS = 60_000;
const conflict = (message: string, reason: Reason, params?: ReasonParams) => new TribuneError(ErrorCode.CONFLICT, message, reason, params);

export const idleTimer = (plannedMs = 0): Timer => ({
  running: false,
  startedAt: null,
  accumulatedMs: 0,
  plannedMs,
});

/** Fresh live state of a newly created event. */
export function initialState(event: PublicEvent, setup: Pick<EventSetup, 'agenda' | 'languages'>, newId: () => string): LiveState {
  return {
    rev: 1,
    event,
    agenda: buildAgenda([], setup.agenda, setup.languages[0] ?? 'en', newId),
    stage: { itemId: null, phase: 'waiting', slide: null, timer: idleTimer() },
    projector: { mode: 'queue', questionId: null },
    audience: { connected: 0, byTable: {} },
    floor: closedFloor(),
    audio: audioState(event),
  };
}

/**
 * Builds the running order from input items. Items whose id already exists keep their
 * status, spoken time and slides; new items are `planned`; missing ids are assigned.
 */
export function buildAgenda(
  previous: AgendaItem[],
  items: (AgendaItemInput | EventSetup['agenda'][number])[],
  floorLanguage: string,
  newId: () => string,
): AgendaItem[] {
  const byId = new Map(previous.map((i) => [i.id, i]));
  const taken = new Set(items.flatMap((i) => (i.id ? [i.id] : [])));
  if (taken.size !== items.filter((i) => i.id).length) {
    throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'item ids must be unique', 'itemIdsUnique');
  }
  return items.map((input) => {
    let id = input.id;
    while (!id || (!input.id && taken.has(id))) id = newId();
    taken.add(id);
    const kept = byId.get(id);
    return {
      id,
      speaker: input.speaker ?? '',
      delegation: input.delegation ?? '',
      title: input.title ?? '',
      language: input.language ?? floorLanguage,
      plannedSeconds: input.plannedSeconds ?? 600,
      status: kept?.status ?? 'planned',
      spokenMs: kept?.spokenMs ?? 0,
      slides: kept?.slides ?? { pageCount: 0, base: null },
      ...(kept?.startedAt ? { startedAt: kept.startedAt } : {}),
    };
  });
}

function findItem(state: LiveState, itemId: string): AgendaItem {
  const item = state.agenda.find((i) => i.id === itemId);
  if (!item) throw new TribuneError(ErrorCode.NOT_FOUND, `no item "${itemId}" in the running order`, 'noItem', { item: itemId });
  return item;
}

function requireStage(state: LiveState): AgendaItem {
  const id = state.stage.itemId;
  if (id === null) throw conflict('nothing is on stage', 'noStage');
  return findItem(state, id);
}

/** Takes the live item off stage: it becomes `done`, keeping the time it was spoken. */
function retireLive(state: LiveState, now: number): AgendaItem[] {
  const liveId = state.stage.itemId;
  return state.agenda.map((i) =>
    i.id === liveId && i.status === 'live'
      ? { ...i, status: 'done' as const, spokenMs: elapsedMs(state.stage.timer, now) }
      : i,
  );
}

/** Puts an item on stage: its timer runs from its spoken time, slides at page 1. */
export function goTo(state: LiveState, itemId: string, now: number): LiveState {
  const target = findItem(state, itemId);
  if (state.stage.itemId === itemId && target.status === 'live') return state;
  const agenda = retireLive(state, now).map((i) =>
    i.id === itemId ? { ...i, status: 'live' as const, startedAt: i.startedAt ?? now } : i,
  );
  return {
    ...state,
    agenda,
    stage: {
      itemId,
      phase: 'speaking',
      slide: { itemId, page: 1 },
      timer: {
        running: true,
        startedAt: now,
        accumulatedMs: target.status === 'done' ? target.spokenMs : 0,
        plannedMs: target.plannedSeconds * 1000,
      },
    },
  };
}

/** The first `planned` item after the one on stage (or the first planned one when none is): shared/agenda.ts. */
export { nextPlanned };

function withTimer(state: LiveState, timer: Timer): LiveState {
  return { ...state, stage: { ...state.stage, timer } };
}

function movePage(state: LiveState, page: number): LiveState {
  const item = requireStage(state);
  const { pageCount } = item.slides;
  if (page < 1) throw conflict('already at the first page', 'firstPage');
  if (pageCount > 0 && page > pageCount) throw conflict(`the deck has ${pageCount} pages`, 'lastPage', { pages: pageCount });
  return { ...state, stage: { ...state.stage, slide: { itemId: item.id, page } } };
}

/**
 * A deck was rendered for an item (PUT …/deck): the item's `slides` become the new deck, and when
 * that item's slide is on stage past the new deck's last page, the pointer moves to its last page.
 * Throws NOT_FOUND when the item left the running order meanwhile.
 */
export function deckUploaded(state: LiveState, itemId: string, slides: { pageCount: number; base: string }): LiveState {
  const item = findItem(state, itemId);
  if (item.slides.pageCount === slides.pageCount && item.slides.base === slides.base) return state;
  const agenda = state.agenda.map((i) => (i.id === itemId ? { ...i, slides: { pageCount: slides.pageCount, base: slides.base } } : i));
  const slide = state.stage.slide;
  const stage =
    slide && slide.itemId === itemId && slide.page > slides.pageCount
      ? { ...state.stage, slide: { ...slide, page: Math.max(1, slides.pageCount) } }
      : state.stage;
  return { ...state, agenda, stage };
}

type Transitions = {
  [C in Exclude<keyof typeof liveCommands, 'lang:set'>]: (
    state: LiveState,
    payload: CommandPayload<C>,
    now: number,
    newId: () => string,
  ) => LiveState;
};

/** The moderator's commands. Each returns the next state or throws a TribuneError. */
/**
 * What the projector shows; question mode names its question, poll mode its poll (their domains
 * check it exists before the change is stored: server/socket/projector.ts).
 */
export function showOnProjector(s: LiveState, { mode, questionId, pollId }: CommandPayload<'projector:show'>): LiveState {
  if (mode === 'question' && !questionId) {
    throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'question mode needs a questionId', 'needQuestion');
  }
  if (mode === 'poll' && !pollId) {
    throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'poll mode needs a pollId', 'needPoll');
  }
  const { pollId: _shown, ...projector } = s.projector;
  return {
    ...s,
    projector: {
      ...projector,
      mode,
      questionId: mode === 'question' ? (questionId ?? null) : null,
      // Absent outside poll mode: states of events that never showed a poll stay as they were.
      ...(mode === 'poll' ? { pollId: pollId ?? null } : {}),
    },
  };
}

export const transitions: Transitions = {
  'agenda:go': (s, { itemId }, now) => goTo(s, itemId, now),

  'agenda:next': (s, _p, now) => {
    const next = nextPlanned(s);
    if (!next) throw conflict('no planned item after the current one', 'noNextItem');
    return goTo(s, next.id, now);
  },

  'agenda:update': (s, { items }, _now, newId) => {
    const agenda = buildAgenda(s.agenda, items, s.event.languages[0] ?? 'en', newId);
    if (s.stage.itemId !== null && !agenda.some((i) => i.id === s.stage.itemId)) {
      throw conflict('the item on stage cannot be removed', 'liveItemKept');
    }
    const live = agenda.find((i) => i.id === s.stage.itemId);
    let stage =
      live && s.stage.slide && live.slides.pageCount > 0 && s.stage.slide.page > live.slides.pageCount
        ? { ...s.stage, slide: { ...s.stage.slide, page: live.slides.pageCount } }
        : s.stage;
    // A new planned time for the live item moves its timer's too (keeping any −/+ minutes given).
    const before = s.agenda.find((i) => i.id === s.stage.itemId);
    if (live && before && live.plannedSeconds !== before.plannedSeconds) {
      const plannedMs = Math.max(0, stage.timer.plannedMs + (live.plannedSeconds - before.plannedSeconds) * 1000);
      stage = { ...stage, timer: { ...stage.timer, plannedMs } };
    }
    return { ...s, agenda, stage };
  },

  'timer:start': (s, _p, now) => {
    requireStage(s);
    const t = s.stage.timer;
    return t.running ? s : withTimer(s, { ...t, running: true, startedAt: now });
  },

  'timer:pause': (s, _p, now) => {
    requireStage(s);
    const t = s.stage.timer;
    return t.running ? withTimer(s, { ...t, running: false, startedAt: null, accumulatedMs: elapsedMs(t, now) }) : s;
  },

  'timer:reset': (s) => {
    requireStage(s);
    return withTimer(s, idleTimer(s.stage.timer.plannedMs));
  },

  'timer:extend': (s, { seconds }) => {
    requireStage(s);
    const t = s.stage.timer;
    let plannedMs = t.plannedMs + seconds * 1000;
    // A planned time of zero reads as "no limit" on every screen: minutes taken off stop at one.
    if (seconds < 0 && plannedMs < MIN_PLANNED_MS) {
      if (t.plannedMs <= MIN_PLANNED_MS) throw conflict('the planned time cannot go below one minute', 'plannedMinimum');
      plannedMs = MIN_PLANNED_MS;
    }
    return withTimer(s, { ...t, plannedMs });
  },

  'slide:goto': (s, { page }) => movePage(s, page),
  'slide:next': (s) => movePage(s, (s.stage.slide?.page ?? 0) + 1),
  'slide:prev': (s) => movePage(s, (s.stage.slide?.page ?? 1) - 1),

  'phase:set': (s, { phase }, now) => {
    if (phase !== 'ended') return { ...s, stage: { ...s.stage, phase } };
    // Ending the evening takes the live item off stage with its spoken time.
    return {
      ...s,
      agenda: retireLive(s, now),
      stage: { itemId: null, phase, slide: null, timer: idleTimer() },
    };
  },

  'projector:show': (s, payload) => showOnProjector(s, payload),
};

export type TransitionName = keyof typeof transitions;
