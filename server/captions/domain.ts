/**
 * The captions domain: interpreters push captions in their token's language; the server routes
 * each one to the phones of that language, the interpreters of that language, moderators and the
 * projector. Finals are stored (history, corrections, restarts); interim ones are only relayed.
 * With a translation engine, floor-language finals are machine-translated into the languages nobody
 * interprets that the engine reaches (directly or through one pivot), after the human caption went.
 */
import { randomBytes } from 'node:crypto';
import { CAPTION_LIMITS, type Caption, type CaptionHistory, type Glossary } from '../../shared/captions.ts';
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Role } from '../../shared/schemas.ts';
import type { Domain, DomainContext } from '../domain.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import { domainLog, type EventLogs } from '../log/event-logs.ts';
import type { CommandTable } from '../socket/commands.ts';
import type { Logger } from '../log.ts';
import type { Recipients, Delivery } from '../socket/deliver.ts';
import type { TribuneSocket } from '../socket/types.ts';
import type { Store } from '../store/types.ts';
import { interimRelay } from './interim.ts';
import { createCaptionPresence } from './presence.ts';
import { captionsReducer, glossaryOf, historyOf, sinceOf, type CaptionsEntry, type CaptionsState } from './rules.ts';
import { captionSeqs } from './seqs.ts';
import type { TranslationEngine } from '../translate/engine.ts';

export interface CaptionsOptions {
  /** The box's machine translation (server/translate); absent or null: none. */
  translation?: TranslationEngine | null;
  /** Presence publication interval (phones per language, who captions what). */
  presenceIntervalMs?: number;
  /** Interim updates per interpreter socket: a burst, then this many per second. */
  interimBurst?: number;
  interimPerSecond?: number;
  logger?: Logger;
  /** The backend's event logs (which fold `captionsReducer`) and what its processes share. */
  logs: EventLogs;
  ephemeral: Ephemeral;
}

/** How long an interim caption may trust the item on stage this process last read. */
const STAGE_FRESH_MS = 250;

/** Who a caption of `lang` is for: its readers, moderators and the projector (all languages). */
const captionRecipients = (lang: string): Recipients => ({ langs: [lang], roles: ['moderator', 'projector'] });

const presenceKind = (role: Role) => (role === 'attendee' ? 'phones' : role === 'interpreter' ? 'interpreters' : null);

/** Built by the app with its context (DomainPlug): it sends to sockets of its own accord. */
export function createCaptionsDomain(core: Store, options: CaptionsOptions): (ctx: DomainContext) => Domain {
  return (ctx) => captionsDomain(ctx, core, options);
}

