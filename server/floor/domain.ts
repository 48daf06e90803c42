/**
 * The debate floor's commands (PROTOCOL.md "The debate floor"): thin handlers over the live store.
 * The rules are shared/floor.ts, folded from the event log as live changes (server/live/rules.ts),
 * so `state.floor` rides the live state's one broadcast (socket/state-broadcast.ts). The device and
 * table of a request come from the socket, never from the payload.
 *
 * Leaving: a request whose device has had no socket on any process for `leaveMs` leaves the queue
 * (presence.ts).
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { requestOf } from '../../shared/floor.ts';
import { newId } from '../auth/secrets.ts';
import type { CommandTable, Domain } from '../domain.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { liveReducer } from '../live/rules.ts';
import type { Store } from '../store/types.ts';
import { createFloorPresence, type FloorPresenceOptions } from './presence.ts';

export type FloorOptions = FloorPresenceOptions;

export function createFloorDomain(store: Store, ephemeral: Ephemeral, options: FloorOptions = {}): Domain {
  const presence = createFloorPresence(store, ephemeral, options);

  const commands = (): CommandTable => ({
    'floor:request': async ({ kind, name }, socket) => {
      const { eventId, deviceId, table } = socket.data;
      // The id is drawn here and carried by the entry: a replay folds the same request.
      const id = newId(9);
      const next = await store.change(eventId, 'floorRequest', { id, kind, name: name || null, device: deviceId, table });
      if (next?.floor?.queue.some((r) => r.id === id)) return { id };
      // Nothing changed: the device has an open request, and asking again answers it.
      const book = (await store.logs.state(eventId, liveReducer)).floorBook;
      const open = book ? requestOf(book, deviceId) : null;
      if (!open) throw new TribuneError(ErrorCode.UNAVAILABLE, 'the request could not be read back, retry', 'storeUnavailable');
      return { id: open };
    },
    'floor:withdraw': async (_p, socket) => {
      await store.change(socket.data.eventId, 'floorWithdraw', { device: socket.data.deviceId });
      return undefined;
    },
    'floor:open': async ({ open }, socket) => {
      await store.change(socket.data.eventId, 'floorOpen', { open });
      return undefined;
    },
    'floor:give': async ({ id }, socket) => {
      await store.change(socket.data.eventId, 'floorGive', { id });
      return undefined;
    },
    'floor:done': async (_p, socket) => {
      await store.change(socket.data.eventId, 'floorDone', {});
      return undefined;
    },
    'floor:dismiss': async ({ id }, socket) => {
      await store.change(socket.data.eventId, 'floorDismiss', { id });
      return undefined;
    },
    'floor:extend': async ({ seconds }, socket) => {
      await store.change(socket.data.eventId, 'floorExtend', { seconds });
      return undefined;
    },
  });

  return {
    name: 'floor',
    commands,
    register(socket) {
      const { eventId, deviceId, role } = socket.data;
      presence.join(eventId, role === 'attendee' ? deviceId : null);
      socket.on('disconnect', () => presence.leave(eventId, role === 'attendee' ? deviceId : null));
    },
    close: () => presence.stop(),
  };
}
