/**
 * The debate floor (PROTOCOL.md "The debate floor: requests to speak"): tables ask for the floor,
 * the moderator gives it. The wire part (`state.floor`, the `floor:*` commands) and the pure rules,
 * folded from the event log as live changes (server/live/rules.ts): `(fold, payload, now) -> fold`,
 * where `now` is the entry's time, never the clock. A rule that changes nothing returns the very
 * `fold` it was given; a refusal throws a TribuneError and changes nothing.
 *
 * What the rules keep besides `state.floor` (the `FloorBook`: which device made which request, the
 * ended turns per table) is folded with the live state but never sent: phones see the public queue.
 */
import { z } from 'zod';
import { ErrorCode, TribuneError } from './errors.ts';
import type { Role } from './schemas.ts';

export const FLOOR_LIMITS = {
  /** PROTOCOL: `name` ≤ 60. */
  nameChars: 60,
  /** PROTOCOL: a turn's planned time defaults to two minutes. */
  plannedMs: 120_000,
  /** Extension: requests waiting at once (the queue travels in every `state`). */
  queueMax: 200,
  /** Extension (`floor:extend`): seconds added or taken at once. */
  extendSeconds: 600,
  /** A turn's planned time never goes below this by `floor:extend` (0 stays "no limit"). */
  minPlannedMs: 30_000,
  /** PROTOCOL: a request whose device has had no socket for this long leaves the queue. */
  leaveMs: 120_000,
} as const;

/** Queue order: points of order first, then replies, then requests to speak. */
export const FloorKinds = ['order', 'reply', 'speak'] as const;
export type FloorKind = (typeof FloorKinds)[number];

/** Request ids are made by the server (random, base64url). */
export const FloorId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '1–40 letters, digits, "_" or "-"');

export const FloorRequest = z.object({
  id: z.string(),
  kind: z.enum(FloorKinds),
  table: z.string().nullable(),
  name: z.string().nullable(),
  /** ms epoch of the request. */
  at: z.number(),
});
export type FloorRequest = z.infer<typeof FloorRequest>;

export const FloorTurn = z.object({
  id: z.string(),
  kind: z.enum(FloorKinds),
  table: z.string().nullable(),
  name: z.string().nullable(),
  /** ms epoch when the floor was given. */
  startedAt: z.number(),
  /** 0: no limit. */
  plannedMs: z.number(),
});
export type FloorTurn = z.infer<typeof FloorTurn>;

export const Floor = z.object({
  open: z.boolean(),
  queue: z.array(FloorRequest),
  current: FloorTurn.nullable(),
});
export type Floor = z.infer<typeof Floor>;

/** `Report.floor`: ended turns and their spoken time per table (null: requesters without one). */
export interface FloorTally {
  table: string | null;
  turns: number;
  spokenMs: number;
}

/** What the rules keep that is not sent: the device of each queued request, the ended turns. */
export interface FloorBook {
  /** Queued request id → its device. */
  devices: Record<string, string>;
  /** One row per table that had a turn, in the order they first ended one. */
  tally: FloorTally[];
}

export interface FloorFold {
  floor: Floor;
  book: FloorBook;
}

/** A new event's list: closed until opened. */
export const closedFloor = (): Floor => ({ open: false, queue: [], current: null });
export const emptyBook = (): FloorBook => ({ devices: {}, tally: [] });

export const floorCommands = {
  'floor:request': z.object({
    kind: z.enum(FloorKinds),
    name: z.string().trim().max(FLOOR_LIMITS.nameChars).optional(),
  }),
  'floor:withdraw': z.object({}),
  'floor:open': z.object({ open: z.boolean() }),
  'floor:give': z.object({ id: FloorId }),
  'floor:done': z.object({}),
  'floor:dismiss': z.object({ id: FloorId }),
  /** Extension: more (or less) time for the current turn. */
  'floor:extend': z.object({
    seconds: z.number().int().min(-FLOOR_LIMITS.extendSeconds).max(FLOOR_LIMITS.extendSeconds),
  }),
} as const;

export const floorCommandRoles: Record<keyof typeof floorCommands, readonly Role[]> = {
  'floor:request': ['attendee'],
  'floor:withdraw': ['attendee'],
  'floor:open': ['moderator'],
  'floor:give': ['moderator'],
  'floor:done': ['moderator'],
  'floor:dismiss': ['moderator'],
  'floor:extend': ['moderator'],
};

/** `floor:request` as folded: the command's kind and name, the server's id, the socket's device and table. */
export interface FloorRequestChange {
  id: string;
  kind: FloorKind;
  name: string | null;
  device: string;
  table: string | null;
}

const rank = (kind: FloorKind) => FloorKinds.indexOf(kind);
const conflict = (message: string, reason: 'floorClosed' | 'floorFull' | 'noTurn') => new TribuneError(ErrorCode.CONFLICT, message, reason);
const noRequest = () => new TribuneError(ErrorCode.NOT_FOUND, 'no such request in the queue', 'noRequest');

/** The queued request of a device, if any. */
export function requestOf(book: FloorBook, device: string): string | null {
  for (const [id, d] of Object.entries(book.devices)) if (d === device) return id;
  return null;
}

function withoutDevice(devices: Record<string, string>, id: string): Record<string, string> {
  const { [id]: _gone, ...rest } = devices;
  return rest;
}

