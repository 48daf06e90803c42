/**
 * The questions domain: audience questions and votes, ratings on the evaluation grid,
 * participation by table, and the pre/post-moderation switch. Thin handlers over the domain's
 * log: each write appends one entry (rules.ts decides it), each read selects from the folded
 * state (read.ts); broadcasts are coalesced (broadcast.ts).
 */
import { ErrorCode, TribuneError, type Reason } from '../../shared/errors.ts';
import { EVENT_TARGET, type Question } from '../../shared/questions.ts';
import type { LiveState } from '../../shared/schemas.ts';
import type { CommandTable, Domain, DomainContext } from '../domain.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { join } from '../socket/deliver.ts';
import type { TribuneSocket } from '../socket/types.ts';
import type { Store } from '../store/types.ts';
import { QuestionBroadcaster } from './broadcast.ts';
import { Throttled } from '../socket/throttled.ts';
import { QuestionPages } from './pages.ts';
import * as read from './read.ts';
import { questionNotFound, type AskResult, type Limit, type ModerateResult, type QuestionRecord, type QuestionsLog, type VoteResult } from './rules.ts';
import { eventLanguages, QuestionTranslations, type Translation } from './translations.ts';
import type { TranslationEngine } from '../translate/engine.ts';

export interface QuestionsOptions {
  /** Per device and event. Defaults: 5 questions, 60 votes, 60 ratings per minute. */
  limits?: Partial<Record<'ask' | 'vote' | 'rate', Limit>>;
  /** Coalescing window of `question`, `ratings` and `participation` broadcasts (ms). */
  windowMs?: number;
  /** Socket writes of `question` to the room (phones, projector) per window at most (≥ 1 question). */
  roomFrames?: number;
  /** Questions sent to moderators per window at most. */
  moderatorBudget?: number;
  /** The box's machine translation: each reader gets a question in their language too. */
  translation?: TranslationEngine | null;
}

export const DEFAULT_LIMITS: Record<'ask' | 'vote' | 'rate', Limit> = {
  ask: { max: 5, windowMs: 60_000 },
  vote: { max: 60, windowMs: 60_000 },
  rate: { max: 60, windowMs: 60_000 },
};
/** PROTOCOL: at most two `question` updates per second per question; two `ratings` per second. */
const WINDOW_MS = 500;
/**
 * 4000 socket writes per 500 ms: 2 questions per flush to 2000 phones, 20 to 200 (at most 50).
 * Measured with the question storm (scripts/bench-questions.ts): room broadcasts, not the store,
 * are what a storm costs; this keeps the ack p99 well under 250 ms on two cores.
 */
const ROOM_FRAMES = 4000;
const ROOM_MAX_QUESTIONS = 50;
const MODERATOR_BUDGET = 50;

const notFound = (what: string) => new TribuneError(ErrorCode.NOT_FOUND, what);
const invalid = (message: string, reason: Reason, indicator: string) => new TribuneError(ErrorCode.INVALID_PAYLOAD, message, reason, { indicator });
const noItem = (item: string) => new TribuneError(ErrorCode.NOT_FOUND, `no item "${item}" in the running order`, 'noItem', { item });

/**
 * The domain over `log`, the questions' share of the backend's event logs (backend.ts; the report
 * reads it too); broadcast slots are the backend's `ephemeral`, shared by every process.
 */
/** Built by the app with its context (DomainPlug): it sends to sockets of its own accord. */
export function createQuestionsDomain(live: Store, log: QuestionsLog, ephemeral: Ephemeral, options: QuestionsOptions = {}): (ctx: DomainContext) => Domain {
  return (ctx) => questionsDomain(ctx, live, log, ephemeral, options);
}

