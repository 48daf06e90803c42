/**
 * A domain (captions, questions, polls, slides, …) plugs into the live core through this
 * interface: its commands, its HTTP routes, its snapshots; its state is its reducer's fold of the
 * event log (server/reducers.ts). The core stays unaware of it. The app makes one context, once
 * `io` exists, and hands it to every hook; a domain that sends of its own accord (a timer, a
 * coalesced broadcast) is built from it (`DomainPlug`), so none holds a context filled in later.
 */
import type { Router } from 'express';
import type { LiveState, ProjectorMode } from '../shared/schemas.ts';
import type { Logger } from './log.ts';
import type { CommandPayload } from '../shared/commands.ts';
import type { CommandRegistrar, CommandTable } from './socket/commands.ts';
import type { Delivery } from './socket/deliver.ts';
import type { TribuneSocket } from './socket/types.ts';
import type { Store } from './store/types.ts';

export type { CommandRegistrar, CommandTable };

export interface DomainContext {
  /** The one way to send to more than one socket (socket/deliver.ts). */
  deliver: Delivery;
  store: Store;
  logger: Logger;
  /** SHA-256 of the admin token (routes the admin page calls). */
  adminTokenHash: string;
}

/**
 * A domain's check of what `projector:show` is asked to show in its mode (it must exist: throw a
 * refusal, NOT_FOUND, to stop the change); it may return what to do once the change is stored.
 */
export type ProjectorCheck = (
  payload: CommandPayload<'projector:show'>,
  socket: TribuneSocket,
  ctx: DomainContext,
) => Promise<(() => void) | void>;

/**
 * What a backend hands the app: a domain, or how to build one from the app's context (made once,
 * after `io` exists) for a domain that sends to sockets of its own accord (captions, questions, polls).
 */
export type DomainPlug = Domain | ((ctx: DomainContext) => Domain);

export interface Domain {
  readonly name: string;
  /**
   * This domain's command handlers, built once per server (preferred: a socket then costs
   * nothing per command). Handlers get `(payload, socket)`; `socket.data` has the role and event.
   */
  commands?(ctx: DomainContext): CommandTable;
  /**
   * Core commands this domain's table replaces on purpose (none today: a mode of `projector:show` is
   * checked through `projector` below). Any other name given twice stops the server at start.
   */
  readonly replaces?: readonly string[];
  /** The projector modes this domain owns, each with its check (server/socket/projector.ts). */
  readonly projector?: Partial<Record<ProjectorMode, ProjectorCheck>>;
  /**
   * Called synchronously for every connected socket, after it joined its rooms (socket/deliver.ts `join`):
   * register its commands here, before anything awaits, so none sent right after connect is missed.
   */
  register?(socket: TribuneSocket, command: CommandRegistrar, ctx: DomainContext): void;
  /**
   * Called after the socket was sent its first `state`: send it this domain's snapshot. Let a store
   * failure (UNAVAILABLE) reject: the core calls it again while the store is away (socket/snapshots.ts),
   * so it may run more than once for a socket and must not count the socket twice.
   */
  onJoined?(socket: TribuneSocket, ctx: DomainContext): Promise<void>;
  /**
   * Called after `lang:set` moved the socket to its new language room (`socket.data.lang`), with the
   * command's payload (`after`: the highest final caption seq the client holds in that language).
   */
  onLangChanged?(socket: TribuneSocket, ctx: DomainContext, change: CommandPayload<'lang:set'>): Promise<void>;
  /**
   * Called after this process stored a new audience total (presence, coalesced: at most once
   * every 2 s per event); the state carries the total over every process.
   */
  onAudience?(state: LiveState, ctx: DomainContext): void;
  /** HTTP routes, mounted under `/api` before the API's 404. */
  routes?(api: Router, ctx: DomainContext): void;
  close?(): Promise<void>;
}
