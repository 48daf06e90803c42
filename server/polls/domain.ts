/**
 * The polls domain: quick polls the moderator creates, opens, closes and reveals, one ballot per
 * device. Thin handlers: each command appends one entry to the event's log (`polls.*`), whose
 * verdict the reducer (rules.ts) decides; reads are selectors over its folded state. What reaches
 * whom:
 *
 * - creations and status changes go out at once: to moderators and the projector (with results)
 *   while a draft, then to the room too (results once revealed);
 * - ballots are coalesced like question votes: a poll whose count changed waits for the next flush
 *   (at most one per window per event, across processes: a slot claimed in the Ephemeral), which
 *   sends its newest copy read from the store — never one broadcast per ballot under a storm;
 * - `mine` (the device's ballot) only in the `poll:vote` reply and the `polls` snapshot;
 * - with machine translation, every copy carries `translation` in its reader's language (PROTOCOL
 *   "Machine translation on the box"), from the poll's language, the floor language: one copy per
 *   event language (language rooms; the projector the floor language's), each translated once (the
 *   engine's cache), starting at creation. A copy waits for its translation at most a moment (the
 *   questions' helper), then goes without it and again with it when it comes; the `poll:vote`
 *   reply takes only what is already translated (never delaying a vote's ack).
 */
import type { Poll } from '../../shared/polls.ts';
import { Roles, type Role } from '../../shared/schemas.ts';
import { newId } from '../auth/secrets.ts';
import type { CommandTable, Domain, DomainContext } from '../domain.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { domainLog, type EventLogs } from '../log/event-logs.ts';
import { Throttled } from '../socket/throttled.ts';
import { eventLanguages, QuestionTranslations } from '../questions/translations.ts';
import type { Store } from '../store/types.ts';
import type { TranslationEngine } from '../translate/engine.ts';
import type { Recipients } from '../socket/deliver.ts';
import type { TribuneSocket } from '../socket/types.ts';
import {
  ballotsOf,
  pollList,
  pollNotFound,
  pollsReducer,
  toWire,
  type Audience,
  type BallotResult,
  type PollChange,
  type PollRecord,
  type PollsEntry,
  type PollsState,
} from './rules.ts';

export interface PollsOptions {
  /** Coalescing window of ballot counts (ms). */
  windowMs?: number;
  /** The box's machine translation: each reader gets a poll in their language too. */
  translation?: TranslationEngine | null;
  /** The live store, for the event's languages (needed with `translation`). */
  live?: Pick<Store, 'getState'>;
}

/** PROTOCOL: counts coalesced like question votes (at most two updates per second per poll). */
const WINDOW_MS = 500;

const audienceOf = (role: Role): Audience => (role === 'moderator' || role === 'projector' ? 'staff' : 'room');

/** `logs` (which must fold `pollsReducer`) and `ephemeral` belong to the backend. */
/** Built by the app with its context (DomainPlug): it sends to sockets of its own accord. */
export function createPollsDomain(logs: EventLogs, ephemeral: Ephemeral, options: PollsOptions = {}): (ctx: DomainContext) => Domain {
  return (ctx) => pollsDomain(ctx, logs, ephemeral, options);
}

