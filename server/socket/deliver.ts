/**
 * The one way out for what the domains send to more than the socket that asked: a domain says what
 * changed (an event and its payload) and for whom (`Recipients`: the event's room, roles,
 * languages, one device, less some roles); this module names the rooms and sends. The
 * live state goes out the same way (state-broadcast.ts). Across processes the Socket.IO adapter
 * carries each send once; `local` keeps a send to this process's sockets (what each process
 * computes for its own, like presence).
 *
 * A reply to one socket (its snapshot at join, an answer to its own request) is that socket's
 * `emit`, not a broadcast.
 */
import type { ServerToClientEvents } from '../../shared/events.ts';
import type { Role } from '../../shared/schemas.ts';
import type { TribuneServer, TribuneSocket } from './types.ts';

/** Room names: per event, per language, per role, per device. */
const rooms = {
  event: (eventId: string) => `e:${eventId}`,
  lang: (eventId: string, lang: string) => `e:${eventId}:lang:${lang}`,
  role: (eventId: string, role: Role) => `e:${eventId}:role:${role}`,
  device: (eventId: string, deviceId: string) => `e:${eventId}:device:${deviceId}`,
};

export interface Recipients {
  /** Every socket of the event. */
  event?: true;
  roles?: readonly Role[];
  /** The sockets reading in these languages (`lang:set`). */
  langs?: readonly string[];
  /** Every socket of one device. */
  device?: string;
  /** Sockets in these roles are left out. */
  except?: readonly Role[];
  /** Only this process's sockets. */
  local?: true;
}

type Args<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

export interface Delivery {
  send<E extends keyof ServerToClientEvents>(eventId: string, to: Recipients, event: E, ...args: Args<E>): void;
  /** The same, leaving out the socket `from` (what it sent, it already has); never `local`. */
  sendFrom<E extends keyof ServerToClientEvents>(from: TribuneSocket, to: Recipients, event: E, ...args: Args<E>): void;
  /** This process's sockets in the event: what one send to its room costs here. */
  here(eventId: string): number;
  /** Disconnects the recipients' sockets (on every process): new links end the old ones' sessions. */
  disconnect(eventId: string, to: Recipients): void;
}

export function roomsOf(eventId: string, to: Recipients): string[] {
  return [
    ...(to.event ? [rooms.event(eventId)] : []),
    ...(to.roles ?? []).map((r) => rooms.role(eventId, r)),
    ...(to.langs ?? []).map((l) => rooms.lang(eventId, l)),
    ...(to.device ? [rooms.device(eventId, to.device)] : []),
  ];
}

/** Puts a socket among the recipients it belongs to (its event, role, language, device). */
export const join = (socket: TribuneSocket, as: Recipients) => socket.join(roomsOf(socket.data.eventId, as));
/** Takes a socket out of those recipients (a language it no longer reads). */
export const leave = (socket: TribuneSocket, as: Recipients) => roomsOf(socket.data.eventId, as).forEach((r) => socket.leave(r));

/** Whether the recipients name any room (Socket.IO sends to every socket when given none). */
const reaches = (to: Recipients) => Boolean(to.event || to.roles?.length || to.langs?.length || to.device);

export function createDelivery(io: TribuneServer): Delivery {
  const target = (eventId: string, to: Recipients, from?: TribuneSocket) => {
    const names = roomsOf(eventId, to);
    const op = from ? from.to(names) : (to.local ? io.local : io).to(names);
    return to.except?.length ? op.except(to.except.map((r) => rooms.role(eventId, r))) : op;
  };
  return {
    send(eventId, to, event, ...args) {
      if (reaches(to)) (target(eventId, to).emit as (e: string, ...a: unknown[]) => void)(event, ...args);
    },
    sendFrom(from, to, event, ...args) {
      if (reaches(to)) (target(from.data.eventId, to, from).emit as (e: string, ...a: unknown[]) => void)(event, ...args);
    },
    here: (eventId) => io.of('/').adapter.rooms.get(rooms.event(eventId))?.size ?? 0,
    disconnect: (eventId, to) => void (reaches(to) && io.in(roomsOf(eventId, to)).disconnectSockets()),
  };
}
