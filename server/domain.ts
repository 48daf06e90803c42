/**
 * A domain (captions, questions, ratings, slides) plugs into the live core through this
 * interface: its own store module, its commands, its HTTP routes. The core stays unaware of it.
 */
import type { Router } from 'express';
import type { LiveState } from '../shared/schemas.ts';
import type { Logger } from './log.ts';
import type { CommandPayload } from '../shared/commands.ts';
import type { CommandRegistrar, CommandTable } from './socket/commands.ts';
import type { TribuneServer, TribuneSocket } from './socket/types.ts';
import type { Store } from './store/types.ts';

export type { CommandRegistrar, CommandTable };

export interface DomainContext {
  io: TribuneServer;
  store: Store;
  logger: Logger;
  /** SHA-256 of the admin token (routes the admin page calls). */
  adminTokenHash: string;
}

export interface Domain {
  readonly name: string;
  /**
   * This domain's command handlers, built once per server (preferred: a socket then costs
   * nothing per command). Handlers get `(payload, socket)`; `socket.data` has the role and event.
   */
  commands?(ctx: DomainContext): CommandTable;
  /**
   * Core commands this domain's table replaces on purpose (the questions domain's `projector:show`
   * also checks the question it shows). Any other name given twice stops the server at start.
   */
  readonly replaces?: readonly string[];
  /**
   * Called synchronously for every connected socket, after it joined its rooms (socket/rooms.ts):
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