function pollsDomain(ctx: DomainContext, logs: EventLogs, ephemeral: Ephemeral, options: PollsOptions): Domain {
  const polls = domainLog<PollsState, PollsEntry>(logs, pollsReducer);
  const pollOf = async (eventId: string, id: string) => (await polls.state(eventId)).polls.get(id);
  const windowMs = options.windowMs ?? WINDOW_MS;

  const translations = new QuestionTranslations(options.live ? (options.translation ?? null) : null);
  const languages = options.live ? eventLanguages(options.live) : async () => [];
  /** The poll's language: the floor language (the moderator writes for the room). */
  const pollLang = async (eventId: string) => (await languages(eventId))[0] ?? null;

  /** `poll` with its translation into `lang` (`waitMs`: how long it may wait; `late`: the copy when it comes after). */
  async function translated(eventId: string, poll: Poll, lang: string, late?: (p: Poll) => void, waitMs?: number): Promise<Poll> {
    if (!translations.enabled) return poll;
    const from = await pollLang(eventId);
    const out =
      from === null
        ? null
        : await translations.texts(
            [poll.question, ...poll.options],
            from,
            lang,
            late && (([question, ...opts]) => late({ ...poll, translation: { lang, question: question!, options: opts } })),
            waitMs,
          );
    return { ...poll, translation: out && { lang, question: out[0]!, options: out.slice(1) } };
  }

  /** The language a socket reads polls in: its own; the projector's is the floor language. */
  async function readerLang(s: TribuneSocket): Promise<string> {
    if (s.data.role !== 'projector') return s.data.lang;
    return (await pollLang(s.data.eventId)) ?? s.data.lang;
  }

  /** Sends a poll to those who may see it now. */
  async function send(eventId: string, poll: PollRecord) {
    const { deliver } = ctx;
    const staff: Role[] = ['moderator', 'projector'];
    const langs = translations.enabled ? await languages(eventId).catch(() => []) : [];
    if (langs.length === 0) {
      deliver.send(eventId, { roles: staff }, 'poll', toWire(poll, 'staff'));
      if (poll.status !== 'draft') deliver.send(eventId, { event: true, except: staff }, 'poll', toWire(poll, 'room'));
      return;
    }
    // One copy per language, translated once each; a translation that comes late follows its copy.
    const copies: [Recipients, Poll][] = [];
    const copy = async (to: Recipients, wire: Poll, lang: string) => {
      copies.push([to, await translated(eventId, wire, lang, (p) => deliver.send(eventId, to, 'poll', p))]);
    };
    await Promise.all([
      ...langs.map((l) => copy({ langs: [l], except: Roles.filter((r) => r !== 'moderator') }, toWire(poll, 'staff'), l)),
      copy({ roles: ['projector'] }, toWire(poll, 'staff'), langs[0]!),
      ...(poll.status === 'draft' ? [] : langs.map((l) => copy({ langs: [l], except: staff }, toWire(poll, 'room'), l))),
    ]);
    for (const [to, p] of copies) deliver.send(eventId, to, 'poll', p);
  }
  const sendSoon = (eventId: string, poll: PollRecord) =>
    void send(eventId, poll).catch((err: unknown) => ctx.logger.warn({ eventId, err: String(err) }, 'poll not broadcast'));

  /** Per event: polls whose ballots changed here, sent at the next flush. */
  const counted = new Map<string, { dirty: Set<string>; throttle: Throttled }>();
  function ballotCast(eventId: string, pollId: string) {
    let ev = counted.get(eventId);
    if (!ev) {
      const dirty = new Set<string>();
      const throttle = new Throttled(
        () => ephemeral.claim(eventId, 'polls:counts', windowMs),
        async () => {
          const ids = [...dirty];
          dirty.clear();
          // The newest copy, ballots from every process folded in (a read drains the log first).
          for (const id of ids) {
            const poll = await pollOf(eventId, id);
            if (poll) await send(eventId, poll);
          }
        },
        windowMs,
        (err) => ctx.logger.warn({ eventId, err: String(err) }, 'poll counts not broadcast'),
      );
      counted.set(eventId, (ev = { dirty, throttle }));
    }
    ev.dirty.add(pollId);
    ev.throttle.mark();
  }

  function commands(): CommandTable {
    return {
      'poll:create': async (p, s) => {
        const { eventId } = s.data;
        const { poll, changed } = await polls.append<PollChange>(eventId, {
          kind: 'polls.create',
          payload: { id: newId(9), question: p.question, options: p.options, multiple: p.multiple ?? false },
        });
        if (changed) {
          // Translated from its creation: the copies that follow (open, counts) find it done.
          const from = translations.enabled ? await pollLang(eventId).catch(() => null) : null;
          if (from) void languages(eventId).then((langs) => translations.prefetchTexts([poll.question, ...poll.options], from, langs), () => undefined);
          sendSoon(eventId, poll);
        }
        return { id: poll.id };
      },
      'poll:open': (p, s) => setStatus(s.data.eventId, p.id, 'open'),
      'poll:close': (p, s) => setStatus(s.data.eventId, p.id, 'close'),
      'poll:reveal': (p, s) => setStatus(s.data.eventId, p.id, 'reveal'),
      'poll:vote': async (p, s) => {
        const { eventId, deviceId, role } = s.data;
        const { poll, changed, mine } = await polls.append<BallotResult>(eventId, {
          kind: 'polls.vote',
          payload: { id: p.id, choices: p.choices },
          device: deviceId,
        });
        if (changed) ballotCast(eventId, poll.id);
        // Only what is already translated (it was, at creation): a late one follows as its own copy.
        const wire = toWire(poll, audienceOf(role), mine);
        return translated(eventId, wire, await readerLang(s), ({ mine: _, ...p }) => s.emit('poll', p), 0);
      },
    };
  }

  async function setStatus(eventId: string, id: string, action: 'open' | 'close' | 'reveal'): Promise<Poll> {
    const { poll, changed } = await polls.append<PollChange>(eventId, { kind: 'polls.status', payload: { id, action } });
    if (changed) sendSoon(eventId, poll);
    return toWire(poll, 'staff');
  }

  /** The `polls` snapshot, each in the socket's language (a late translation follows as `poll`). */
  async function snapshot(socket: TribuneSocket) {
    const { eventId, deviceId, role } = socket.data;
    const audience = audienceOf(role);
    const state = await polls.state(eventId);
    const all = pollList(state);
    const mine = ballotsOf(state, deviceId);
    const visible = audience === 'staff' ? all : all.filter((p) => p.status !== 'draft');
    const lang = translations.enabled ? await readerLang(socket) : '';
    socket.emit(
      'polls',
      await Promise.all(visible.map((p) => translated(eventId, toWire(p, audience, mine.get(p.id)), lang, ({ mine: _, ...late }) => socket.emit('poll', late)))),
    );
  }

  return {
    name: 'polls',
    commands,
    // `poll` mode: the poll it shows must exist (a draft may be shown: the projector has it).
    projector: {
      poll: async (p, s) => {
        if (!p.pollId) return; // refused by the transition (INVALID_PAYLOAD)
        if (!(await pollOf(s.data.eventId, p.pollId))) throw pollNotFound();
      },
    },

    async onJoined(socket) {
      await snapshot(socket);
    },

    /** A reader who changed language gets the polls again, translated into the new one. */
    async onLangChanged(socket) {
      if (translations.enabled) await snapshot(socket);
    },

    async close() {
      for (const ev of counted.values()) ev.throttle.stop();
    },
  };
}
