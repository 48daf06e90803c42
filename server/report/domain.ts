/**
 * The report domain: the evening's record (PROTOCOL.md `Report`) for the moderator, the admin
 * page and the cities that could not come. It owns only the audience peaks and the summaries
 * (rules.ts); the rest it reads from the other domains' states in the event's log, and from the
 * questions' log, which backend.ts shares with it.
 */
import type { TranslationEngine } from '../translate/engine.ts';
import type { Audience } from '../../shared/schemas.ts';
import type { Domain } from '../domain.ts';
import type { Logger } from '../log.ts';
import { domainLog, type DomainLog, type EventLogs } from '../log/event-logs.ts';
import type { QuestionsLog } from '../questions/rules.ts';
import type { Store } from '../store/types.ts';
import { reportRoutes } from './routes.ts';
import { peaksEntry, reportReducer, type ReportEntry, type ReportState } from './rules.ts';

export interface ReportOptions {
  questions: QuestionsLog;
  /** The backend's event logs (folding the captions, polls and report reducers); the backend closes them. */
  logs: EventLogs;
  /** The box's machine translation: machine drafts of the summary (null: none). */
  translation?: TranslationEngine | null;
}

/**
 * Audience peaks, written as presence changes. A write that fails (Redis away) is merged into
 * the next one and retried, so a peak reached during a blip is still kept once the store is back.
 */
function peakRecorder(report: DomainLog<ReportState, ReportEntry>, retryMs = 2_000) {
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
      // Only what would rise as far as this process knows (another process may have raised it: harmless).
      const entry = peaksEntry(report.peek(eventId), audience);
      if (entry) await report.append(eventId, entry);
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
  const peaks = peakRecorder(domainLog<ReportState, ReportEntry>(options.logs, reportReducer));
  const translator = options.translation ?? null;
  return {
    name: 'report',
    onAudience(state, ctx) {
      peaks.record(state.event.id, state.audience, ctx.logger);
    },
    routes(api, ctx) {
      reportRoutes(api, {
        core,
        questions: options.questions,
        logs: options.logs,
        adminTokenHash: () => ctx.adminTokenHash,
        translator,
      });
    },
  };
}