/** Removes a queued request (and its device). */
function drop(f: FloorFold, id: string): FloorFold {
  return {
    floor: { ...f.floor, queue: f.floor.queue.filter((r) => r.id !== id) },
    book: { ...f.book, devices: withoutDevice(f.book.devices, id) },
  };
}

/** Ends the running turn at `now`: it counts for its table. */
function endTurn(f: FloorFold, now: number): FloorFold {
  const turn = f.floor.current;
  if (!turn) return f;
  const spokenMs = Math.max(0, now - turn.startedAt);
  let found = false;
  const tally = f.book.tally.map((row) => {
    if (row.table !== turn.table) return row;
    found = true;
    return { ...row, turns: row.turns + 1, spokenMs: row.spokenMs + spokenMs };
  });
  if (!found) tally.push({ table: turn.table, turns: 1, spokenMs });
  return { floor: { ...f.floor, current: null }, book: { ...f.book, tally } };
}

/** The floor's rules, each a live change (server/live/rules.ts registers them). */
export const floorRules = {
  /**
   * A device asks for the floor. One open request per device: asking again changes nothing
   * (whatever the kind or name; the caller answers with the device's open request). Closed → CONFLICT.
   */
  floorRequest(f: FloorFold, p: FloorRequestChange, now: number): FloorFold {
    if (requestOf(f.book, p.device) !== null) return f;
    if (!f.floor.open) throw conflict('the floor is closed', 'floorClosed');
    if (f.floor.queue.length >= FLOOR_LIMITS.queueMax) throw conflict('the list of speakers is full', 'floorFull');
    if (f.book.devices[p.id] !== undefined || f.floor.current?.id === p.id) return f;
    const request: FloorRequest = { id: p.id, kind: p.kind, table: p.table, name: p.name || null, at: now };
    // After every request of a higher rank, and of the same rank asked at or before it: first come,
    // first served within a kind. By `at`, not by log order alone: two processes stamp their entries
    // with their own clocks, and the queue must read in the order of the times it shows.
    const queue = [...f.floor.queue];
    let at = queue.length;
    while (at > 0) {
      const before = queue[at - 1]!;
      if (rank(before.kind) > rank(p.kind) || (rank(before.kind) === rank(p.kind) && before.at > now)) at--;
      else break;
    }
    queue.splice(at, 0, request);
    return { floor: { ...f.floor, queue }, book: { ...f.book, devices: { ...f.book.devices, [p.id]: p.device } } };
  },

  /** The device withdraws its own request (none: nothing changes). */
  floorWithdraw(f: FloorFold, { device }: { device: string }): FloorFold {
    const id = requestOf(f.book, device);
    return id === null ? f : drop(f, id);
  },

  /** Opens or closes the list; the queue stays (the moderator may still give the floor). */
  floorOpen(f: FloorFold, { open }: { open: boolean }): FloorFold {
    return f.floor.open === open ? f : { ...f, floor: { ...f.floor, open } };
  },

  /** Gives the floor to a queued request: any running turn ends (and counts). Not queued → NOT_FOUND. */
  floorGive(f: FloorFold, { id }: { id: string }, now: number): FloorFold {
    const request = f.floor.queue.find((r) => r.id === id);
    if (!request) throw noRequest();
    const ended = drop(endTurn(f, now), id);
    const current: FloorTurn = {
      id: request.id,
      kind: request.kind,
      table: request.table,
      name: request.name,
      startedAt: now,
      plannedMs: FLOOR_LIMITS.plannedMs,
    };
    return { ...ended, floor: { ...ended.floor, current } };
  },

  /** Ends the current turn (none: nothing changes). */
  floorDone(f: FloorFold, _p: Record<string, never>, now: number): FloorFold {
    return endTurn(f, now);
  },

  /** Removes a queued request. Not queued → NOT_FOUND. */
  floorDismiss(f: FloorFold, { id }: { id: string }): FloorFold {
    if (!f.floor.queue.some((r) => r.id === id)) throw noRequest();
    return drop(f, id);
  },

  /** A device's sockets have all been gone for the leave time: its request leaves the queue. */
  floorLeave(f: FloorFold, { device }: { device: string }): FloorFold {
    const id = requestOf(f.book, device);
    return id === null ? f : drop(f, id);
  },

  /** Extension: more or less time for the current turn (never below 30 s; no turn → CONFLICT). */
  floorExtend(f: FloorFold, { seconds }: { seconds: number }): FloorFold {
    const turn = f.floor.current;
    if (!turn) throw conflict('nobody has the floor', 'noTurn');
    if (turn.plannedMs === 0 || seconds === 0) return f;
    const plannedMs = Math.max(FLOOR_LIMITS.minPlannedMs, turn.plannedMs + seconds * 1000);
    return plannedMs === turn.plannedMs ? f : { ...f, floor: { ...f.floor, current: { ...turn, plannedMs } } };
  },
};

export type FloorRuleName = keyof typeof floorRules;

/** A request's place in the queue (1-based), or null when it is not queued. */
export function placeInQueue(floor: Floor | undefined, id: string | null): number | null {
  if (!floor || !id) return null;
  const n = floor.queue.findIndex((r) => r.id === id);
  return n < 0 ? null : n + 1;
}

/** Server → client events of this domain: none (the floor travels in `state`). */
export interface FloorServerEvents {}