function questionsDomain(ctx: DomainContext, live: Store, log: QuestionsLog, ephemeral: Ephemeral, options: QuestionsOptions): Domain {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const windowMs = options.windowMs ?? WINDOW_MS;
  /** A broadcast slot: 0 when this process may send `name` now (nobody else may for `ms`), else the ms to wait. */
  const claim = (eventId: string, name: string, ms: number) => ephemeral.claim(eventId, `questions:${name}`, ms);

  const translations = new QuestionTranslations(options.translation ?? null);
  /** Event languages (fixed at creation), floor first. */
  const languages = eventLanguages(live);
  /** The language a socket reads questions in: its own; the projector's is the floor language. */
  async function readerLang(s: TribuneSocket): Promise<string> {
    if (s.data.role !== 'projector') return s.data.lang;
    return (await languages(s.data.eventId))[0] ?? s.data.lang;
  }
  /** Questions as a socket receives them (with their translation into its language). */
  async function forReader<Q extends Question>(s: TribuneSocket, list: Q[]): Promise<Q[]> {
    if (!translations.enabled) return list;
    // A translation that comes too late for this answer follows as its own copy.
    return translations.into(list, await readerLang(s), (q) => s.emit('question', q));
  }

  const questions = new QuestionBroadcaster({
    translations,
    languages,
    deliver: ctx.deliver,
    claim,
    windowMs,
    roomFrames: options.roomFrames ?? ROOM_FRAMES,
    roomMaxQuestions: ROOM_MAX_QUESTIONS,
    moderatorBudget: options.moderatorBudget ?? MODERATOR_BUDGET,
    logger: ctx.logger,
  });

  /** Per-event throttled summaries: ratings (moderators, projector) and participation (moderators). */
  const summaries = new Map<string, { ratings: Throttled; participation: Throttled }>();
  function summary(eventId: string) {
    let s = summaries.get(eventId);
    if (!s) {
      const warn = (what: string) => (err: unknown) => ctx.logger.warn({ eventId, err: String(err) }, `${what} not broadcast`);
      s = {
        ratings: new Throttled(
          () => claim(eventId, 'ratings', windowMs),
          async () => {
            const ratings = read.ratingSummary(await log.state(eventId));
            ctx.deliver.send(eventId, { roles: ['moderator', 'projector'] }, 'ratings', ratings);
          },
          windowMs,
          warn('ratings'),
        ),
        participation: new Throttled(
          () => claim(eventId, 'participation', windowMs),
          async () => {
            const participation = read.participation(await log.state(eventId));
            ctx.deliver.send(eventId, { roles: ['moderator'] }, 'participation', participation);
          },
          windowMs,
          warn('participation'),
        ),
      };
      summaries.set(eventId, s);
    }
    return s;
  }

  const pages = new QuestionPages(log);

  async function stateOf(eventId: string): Promise<LiveState> {
    const state = await live.getState(eventId);
    if (!state) throw notFound('no such event');
    return state;
  }

  /** The wire form for a socket's device (`voted` unknown: left out). */
  const forDevice = (record: QuestionRecord, device: string, voted?: boolean): Question =>
    voted === undefined ? { ...read.toWire(record), mine: record.device === device } : read.toWire(record, { device, voted });

  /** One table per server: a phone's socket costs no closures (server/socket/commands.ts). */
  function commands(): CommandTable {
    return {
      'question:ask': async (p, s) => {
        const { eventId, deviceId, lang, table } = s.data;
        const state = await stateOf(eventId);
        let itemId: string | null;
        if (p.itemId === undefined) itemId = state.stage.itemId;
        else if (p.itemId === null) itemId = null;
        else if (state.agenda.some((i) => i.id === p.itemId)) itemId = p.itemId;
        else throw noItem(p.itemId);
        const record: QuestionRecord = {
          id: p.id,
          text: p.text,
          lang,
          itemId,
          table,
          author: p.author ? p.author : null,
          votes: 0,
          status: state.event.moderation === 'post' ? 'live' : 'pending',
          createdAt: Date.now(),
          rev: 1,
          device: deviceId,
        };
        const { question, created } = await log.append<AskResult>(eventId, { kind: 'questions.ask', payload: { record, limit: limits.ask } });
        if (!created) {
          const voted = read.votedAmong(await log.state(eventId), deviceId, [question.id]).has(question.id);
          return forDevice(question, deviceId, voted);
        }
        questions.changed(eventId, question, null);
        summary(eventId).participation.mark();
        // The author's other screens (a second tab) see their question, pending or not.
        ctx.deliver.sendFrom(s, { device: deviceId }, 'question', forDevice(question, deviceId, false));
        return forDevice(question, deviceId, false);
      },

      'question:vote': async (p, s) => {
        const { eventId, deviceId } = s.data;
        const result = await log.append<VoteResult>(eventId, {
          kind: 'questions.vote',
          payload: { id: p.id, value: p.value, limit: limits.vote },
          device: deviceId,
          table: s.data.table,
        });
        if (result.changed) {
          questions.changed(eventId, result.question, result.question.status);
          summary(eventId).participation.mark();
        }
        return forDevice(result.question, deviceId, result.voted);
      },

      'question:moderate': async (p, s) => {
        const { eventId, deviceId } = s.data;
        const { question, previous } = await log.append<ModerateResult>(eventId, { kind: 'questions.moderate', payload: { id: p.id, status: p.status } });
        if (question.status !== previous) {
          questions.changed(eventId, question, previous);
          // The author learns at once that their question was approved or dismissed.
          ctx.deliver.send(eventId, { device: question.device }, 'question', { ...read.toWire(question), mine: true });
          if (question.status === 'dismissed') {
            // A dismissed question leaves the projector: it falls back to the queue.
            await live.change(eventId, 'questionDismissed', { questionId: question.id });
          }
        }
        return forDevice(question, deviceId);
      },

      'rating:set': async (p, s) => {
        const { eventId, deviceId } = s.data;
        const state = await stateOf(eventId);
        const indicator = state.event.indicators.find((i) => i.id === p.indicator);
        if (!indicator) throw invalid(`"${p.indicator}" is not an indicator of this event`, 'notAnIndicator', p.indicator);
        const onEvent = p.target === EVENT_TARGET;
        if (indicator.scope === 'event' && !onEvent) throw invalid(`"${indicator.id}" rates the whole event (target "event")`, 'indicatorForEvent', indicator.id);
        if (indicator.scope === 'item' && onEvent) throw invalid(`"${indicator.id}" rates an intervention (an item id)`, 'indicatorForItem', indicator.id);
        if (!onEvent && !state.agenda.some((i) => i.id === p.target)) throw noItem(p.target);
        await log.append(eventId, {
          kind: 'questions.rate',
          payload: { target: p.target, indicator: p.indicator, score: p.score, limit: limits.rate },
          device: deviceId,
          table: s.data.table,
        });
        const sums = summary(eventId);
        sums.ratings.mark();
        sums.participation.mark();
        return { target: p.target, indicator: p.indicator, score: p.score };
      },

      'questions:more': async (p, s) => {
        const page = await pages.more(s.data.eventId, s.data.role, s.data.deviceId, p);
        return { ...page, items: await forReader(s, page.items) };
      },

      'event:moderation': async (p, s) => {
        await live.change(s.data.eventId, 'moderation', { mode: p.mode });
        return undefined;
      },
    };
  }

  return {
    name: 'questions',
    commands,
    // `question` mode: the question it shows must exist and be public (a pending or dismissed one
    // must not reach the big screen); the projector, holding only the head of the ranking, is sent it.
    projector: {
      question: async (p, s) => {
        if (!p.questionId) return; // refused by the transition (INVALID_PAYLOAD)
        const question = read.get(await log.state(s.data.eventId), p.questionId);
        if (!question || (question.status !== 'live' && question.status !== 'answered')) throw questionNotFound();
        // In the floor language with the original below, translated while the state changes.
        const toProjector = (translation: Translation | null) =>
          ctx.deliver.send(s.data.eventId, { roles: ['projector'] }, 'question', { ...read.toWire(question), translation });
        const floor = (await languages(s.data.eventId))[0];
        const translation = floor ? translations.one(question, floor, toProjector) : null;
        return () => void Promise.resolve(translation).then((t) => toProjector(t ?? null));
      },
    },

    register(socket: TribuneSocket) {
      // The device's own room: its other screens see its pending questions and their fate.
      join(socket, { device: socket.data.deviceId });
    },

    async onJoined(socket) {
      const { eventId, deviceId, role } = socket.data;
      // Everything is read before anything is sent: with the store away this rejects having sent
      // nothing, and the core tries again (socket/snapshots.ts).
      const shown = role === 'projector' ? ((await live.getState(eventId))?.projector.questionId ?? null) : null;
      const [questions, state] = await Promise.all([pages.snapshot(eventId, role, deviceId, shown), log.state(eventId)]);
      const mine = read.deviceRatings(state, deviceId);
      const ratings = role === 'moderator' || role === 'projector' ? read.ratingSummary(state) : null;
      const participation = role === 'moderator' ? read.participation(state) : null;
      socket.emit('questions', await forReader(socket, questions));
      socket.emit('ratings:mine', mine);
      if (ratings) socket.emit('ratings', ratings);
      if (participation) socket.emit('participation', participation);
    },

    /** A reader who changed language gets the questions again, translated into the new one. */
    async onLangChanged(socket) {
      if (!translations.enabled) return;
      const { eventId, deviceId, role } = socket.data;
      const shown = role === 'projector' ? ((await live.getState(eventId))?.projector.questionId ?? null) : null;
      socket.emit('questions', await forReader(socket, await pages.snapshot(eventId, role, deviceId, shown)));
    },

    async close() {
      questions.stop();
      for (const s of summaries.values()) {
        s.ratings.stop();
        s.participation.stop();
      }
    },
  };
}
