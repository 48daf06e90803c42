/**
 * The live state's one way out: every `live.*` entry this process appended and whose fold changed
 * the state (its verdict is the new state) is sent whole to its event — the agenda's commands, the
 * slides' and the questions' changes of the state, presence. Other processes fold the entry too but
 * send nothing: the Socket.IO adapter carries this process's send to their sockets.
 *
 * Sent with the sender's clock, after the current turn of the event loop: the command that caused
 * it is acknowledged first (a broadcast to 2 000 phones is not on the moderator's path), and states
 * of one event folded in the same turn go out once, the newest (clients apply only the highest rev).
 *
 * A change of counts alone — the audience (presence), or the listeners of the audio channels while
 * the same channels are on air — goes at once to the staff (moderators, projector, interpreters: the
 * ones who show them), and to the phones, which do not show them, at most once every
 * `attendeeSpacing(connected)` — longer as the room fills: while 10 000 phones arrive, each would
 * otherwise be sent a whole state every 2 s that changes nothing it shows. The phones' copy is sent
 * last (trailing), so they too end on the latest rev; any other change goes to everyone at once.
 */
import type { LiveState, Role } from '../../shared/schemas.ts';
import type { EventLogs } from '../log/event-logs.ts';
import type { Recipients, Delivery } from './deliver.ts';

const STAFF: readonly Role[] = ['moderator', 'projector', 'interpreter'];

/** The phones' spacing of audience-only states: 2 s per started thousand phones, at most 30 s. */
export const attendeeAudienceSpacing = (connected: number) => Math.min(30_000, 2_000 * Math.max(1, Math.ceil(connected / 1_000)));

export type StateSender = (state: LiveState, audienceOnly?: boolean) => void;

export function stateBroadcaster(deliver: Delivery, attendeeSpacing = attendeeAudienceSpacing): StateSender {
  const queued = new Map<string, { state: LiveState; audienceOnly: boolean }>();
  /** Per event: when the phones last got a state, and the audience-only one they wait for. */
  const phones = new Map<string, { at: number; waiting: LiveState | null; timer: NodeJS.Timeout | null }>();
  let scheduled = false;

  const phonesOf = (id: string) => {
    let p = phones.get(id);
    if (!p) phones.set(id, (p = { at: 0, waiting: null, timer: null }));
    return p;
  };
  const sendTo = (to: Recipients, state: LiveState) => deliver.send(state.event.id, to, 'state', { ...state, serverTime: Date.now() });

  function toEveryone(state: LiveState) {
    const p = phonesOf(state.event.id);
    if (p.timer) clearTimeout(p.timer);
    Object.assign(p, { at: Date.now(), waiting: null, timer: null });
    sendTo({ event: true }, state);
  }

  function audienceOnly(state: LiveState) {
    const id = state.event.id;
    sendTo({ roles: STAFF }, state);
    const p = phonesOf(id);
    p.waiting = state;
    if (p.timer) return;
    const wait = p.at + attendeeSpacing(state.audience.connected) - Date.now();
    const release = () => {
      p.timer = null;
      if (!p.waiting) return;
      sendTo({ roles: ['attendee'] }, p.waiting);
      Object.assign(p, { at: Date.now(), waiting: null });
    };
    if (wait <= 0) release();
    else (p.timer = setTimeout(release, wait)).unref();
  }

  const flush = () => {
    scheduled = false;
    const states = [...queued.values()];
    queued.clear();
    for (const { state, audienceOnly: only } of states) (only ? audienceOnly : toEveryone)(state);
  };
  return (state, only = false) => {
    const id = state.event.id;
    const before = queued.get(id);
    if (!before || state.rev > before.state.rev) queued.set(id, { state, audienceOnly: only && (before?.audienceOnly ?? true) });
    else if (!only) before.audienceOnly = false;
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
export function broadcastFolds(logs: EventLogs, send: StateSender, onAudience: (state: LiveState) => void) {
  /** Per event, the channels on air as of the last audio change folded (phones need that, not the counts). */
  const onAir = new Map<string, string>();
  logs.onFold((eventId, entry, verdict, mine) => {
    if (!verdict.ok || !verdict.value || !entry.kind.startsWith('live.')) return;
    const state = verdict.value as LiveState;
    const name = (entry.payload as { name?: string }).name;
    let countsOnly = name === 'audience';
    if (name === 'audio') {
      const channels = Object.keys(state.audio ?? {})
        .filter((c) => state.audio[c]!.onAir)
        .join(' ');
      countsOnly = onAir.get(eventId) === channels;
      onAir.set(eventId, channels);
    }
    // Other processes' entries are sent by them; this one only follows what is on air.
    if (!mine) return;
    send(state, countsOnly);
    if (name === 'audience') onAudience(state);
  });
}