function captionsDomain(ctx: DomainContext, core: Store, options: CaptionsOptions): Domain {
  const logger = options.logger ?? ctx.logger;
  const captions = domainLog<CaptionsState, CaptionsEntry>(options.logs, captionsReducer);
  const seqs = captionSeqs(captions, options.ephemeral);
  const translator = options.translation ?? null;
  const presence = createCaptionPresence({
    ephemeral: options.ephemeral,
    processId: randomBytes(6).toString('hex'),
    intervalMs: options.presenceIntervalMs ?? 1000,
    machineReach: translator ? (from, to) => translator.reach(from, to) !== null : null,
    // The processes a language will need are started before its first line.
    onMachine: (_eventId, floor, targets) => {
      for (const t of targets) translator?.warm(floor, t);
    },
    logger,
    deliver: ctx.deliver,
  });
  /**
   * The item on stage, as last read by this process. Interim updates (several per second per
   * interpreter) use it when it is under STAGE_FRESH_MS old instead of reading the whole state each
   * time; finals always read the state (and refresh this).
   */
  const stageCache = new Map<string, { itemId: string | null; at: number }>();
  async function itemOnStage(eventId: string, fresh: boolean): Promise<{ itemId: string | null; floor: string | undefined }> {
    const hit = stageCache.get(eventId);
    if (!fresh && hit && Date.now() - hit.at < STAGE_FRESH_MS) return { itemId: hit.itemId, floor: languagesOf.get(eventId)?.[0] };
    const state = await core.getState(eventId);
    const itemId = state?.stage.itemId ?? null;
    stageCache.set(eventId, { itemId, at: Date.now() });
    if (state) languagesOf.set(eventId, state.event.languages);
    return { itemId, floor: state?.event.languages[0] };
  }
  /** The language each counted socket is counted under (presence). */
  const countedLang = new WeakMap<TribuneSocket, string>();
  /** Event languages (fixed at creation), so presence and routing need no store read. */
  const languagesOf = new Map<string, string[]>();

  async function eventLanguages(eventId: string): Promise<string[]> {
    const known = languagesOf.get(eventId);
    if (known) return known;
    const state = await core.getState(eventId);
    const langs = state?.event.languages ?? [];
    languagesOf.set(eventId, langs);
    return langs;
  }

  function emit(deliver: Delivery, eventId: string, caption: Caption) {
    deliver.send(eventId, captionRecipients(caption.lang), 'caption', caption);
  }

  /**
   * The history of one language: the item on stage's latest finals or, for a client that says which
   * final it holds last (`after`), every final it missed, whatever its item (caption resume). The
   * language's last seq is read first: every final up to it is then in what follows.
   */
  async function languageHistory(eventId: string, lang: string, itemId: string | null, after: number | undefined): Promise<CaptionHistory> {
    const lastSeq = await seqs.last(eventId, lang);
    const state = await captions.state(eventId);
    if (after === undefined) return { lang, itemId, items: historyOf(state, lang, itemId), lastSeq };
    const { items, truncated } = sinceOf(state, lang, after, CAPTION_LIMITS.resumeItems);
    return { lang, itemId: null, items, after, truncated, lastSeq };
  }

  /** Sends the history of each language, read first (nothing is sent when the store is away). */
  async function sendHistory(socket: TribuneSocket, langs: string[], itemId: string | null, after: Record<string, number> = {}) {
    const { eventId } = socket.data;
    const all = await Promise.all(langs.map((l) => languageHistory(eventId, l, itemId, Object.hasOwn(after, l) ? after[l] : undefined)));
    for (const h of all) socket.emit('captions:history', h);
  }

  /** The languages whose history a socket gets: its own; projector and moderators more. */
  async function historyLangs(socket: TribuneSocket): Promise<string[]> {
    const { eventId, role, lang } = socket.data;
    if (role === 'moderator') return eventLanguages(eventId);
    if (role === 'projector') {
      const { display } = await captions.state(eventId);
      const langs = display?.langs ?? defaultDisplay(await eventLanguages(eventId));
      return [...new Set([...langs, lang])];
    }
    return [lang];
  }

  function defaultDisplay(languages: string[]): string[] {
    const floor = languages[0];
    if (!floor) return [];
    return languages.includes('en') && floor !== 'en' ? [floor, 'en'] : [floor];
  }

  /**
   * Machine-translates a floor-language final into the languages nobody interprets now. The machine
   * segment's id is `m_<source id>`: a correction of the source replaces it in place.
   */
  function translateFinal(deliver: Delivery, eventId: string, source: Caption) {
    if (!translator) return;
    for (const target of presence.machineTargets(eventId)) {
      if (target === source.lang) continue;
      void translator.translate(source.text, source.lang, target).then(async (text) => {
        // A person may have started interpreting this language meanwhile: they win.
        if (text === null || !presence.machineTargets(eventId).includes(target)) return;
        try {
          const caption = await seqs.appendFinal(eventId, {
            lang: target,
            id: `m_${source.id}`,
            itemId: source.itemId,
            text: text.slice(0, CAPTION_LIMITS.textChars),
            source: 'machine',
            at: Date.now(),
          });
          emit(deliver, eventId, caption);
        } catch (err) {
          // Too old to correct, or the store is away: a machine caption is not worth a retry.
          logger.warn({ eventId, target, err: String(err) }, 'machine caption not stored');
        }
      });
    }
  }

  return {
    name: 'captions',

    /** Built once per server: a phone's socket costs nothing per command. */
    commands(): CommandTable {
      const table: CommandTable = {};

      // Interim: relayed, never stored. The state read and the seq run side by side.
      const relayInterim = async (socket: TribuneSocket, id: string, text: string) => {
        const { eventId, lang } = socket.data;
        const [stage, seq] = await Promise.all([itemOnStage(eventId, false), seqs.next(eventId, lang)]);
        emit(ctx.deliver, eventId, { lang, id, itemId: stage.itemId, seq, text, final: false, source: 'human', at: Date.now() });
        return seq;
      };
      const interim = interimRelay({
        burst: options.interimBurst ?? 10,
        perSecond: options.interimPerSecond ?? 8,
        relay: relayInterim,
      });

      table['caption:push'] = async ({ id, text, final }, socket) => {
        const { eventId, lang } = socket.data;
        if (!final) {
          // Past the interim budget the text waits (coalesced), acknowledged all the same.
          if (!interim.admit(socket, id, text)) return { coalesced: true };
          return { seq: await relayInterim(socket, id, text) };
        }
        interim.finalised(socket, id);
        const stage = await itemOnStage(eventId, true);
        const caption = await seqs.appendFinal(eventId, {
          lang,
          id,
          itemId: stage.itemId,
          text: text.trim(),
          source: 'human',
          at: Date.now(),
        });
        emit(ctx.deliver, eventId, caption);
        if (lang === stage.floor) translateFinal(ctx.deliver, eventId, caption);
        return { seq: caption.seq };
      };

      table['glossary:set'] = async ({ entries }, socket) => {
        const { eventId } = socket.data;
        const glossary = await captions.append<Glossary>(eventId, { kind: 'captions.glossary', payload: { entries, at: Date.now() } });
        ctx.deliver.send(eventId, { roles: ['interpreter', 'moderator'] }, 'glossary', glossary);
        return undefined;
      };

      table['captions:display'] = async ({ langs }, socket) => {
        const { eventId } = socket.data;
        const languages = await eventLanguages(eventId);
        const unknown = langs.find((l) => !languages.includes(l));
        if (unknown) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, `"${unknown}" is not a language of this event`, 'notALanguage', { lang: unknown });
        await captions.append(eventId, { kind: 'captions.display', payload: { langs } });
        ctx.deliver.send(eventId, { roles: ['projector', 'moderator'] }, 'captions:display', { langs });
        // The projector did not follow these languages until now: give it their history.
        const state = await core.getState(eventId);
        const itemId = state?.stage.itemId ?? null;
        const all = await Promise.all(langs.map((l) => languageHistory(eventId, l, itemId, undefined)));
        for (const h of all) ctx.deliver.send(eventId, { roles: ['projector'] }, 'captions:history', h);
        return undefined;
      };
      return table;
    },

    async onJoined(socket) {
      const { eventId, role } = socket.data;
      const state = await core.getState(eventId);
      if (!state) return;
      languagesOf.set(eventId, state.event.languages);
      const kind = presenceKind(role);
      // Counted once, even when the snapshot is tried again after a store outage.
      if (kind && socket.connected && !countedLang.has(socket)) {
        presence.join(eventId, state.event.languages, kind, socket.data.lang);
        countedLang.set(socket, socket.data.lang);
        socket.on('disconnect', () => {
          const counted = countedLang.get(socket);
          if (counted) presence.leave(eventId, state.event.languages, kind, counted);
          countedLang.delete(socket);
        });
      }
      await sendHistory(socket, await historyLangs(socket), state.stage.itemId, socket.data.captionsAfter);
      const snap = await presence.snapshot(eventId, state.event.languages);
      socket.emit('captions:status', snap.status);
      if (role === 'interpreter' || role === 'moderator') {
        socket.emit('captions:audience', snap.audience);
        socket.emit('glossary', glossaryOf(await captions.state(eventId)));
      }
      if (role === 'projector' || role === 'moderator') {
        const { display } = await captions.state(eventId);
        socket.emit('captions:display', display ?? { langs: defaultDisplay(state.event.languages) });
      }
    },

    async onLangChanged(socket, _ctx, { after }) {
      const { eventId, role, lang } = socket.data;
      const kind = presenceKind(role);
      const languages = await eventLanguages(eventId);
      const counted = countedLang.get(socket);
      if (kind && counted) {
        presence.leave(eventId, languages, kind, counted);
        presence.join(eventId, languages, kind, lang);
        countedLang.set(socket, lang);
      }
      const state = await core.getState(eventId);
      await sendHistory(socket, role === 'moderator' ? [] : [lang], state?.stage.itemId ?? null, after === undefined ? {} : { [lang]: after });
    },

    async close() {
      // The log and the ephemeral store belong to the backend, which closes them.
      await presence.stop();
    },
  };
}
