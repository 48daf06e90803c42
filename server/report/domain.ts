/**
 * The report domain: the evening's record (PROTOCOL.md `Report`) for the moderator, the admin
 * page and the cities that could not come. It owns only the audience peaks and the summaries;
 * the rest it reads from the other domains' stores, which backend.ts shares with it.
 */
import type { CaptionStore } from '../captions/store.ts';
import type { TranslationEngine } from '../translate/engine.ts';
import type { Audience } from '../../shared/schemas.ts';
import type { Domain } from '../domain.ts';
import type { Logger } from '../log.ts';
import type { PollStore } from '../polls/store.ts';
import type { QuestionsLog } from '../questions/rules.ts';
import type { Store } from '../store/types.ts';
import { reportRoutes } from './routes.ts';
import type { ReportStore } from './store.ts';

export interface ReportOptions {
  captions: CaptionStore;
  questions: QuestionsLog;
  polls: PollStore;
  /** Its own store (backend.ts opens it, so tools reach it too). */
  report: ReportStore;
  /** The box's machine translation: machine drafts of the summary (null: none). */
  translation?: TranslationEngine | null;
}

/**
 * Audience peaks, written as presence changes. A write that fails (Redis away) is merged into
 * the next one and retried, so a peak reached during a blip is still kept once the store is back.
 */
function peakRecorder(report: ReportStore, retryMs = 2_000) {
  const pending = new Map<string, Audience>();
  const busy = new Set<string>();
  /** Events with a retry scheduled: one at a time, however many writes failed meanwhile. */
  const retrying = new Set<string>();
  const merge = (eventId: string, a: Audience) => {
    const p = pending.get(eventId);
    if (!p) return void pending.set(eventId, { connected: a.connected, byTable: { ...a.byTable } });
    p.connected = Math.max(p.connected, a.connected);
    for (const [t, n] of Object.entries(a.byTable)) p.byTable[t] = Math.max(p.byTable[t] ?? 0, n);
  };
  async function flush(eventId: string, logger: Logger) {
    const audience = pending.get(eventId);
    if (!audience || busy.has(eventId)) return;
    pending.delete(eventId);
    busy.add(eventId);
    let stored = true;
    try {
      await report.recordAudience(eventId, audience);
    } catch (err) {
      stored = false;
      logger.warn({ eventId, err: String(err) }, 'audience peak not stored yet, retrying');
      merge(eventId, audience);
      if (!retrying.has(eventId)) {
        retrying.add(eventId);
        setTimeout(() => {
          retrying.delete(eventId);
          void flush(eventId, logger);
        }, retryMs).unref();
      }
    } finally {
      busy.delete(eventId);
    }
    // What arrived meanwhile goes now; after a failure, only with the retry. (Flushing again at once
    // after a failure looped without end when the store refused at once — ioredis without its
    // offline queue rejects in the same turn — starving the event loop until the heap ran out.)
    if (stored && pending.has(eventId)) void flush(eventId, logger);
  }
  return {
    record(eventId: string, audience: Audience, logger: Logger) {
      merge(eventId, audience);
      void flush(eventId, logger);
    },
  };
}

export function createReportDomain(core: Store, options: ReportOptions): Domain {
  const { report } = options;
  // A summary is a page of text: longer per request than a caption line.
  const peaks = peakRecorder(report);
  const translator = options.translation ?? null;
  return {
    name: 'report',
    onAudience(state, ctx) {
      peaks.record(state.event.id, state.audience, ctx.logger);
    },
    routes(api, ctx) {
      reportRoutes(api, {
        core,
        captions: options.captions,
        questions: options.questions,
        polls: options.polls,
        report,
        adminTokenHash: () => ctx.adminTokenHash,
        translator,
      });
    },
    async close() {
      await report.close();
    },
  };
}
