/**
 * The live state's one way out: every `live.*` entry this process appended and whose fold changed
 * the state (its verdict is the new state) is sent whole to its event — the agenda's commands, the
 * slides' and the questions' changes of the state, presence. Other processes fold the entry too but
 * send nothing: the Socket.IO adapter carries this process's send to their sockets.
 *
 * Sent with the sender's clock, after the current turn of the event loop: the command that caused
 * it is acknowledged first (a broadcast to 2 000 phones is not on the moderator's path), and states
 * of one event folded in the same turn go out once, the newest (clients apply only the highest rev).
 */
import type { LiveState } from '../../shared/schemas.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { rooms } from './rooms.ts';
import type { TribuneServer } from './types.ts';

export function stateBroadcaster(io: TribuneServer) {
  const queued = new Map<string, LiveState>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const states = [...queued.values()];
    queued.clear();
    for (const state of states) io.to(rooms.event(state.event.id)).emit('state', { ...state, serverTime: Date.now() });
  };
  return (state: LiveState) => {
    const id = state.event.id;
    const before = queued.get(id);
    if (!before || state.rev > before.rev) queued.set(id, state);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}

/**
 * Sends every state this process's live entries made; `onAudience` hears each new audience total
 * (the report keeps its peaks).
 */
export function broadcastFolds(logs: EventLogs, send: (state: LiveState) => void, onAudience: (state: LiveState) => void) {
  logs.onFold((_eventId, entry, verdict, mine) => {
    if (!mine || !verdict.ok || !verdict.value || !entry.kind.startsWith('live.')) return;
    const state = verdict.value as LiveState;
    send(state);
    if ((entry.payload as { name?: string }).name === 'audience') onAudience(state);
  });
}
