/**
 * The report slice: the one report a screen shows (the Report panel on the tablet or the admin
 * page, or the report page), fetched over HTTP, with the summaries the editor saved since.
 * A new target (another event or key) replaces the old report; a refresh keeps it on screen
 * until the new one arrives. Its lifetime is its screen's, not the connection's (the report page has
 * no socket): the panel or page that shows it calls `resetReport` when it closes.
 */
import type { WireError } from '../../../shared/errors.ts';
import type { Report } from '../../../shared/report.ts';
import { fetchReport, type Summaries } from '../net/report.ts';
import { defineSlice, part } from './store.ts';

export interface ReportTarget {
  eventId: string;
  key: string;
  /** The one transcript language to fetch; null: none; absent: every language. */
  lang?: string | null;
}

export interface ReportState {
  target: ReportTarget | null;
  report: Report | null;
  /** The last fetch failed (a report still shown is the previous one). */
  failure: { error: WireError; status: number } | null;
  loading: boolean;
}

export interface ReportSlice {
  report: ReportState;
}

/** Bumped by every fetch: only the latest one's answer is kept. */
let fetchSeq = 0;
/** Bumped by every summary change here: a fetch that left before it must not bring the old ones back. */
let summarySeq = 0;

/** Forgets the report (a panel closed, a screen left); an answer still on its way is dropped. */
export const resetReport = defineSlice({
  initial: (): ReportSlice => ({ report: { target: null, report: null, failure: null, loading: false } }),
  lifetime: 'own',
  onReset: () => {
    fetchSeq++;
  },
});

const slice = part('report');
export const useReport = slice.use;

/** Fetches the report of `target`; resolves true when it arrived. */
export async function loadReport(target: ReportTarget): Promise<boolean> {
  const n = ++fetchSeq;
  const summariesAtStart = summarySeq;
  const prev = slice.get().target;
  const sameEvent = prev?.eventId === target.eventId && prev.key === target.key;
  slice.set({ target, loading: true, ...(sameEvent ? {} : { report: null, failure: null }) });
  const r = await fetchReport(target.eventId, target.key, target.lang);
  if (n !== fetchSeq) return r.ok;
  if (!r.ok) {
    slice.set({ failure: { error: r.error, status: r.status }, loading: false });
    return false;
  }
  const held = slice.get().report;
  const report = summariesAtStart !== summarySeq && held ? { ...r.data, summary: held.summary } : r.data;
  slice.set({ report, failure: null, loading: false });
  return true;
}

/** Every language's summary as the server answered a save or a draft. */
export function setSummaries(summary: Summaries): void {
  summarySeq++;
  slice.set((s) => (s.report ? { report: { ...s.report, summary } } : {}));
}
