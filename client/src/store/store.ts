/**
 * The one client store, in slices (zustand's slices pattern). Each slice is defined in its own module
 * (store/conn.ts, live.ts, commands.ts, captions.ts, questions.ts, slides.ts, report.ts) with its
 * initial state, its actions (plain functions outside components, calling the store's set/get) and
 * its lifetime: whether it goes back to its initial state with the connection (`resetSession`).
 *
 * A slice joins the store when its module loads (`defineSlice`) rather than this module importing
 * every slice: the slices' actions import this module, so importing them here would be an import
 * cycle, and every screen's chunk (the phone's too) would carry every slice — the report's fetch
 * code included. The types are composed here (type-only imports), so every selector is typed
 * against the whole store. A slice is in the store before anything reads it: `captions`,
 * `questions`, `report` and `slides` are read through their own module (its hook, its actions);
 * `conn`, `live` and the commands' keys with `useStore` directly, by screens that open the socket
 * (net/socket.ts imports the slices it feeds, and questions.ts the commands').
 */
import { create } from 'zustand';
import type { CaptionsSlice } from './captions.ts';
import type { CommandSlice } from './commands.ts';
import type { ConnSlice } from './conn.ts';
import type { LiveSlice } from './live.ts';
import type { PollsSlice } from './polls.ts';
import type { QuestionsSlice } from './questions.ts';
import type { ReportSlice } from './report.ts';
import type { SlidesSlice } from './slides.ts';

export type TribuneStore = ConnSlice & LiveSlice & CommandSlice & CaptionsSlice & QuestionsSlice & SlidesSlice & ReportSlice & PollsSlice;

/** Empty until the slices' modules load; each adds its part (`defineSlice`). */
export const useStore = create<TribuneStore>()(() => ({}) as TribuneStore);

/**
 * When a slice goes back to its initial state:
 * - `connection`: with the page's connection, in `resetSession()` (a screen left, another event
 *   joined): what the socket brought and what was sent over it;
 * - `own`: when its own screen says so, through the reset `defineSlice` returns (the report: fetched
 *   over HTTP by a panel or a page that has no socket, and forgotten when that panel closes).
 */
export type Lifetime = 'connection' | 'own';

export interface SliceSpec<K extends keyof TribuneStore> {
  /** The slice's part of the store, fresh (a new object each call). */
  initial: () => Pick<TribuneStore, K>;
  lifetime: Lifetime;
  /** Clears what the slice keeps outside the store (a timer, requests in flight) at each reset. */
  onReset?: () => void;
}

const slices: SliceSpec<keyof TribuneStore>[] = [];
/** Development only: which slice (by its keys) holds each key of the store. */
const owners = new Map<string, string>();

/**
 * Adds a slice to the store, once, when its module loads; returns the slice's own reset (for an
 * `own` slice's screen, and for tests). Two slices may not share a key (checked in development and
 * tests; a module the dev server reloads defines its slice again, with the same keys).
 */
export function defineSlice<K extends keyof TribuneStore>(spec: SliceSpec<K>): () => void {
  const fresh = spec.initial();
  if (import.meta.env.DEV) {
    const keys = Object.keys(fresh).sort().join(',');
    for (const k of Object.keys(fresh)) {
      const owner = owners.get(k);
      if (owner !== undefined && owner !== keys) throw new Error(`store slices overlap: {${owner}} and {${keys}}`);
      owners.set(k, keys);
    }
  }
  slices.push(spec as unknown as SliceSpec<keyof TribuneStore>);
  useStore.setState(fresh);
  return () => {
    spec.onReset?.();
    useStore.setState(spec.initial());
  };
}

/**
 * Puts every slice whose lifetime is the connection back to its initial state, in one update (no
 * screen renders half a reset). net/socket.ts calls it when the page closes or changes its connection.
 */
export function resetSession(): void {
  const fresh: Partial<TribuneStore> = {};
  for (const spec of slices) {
    if (spec.lifetime !== 'connection') continue;
    spec.onReset?.();
    Object.assign(fresh, spec.initial());
  }
  useStore.setState(fresh);
}

/** Keys of the store that hold a whole slice under one name (`captions`, `questions`, `report`, `slides`, `polls`). */
type PartKey = 'captions' | 'questions' | 'report' | 'slides' | 'polls';

/** A hook selecting within one part of the store, with that part's state at hand (`.getState()`). */
export interface PartHook<P> {
  <T>(select: (part: P) => T): T;
  getState(): P;
}

/**
 * get, set and a hook over a slice kept under one key: `set` takes a patch of that part (or a function
 * of it returning a patch, or the part itself for "no change"); the hook selects within the part, and
 * its component renders again only when what it selected changed (so a caption arriving does not
 * render the questions, nor the stage).
 */
export function part<K extends PartKey>(key: K) {
  type P = TribuneStore[K];
  const get = (): P => useStore.getState()[key];
  const set = (patch: Partial<P> | ((part: P) => Partial<P>)): void =>
    useStore.setState((s) => {
      const cur = s[key];
      const next = typeof patch === 'function' ? patch(cur) : patch;
      return next === cur ? s : ({ [key]: { ...cur, ...next } } as Partial<TribuneStore>);
    });
  const use = <T>(select: (part: P) => T): T => useStore((s) => select(s[key]));
  const hook: PartHook<P> = Object.assign(use, { getState: get });
  return { get, set, use: hook };
}
