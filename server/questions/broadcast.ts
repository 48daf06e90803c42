/**
 * How question changes, ratings and participation reach sockets without a storm costing
 * votes × phones messages:
 *
 * - `Throttled` (socket/throttled.ts): flushes at most once per window per event, across processes.
 * - `QuestionBroadcaster`: per event, the latest copy of every changed question waits for the
 *   next flush. The room (phones, projector) gets at most `roomFrames` socket writes per flush
 *   (a few questions to a big room, more to a small one, never fewer than one), moderators at most
 *   `moderatorBudget` questions; creations and status changes go first, then the most voted. So a
 *   question is sent at most twice a second and a flush costs a bounded number of writes, whatever
 *   the storm. What waits goes out at the next flushes; the newest copy (highest `rev`) wins.
 * - With machine translation, each copy carries `translation` in its reader's language: the room is
 *   sent one copy per event language (`lang` rooms; the projector gets the floor language's),
 *   moderators one per language too. Without it, one copy for all, as before.
 * - `Batch`: one store read serves every snapshot asked while it was pending (a reconnect storm
 *   of phones costs a few reads, not one per phone), and never one started before the request.
 */
import type { Question, QuestionStatus } from '../../shared/questions.ts';
import { Roles } from '../../shared/schemas.ts';
import type { Logger } from '../log.ts';
import type { Recipients, Delivery } from '../socket/deliver.ts';
import { toWire } from './read.ts';
import type { QuestionRecord } from './rules.ts';
import type { QuestionTranslations } from './translations.ts';
import { Throttled } from '../socket/throttled.ts';

const isPublic = (s: QuestionStatus | null) => s === 'live' || s === 'answered';

/** Keeps the newest copy; a creation or status change stays urgent until sent. */
function wait(queue: Map<string, Waiting>, record: QuestionRecord, urgent: boolean) {
  const was = queue.get(record.id);
  if (!was || was.record.rev <= record.rev) queue.set(record.id, { record, urgent: urgent || (was?.urgent ?? false) });
  else if (urgent) was.urgent = true;
}

/** Creations and status changes first (oldest first), then vote counts (most voted first). */
const priority = (a: Waiting, b: Waiting) =>
  Number(b.urgent) - Number(a.urgent) || (a.urgent ? a.record.createdAt - b.record.createdAt : b.record.votes - a.record.votes);

interface Waiting {
  record: QuestionRecord;
  /** A creation or a status change: goes out before vote counts. */
  urgent: boolean;
}

export interface BroadcasterOptions {
  deliver: Delivery;
  claim: (eventId: string, name: string, windowMs: number) => Promise<number>;
  windowMs: number;
  /** Socket writes to the room per flush: the number of questions is this / the room's size. */
  roomFrames: number;
  /** At most this many questions to the room per flush, however small it is. */
  roomMaxQuestions: number;
  /** Moderators are few, but in Redis mode every emit is a stream entry: bounded too. */
  moderatorBudget: number;
  logger: Logger;
  /** Machine translation of each copy into its readers' language (absent or disabled: none). */
  translations?: QuestionTranslations;
  /** The event's languages, floor language first. */
  languages?: (eventId: string) => Promise<string[]>;
}

export class QuestionBroadcaster {
  private readonly events = new Map<string, { moderators: Map<string, Waiting>; room: Map<string, Waiting>; throttle: Throttled }>();

  constructor(private readonly opts: BroadcasterOptions) {}

  /**
   * A question was created (`previous` null) or changed. It reaches moderators, and the room when
   * it is or was public (so phones drop a dismissed one).
   */
  changed(eventId: string, record: QuestionRecord, previous: QuestionStatus | null): void {
    const ev = this.event(eventId);
    // Translated from its creation: the copies that follow find it done.
    if (previous === null && this.opts.translations?.enabled && this.opts.languages) {
      const { translations } = this.opts;
      void this.opts.languages(eventId).then((langs) => translations.prefetch(record, langs), () => undefined);
    }
    const urgent = previous !== record.status;
    wait(ev.moderators, record, urgent);
    if (isPublic(record.status) || isPublic(previous)) wait(ev.room, record, urgent);
    ev.throttle.mark();
  }

