/**
 * Questions at scale (PROTOCOL v2): what a socket receives of the questions when it joins, and
 * the pages it asks for after (`questions:more`). A join reads a bounded number of questions
 * whatever the evening holds: the head of a ranked list (one store read shared by every socket
 * joining at the same moment), the device's own questions, and its `voted` among those only.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { compareRank, QUESTION_PAGES, type Question, type QuestionPage, type QuestionStatus } from '../../shared/questions.ts';
import type { Role } from '../../shared/schemas.ts';
import { Batch } from './broadcast.ts';
import * as read from './read.ts';
import type { QuestionRecord, QuestionsLog, RankedList } from './rules.ts';

export interface PageRequest {
  status?: QuestionStatus | undefined;
  offset: number;
  limit: number;
}

/** Past any real list: such an offset answers an empty page. */
const OFFSET_CEILING = 1_000_000_000;

const isPublic = (q: QuestionRecord) => q.status === 'live' || q.status === 'answered';

export class QuestionPages {
  /** Per event: the head of the ranking for the room, and the moderators' lists. */
  private readonly heads = new Map<string, { room: Batch<QuestionRecord[]>; moderators: Batch<QuestionRecord[]> }>();

  constructor(private readonly log: QuestionsLog) {}

  private head(eventId: string) {
    let h = this.heads.get(eventId);
    if (!h) {
      const { log } = this;
      h = {
        room: new Batch(async () => read.page(await log.state(eventId), 'public', 0, QUESTION_PAGES.roomSnapshot).items),
        moderators: new Batch(async () => {
          const s = await log.state(eventId);
          const pending = read.page(s, 'pending', 0, QUESTION_PAGES.pendingSnapshot).items;
          const others = read.page(s, 'public', 0, QUESTION_PAGES.othersSnapshot).items;
          // Dismissed ones fill what the public ones leave of the 100 (a moderator may restore one).
          const room = QUESTION_PAGES.othersSnapshot - others.length;
          const dismissed = room > 0 ? read.page(s, 'dismissed', 0, room).items : [];
          return [...pending, ...others, ...dismissed];
        }),
      };
      this.heads.set(eventId, h);
    }
    return h;
  }

  /**
   * The `questions` snapshot of a joining socket. Moderators: every pending question (≤ 500), then
   * ≤ 100 others. Everyone else: the first 50 `live`/`answered`, plus the device's own (but
   * dismissed ones), plus `shown` (the question on the projector, for the projector's screen).
   */
  async snapshot(eventId: string, role: Role, device: string, shown: string | null = null): Promise<Question[]> {
    let list: QuestionRecord[];
    if (role === 'moderator') {
      list = await this.head(eventId).moderators.get();
    } else {
      const [top, s] = await Promise.all([this.head(eventId).room.get(), this.log.state(eventId)]);
      const own = read.deviceQuestions(s, device, QUESTION_PAGES.ownSnapshot);
      const onScreen = shown ? read.get(s, shown) : null;
      const seen = new Set(top.map((q) => q.id));
      list = [...top];
      for (const q of [...own, ...(onScreen && isPublic(onScreen) ? [onScreen] : [])]) {
        if (q.status === 'dismissed' || seen.has(q.id)) continue;
        seen.add(q.id);
        list.push(q);
      }
    }
    return this.forDevice(eventId, device, list);
  }

  /** `questions:more`: a page of a ranked list, in the snapshot's order. */
  async more(eventId: string, role: Role, device: string, { status, offset, limit }: PageRequest): Promise<QuestionPage> {
    const moderator = role === 'moderator';
    if (status === 'dismissed' && !moderator) {
      throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'status: "live", "answered" or "pending"');
    }
    const s = await this.log.state(eventId);
    let items: QuestionRecord[];
    let total: number;
    if (status === 'pending' && !moderator) {
      // A device's own pending questions: a few (its asks are limited per minute), sorted here.
      const own = read.deviceQuestions(s, device).filter((q) => q.status === 'pending').sort(compareRank);
      items = own.slice(offset, offset + limit);
      total = own.length;
    } else {
      const list: RankedList = status ?? 'public';
      ({ items, total } = read.page(s, list, Math.min(offset, OFFSET_CEILING), limit));
    }
    return { items: await this.forDevice(eventId, device, items), total };
  }

  /** The wire form for one device: `mine`, and `voted` read for these questions only. */
  private async forDevice(eventId: string, device: string, list: QuestionRecord[]): Promise<Question[]> {
    const voted = read.votedAmong(await this.log.state(eventId), device, list.map((q) => q.id));
    return list.map((q) => read.toWire(q, { device, voted: voted.has(q.id) }));
  }
}
