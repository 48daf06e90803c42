/**
 * The debate floor on the client: the phone remembers the id of its own request (the server sends
 * phones nobody's device, so "mine" is the id `floor:request` answered, kept per event on this
 * device), and each screen draws the turn's timer from its timestamps.
 */
import type { Floor, FloorKind, FloorTurn } from '../../../shared/floor.ts';
import type { TimerLike } from '../../../shared/time.ts';
import type { MessageKey } from '../i18n/index.ts';
import { readJson, writeJson } from './storage.ts';

/** The order the kinds are offered and queued in (shared/floor.ts `FloorKinds`, without zod). */
export const FLOOR_KINDS: readonly FloorKind[] = ['speak', 'reply', 'order'];
export const FLOOR_NAME_MAX = 60;

export const kindLabel: Record<FloorKind, MessageKey> = {
  speak: 'floor.kind.speak',
  reply: 'floor.kind.reply',
  order: 'floor.kind.order',
};

const key = (eventId: string) => `tribune.floor.${eventId}`;

/** The id of this device's request in the event, as the server answered it (null: none known). */
export const readMyRequest = (eventId: string): string | null => readJson<string>(key(eventId));
export const writeMyRequest = (eventId: string, id: string | null) => writeJson(key(eventId), id);

/** Where this device stands: has the floor, waits at a place, or neither. */
export function myStanding(floor: Floor | undefined, mine: string | null): { turn: boolean; place: number | null } {
  if (!floor || !mine) return { turn: false, place: null };
  if (floor.current?.id === mine) return { turn: true, place: null };
  const n = floor.queue.findIndex((r) => r.id === mine);
  return { turn: false, place: n < 0 ? null : n + 1 };
}

/** A running turn as the stage timer draws it. */
export const turnTimer = (turn: FloorTurn): TimerLike => ({ running: true, startedAt: turn.startedAt, accumulatedMs: 0, plannedMs: turn.plannedMs });
