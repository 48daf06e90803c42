/**
 * The report domain's own data: what the evening's record needs that no other domain keeps — the
 * audience peaks (overall and per table) and the organisers' summary per language. Its rules are
 * the reducer below, folded from the event's log (server/log); the reads are selectors below it.
 */
import type { AudiencePeak, SummaryEntry } from '../../shared/report.ts';
import type { Audience } from '../../shared/schemas.ts';
import type { Reducer } from '../log/event-logs.ts';
import type { Entry } from '../log/types.ts';

export interface ReportState {
  /** Peak fields (`peakFields`) → the highest count seen. */
  peaks: Record<string, number>;
  summaries: Record<string, SummaryEntry>;
}

/** Entries of the report domain. `report.import` carries what an older version had stored. */
export type ReportEntry =
  | { kind: 'report.peaks'; payload: { fields: Record<string, number> } }
  | { kind: 'report.summary'; payload: { lang: string; entry: SummaryEntry | null } }
  | { kind: 'report.import'; payload: ReportState };

/** The peak fields an audience raises: `total` and `t:<tableId>` → count. */
export function peakFields(audience: Audience): [string, number][] {
  return [['total', audience.connected], ...Object.entries(audience.byTable).map(([t, n]): [string, number] => [`t:${t}`, n])];
}

export function peakFrom(fields: Iterable<[string, number]>): AudiencePeak {
  const peak: AudiencePeak = { peak: 0, peakByTable: {} };
  for (const [field, n] of fields) {
    if (field === 'total') peak.peak = n;
    else if (field.startsWith('t:') && n > 0) peak.peakByTable[field.slice(2)] = n;
  }
  return peak;
}

export const reportReducer: Reducer<ReportState, void> = {
  name: 'report',
  initial: () => ({ peaks: {}, summaries: {} }),
  apply(state, entry: Entry) {
    const e = entry as Entry & ReportEntry;
    switch (e.kind) {
      case 'report.peaks':
        // A peak only rises: processes publishing at the same time never lower each other's.
        for (const [f, n] of Object.entries(e.payload.fields)) if (n > (state.peaks[f] ?? 0)) state.peaks[f] = n;
        return;
      case 'report.summary':
        if (e.payload.entry) state.summaries[e.payload.lang] = e.payload.entry;
        else delete state.summaries[e.payload.lang];
        return;
      case 'report.import':
        for (const [f, n] of Object.entries(e.payload.peaks)) if (n > (state.peaks[f] ?? 0)) state.peaks[f] = n;
        Object.assign(state.summaries, e.payload.summaries);
        return;
    }
  },
  save: (state) => state,
  load: (json) => json as ReportState,
};

/**
 * The entry that raises the peaks to this audience, or null when none would rise as far as `state`
 * knows (the state folded here: another process may have raised them since, which is harmless).
 */
export function peaksEntry(state: ReportState | null, audience: Audience): ReportEntry | null {
  const known = state?.peaks ?? {};
  const raised = peakFields(audience).filter(([f, n]) => n > (known[f] ?? 0));
  return raised.length ? { kind: 'report.peaks', payload: { fields: Object.fromEntries(raised) } } : null;
}

/** The audience peaks, overall and per table. */
export const audiencePeakOf = (state: ReportState): AudiencePeak => peakFrom(Object.entries(state.peaks));

/** The summaries per language (a copy: the state goes on folding). */
export const summariesOf = (state: ReportState): Record<string, SummaryEntry> => ({ ...state.summaries });