  stop(): void {
    for (const ev of this.events.values()) ev.throttle.stop();
  }

  private event(eventId: string) {
    let ev = this.events.get(eventId);
    if (!ev) {
      const created = {
        moderators: new Map<string, Waiting>(),
        room: new Map<string, Waiting>(),
        throttle: new Throttled(
          () => this.opts.claim(eventId, 'questions', this.opts.windowMs),
          () => this.flush(eventId),
          this.opts.windowMs,
          (err) => this.opts.logger.warn({ eventId, err: String(err) }, 'questions not broadcast'),
        ),
      };
      this.events.set(eventId, created);
      ev = created;
    }
    return ev;
  }

  private async flush(eventId: string) {
    const ev = this.events.get(eventId);
    if (!ev) return;
    const { deliver } = this.opts;
    const send = (to: Recipients, q: Question) => deliver.send(eventId, to, 'question', q);
    // What this flush sends leaves the queues now: a newer copy arriving meanwhile waits for the next.
    const take = (queue: Map<string, Waiting>, n: number) => {
      const batch = [...queue.values()].sort(priority).slice(0, n).map((w) => w.record);
      for (const r of batch) queue.delete(r.id);
      return batch;
    };
    const toMods = take(ev.moderators, this.opts.moderatorBudget);
    // This process's sockets in the event: what one broadcast costs here.
    const size = deliver.here(eventId);
    const budget = Math.max(1, Math.min(this.opts.roomMaxQuestions, Math.floor(this.opts.roomFrames / Math.max(1, size))));
    const toRoom = take(ev.room, budget);

    const { translations, languages } = this.opts;
    const langs = translations?.enabled && languages ? await languages(eventId).catch(() => []) : [];
    if (langs.length === 0) {
      for (const record of toMods) send({ roles: ['moderator'] }, toWire(record));
      for (const [n, record] of toRoom.entries()) {
        // One room broadcast is thousands of socket writes: let commands in between two of them.
        if (n > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        send({ event: true, except: ['moderator'] }, toWire(record));
      }
    } else {
      // One copy per language, each with its readers' translation.
      const moderatorsOf = (l: string): Recipients => ({ langs: [l], except: Roles.filter((r) => r !== 'moderator') });
      const roomOf = (l: string): Recipients =>
        l === langs[0] ? { langs: [l], roles: ['projector'], except: ['moderator'] } : { langs: [l], except: ['moderator', 'projector'] };
      // A translation that comes after its copy went is sent then, to the same readers.
      const copies = async (records: QuestionRecord[], readers: (l: string) => Recipients) => {
        const out = new Map<string, Question[]>();
        for (const l of langs) out.set(l, await translations!.into(records.map((r) => toWire(r)), l, (q) => send(readers(l), q)));
        return out;
      };
      const [mods, room] = await Promise.all([copies(toMods, moderatorsOf), copies(toRoom, roomOf)]);
      for (const [l, list] of mods) for (const q of list) send(moderatorsOf(l), q);
      const floor = langs[0]!;
      for (let n = 0; n < toRoom.length; n++) {
        if (n > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        for (const [l, list] of room) send({ langs: [l], except: ['moderator', 'projector'] }, list[n]!);
        // The projector shows the floor language's translation, the original below.
        send({ roles: ['projector'] }, room.get(floor)![n]!);
      }
    }
    if (ev.room.size > 0 || ev.moderators.size > 0) ev.throttle.mark();
  }
}

/** One read for every request that arrived while none had started yet. */
export class Batch<T> {
  private inflight: Promise<T> | null = null;
  private next: Promise<T> | null = null;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.inflight) {
      this.inflight = this.read().finally(() => {
        this.inflight = null;
      });
      return this.inflight;
    }
    // A read already started may predate this request's view: wait for the one after it.
    this.next ??= this.inflight
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return this.get();
      });
    return this.next;
  }
}
