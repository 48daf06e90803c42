/**
 * The polls domain: quick polls the moderator creates, opens, closes and reveals, one ballot per
 * device. Thin handlers over the PollStore (store.ts: entries of the event's log, folded by
 * rules.ts). What reaches whom:
 *
 * - creations and status changes go out at once: to moderators and the projector (with results)
 *   while a draft, then to the room too (results once revealed);
 * - ballots are coalesced like question votes: a poll whose count changed waits for the next flush
 *   (at most one per window per event, across processes: a slot claimed in the Ephemeral), which
 *   sends its newest copy read from the store — never one broadcast per ballot under a storm;
 * - `mine` (the device's ballot) only in the `poll:vote` reply and the `polls` snapshot.
 */
import type { Poll } from '../../shared/polls.ts';
import type { Role } from '../../shared/schemas.ts';
import { newId } from '../auth/secrets.ts';
import type { CommandTable, Domain, DomainContext } from '../domain.ts';
import { Throttled } from '../questions/broadcast.ts';
import { rooms } from '../socket/rooms.ts';
import { pollNotFound } from './rules.ts';
import { toWire, type Audience, type PollRecord, type PollStore } from './store.ts';

export interface PollsOptions {
  /** Coalescing window of ballot counts (ms). */
  windowMs?: number;
}

/** PROTOCOL: counts coalesced like question votes (at most two updates per second per poll). */
const WINDOW_MS = 500;

const audienceOf = (role: Role): Audience => (role === 'moderator' || role === 'projector' ? 'staff' : 'room');

export function createPollsDomain(store: PollStore, options: PollsOptions = {}): Domain {
  const windowMs = options.windowMs ?? WINDOW_MS;
  let ctx: DomainContext | null = null;
  const context = () => {
    if (!ctx) throw new Error('polls domain used before any socket connected');
    return ctx;
  };

  /** Sends a poll to those who may see it now. */
  function send(eventId: string, poll: PollRecord) {
    const { io } = context();
    const staff = [rooms.role(eventId, 'moderator'), rooms.role(eventId, 'projector')];
    io.to(staff).emit('poll', toWire(poll, 'staff'));
    if (poll.status !== 'draft') io.to(rooms.event(eventId)).except(staff).emit('poll', toWire(poll, 'room'));
  }

  /** Per event: polls whose ballots changed here, sent at the next flush. */
  const counted = new Map<string, { dirty: Set<string>; throttle: Throttled }>();
  function ballotCast(eventId: string, pollId: string) {
    let ev = counted.get(eventId);
    if (!ev) {
      const dirty = new Set<string>();
      const throttle = new Throttled(
        () => store.claim(eventId, 'counts', windowMs),
        async () => {
          const ids = [...dirty];
          dirty.clear();
          // The newest copy, ballots from every process folded in (a read drains the log first).
          for (const id of ids) {
            const poll = await store.get(eventId, id);
            if (poll) send(eventId, poll);
          }
        },
        windowMs,
        (err) => context().logger.warn({ eventId, err: String(err) }, 'poll counts not broadcast'),
      );
      counted.set(eventId, (ev = { dirty, throttle }));
    }
    ev.dirty.add(pollId);
    ev.throttle.mark();
  }

  function commands(domainCtx: DomainContext): CommandTable {
    ctx ??= domainCtx;
    return {
      'poll:create': async (p, s) => {
        const { eventId } = s.data;
        const { poll, changed } = await store.create(eventId, {
          id: newId(9),
          question: p.question,
          options: p.options,
          multiple: p.multiple ?? false,
        });
        if (changed) send(eventId, poll);
        return { id: poll.id };
      },
      'poll:open': (p, s) => setStatus(s.data.eventId, p.id, 'open'),
      'poll:close': (p, s) => setStatus(s.data.eventId, p.id, 'close'),
      'poll:reveal': (p, s) => setStatus(s.data.eventId, p.id, 'reveal'),
      'poll:vote': async (p, s) => {
        const { eventId, deviceId, role } = s.data;
        const { poll, changed, mine } = await store.vote(eventId, p.id, deviceId, p.choices);
        if (changed) ballotCast(eventId, poll.id);
        return toWire(poll, audienceOf(role), mine);
      },
    };
  }

  async function setStatus(eventId: string, id: string, action: 'open' | 'close' | 'reveal'): Promise<Poll> {
    const { poll, changed } = await store.setStatus(eventId, id, action);
    if (changed) send(eventId, poll);
    return toWire(poll, 'staff');
  }

  return {
    name: 'polls',
    commands,
    // `poll` mode: the poll it shows must exist (a draft may be shown: the projector has it).
    projector: {
      poll: async (p, s) => {
        if (!p.pollId) return; // refused by the transition (INVALID_PAYLOAD)
        if (!(await store.get(s.data.eventId, p.pollId))) throw pollNotFound();
      },
    },

    async onJoined(socket) {
      const { eventId, deviceId, role } = socket.data;
      const audience = audienceOf(role);
      const [polls, mine] = await Promise.all([store.list(eventId), store.ballotsOf(eventId, deviceId)]);
      const visible = audience === 'staff' ? polls : polls.filter((p) => p.status !== 'draft');
      socket.emit(
        'polls',
        visible.map((p) => toWire(p, audience, mine.get(p.id))),
      );
    },

    async close() {
      for (const ev of counted.values()) ev.throttle.stop();
    },
  };
}
