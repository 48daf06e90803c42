/**
 * The report domain's rules (server/report/rules.ts) on their own: the reducer folded over entries
 * written here, no log, no Redis. Audience peaks only rise (overall and per table), the entry that
 * raises them names only what rises, summaries are set and removed per language, an import fills
 * in what an older version stored, and a snapshot folds on as the state it was taken from.
 * Across a restart, on both backends: report.backends.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Entry } from '../server/log/types.ts';
import { audiencePeakOf, peaksEntry, reportReducer, summariesOf, type ReportEntry, type ReportState } from '../server/report/rules.ts';

let seq = 0;
const entry = (e: ReportEntry): Entry => ({ seq: ++seq, at: 1_000_000 + seq, ...e });

/** Records an audience as the report domain does: the entry that raises the peaks, if any. */
function record(s: ReportState, audience: { connected: number; byTable: Record<string, number> }) {
  const e = peaksEntry(s, audience);
  if (e) reportReducer.apply(s, entry(e));
  return e;
}

describe('the report rules', () => {
  it('audience peaks only rise, per table too; the entry names only what rises', () => {
    const s = reportReducer.initial();
    expect(audiencePeakOf(s)).toEqual({ peak: 0, peakByTable: {} });
    expect(record(s, { connected: 5, byTable: { t1: 3, t2: 2 } })).toEqual({ kind: 'report.peaks', payload: { fields: { total: 5, 't:t1': 3, 't:t2': 2 } } });
    expect(record(s, { connected: 3, byTable: { t1: 1, t2: 2, t3: 1 } })).toEqual({ kind: 'report.peaks', payload: { fields: { 't:t3': 1 } } });
    record(s, { connected: 6, byTable: { t1: 2, t2: 4 } });
    expect(audiencePeakOf(s)).toEqual({ peak: 6, peakByTable: { t1: 3, t2: 4, t3: 1 } });
    // Nothing higher: no entry at all.
    expect(record(s, { connected: 6, byTable: { t1: 3 } })).toBeNull();
    // A peaks entry lower than the state (another process raised it since) lowers nothing.
    reportReducer.apply(s, entry({ kind: 'report.peaks', payload: { fields: { total: 2, 't:t2': 1 } } }));
    expect(audiencePeakOf(s)).toEqual({ peak: 6, peakByTable: { t1: 3, t2: 4, t3: 1 } });
    // Without a state folded here, everything above zero is raised.
    expect(peaksEntry(null, { connected: 1, byTable: { t1: 0 } })).toEqual({ kind: 'report.peaks', payload: { fields: { total: 1 } } });
  });

  it('summaries per language: set, replaced, removed; the answer is a copy', () => {
    const s = reportReducer.initial();
    const summary = (lang: string, value: ReportState['summaries'][string] | null) =>
      reportReducer.apply(s, entry({ kind: 'report.summary', payload: { lang, entry: value } }));
    summary('fr', { text: 'Résumé', source: 'human', updatedAt: 1 });
    summary('es', { text: 'Resumen', source: 'machine', updatedAt: 2 });
    summary('es', null);
    summary('he', { text: 'סיכום', source: 'machine', updatedAt: 3 });
    const answer = summariesOf(s);
    expect(answer).toEqual({
      fr: { text: 'Résumé', source: 'human', updatedAt: 1 },
      he: { text: 'סיכום', source: 'machine', updatedAt: 3 },
    });
    summary('fr', null);
    expect(Object.keys(answer)).toEqual(['fr', 'he']);
    expect(summariesOf(reportReducer.initial())).toEqual({});
  });

  it('an import raises peaks and adds summaries; a snapshot folds on as the state it was taken from', () => {
    const s = reportReducer.initial();
    record(s, { connected: 4, byTable: { aix: 4 } });
    reportReducer.apply(s, entry({ kind: 'report.import', payload: { peaks: { total: 15, 't:aix': 3, 't:granada': 7 }, summaries: { fr: { text: 'old', source: 'human', updatedAt: 1 } } } }));
    expect(audiencePeakOf(s)).toEqual({ peak: 15, peakByTable: { aix: 4, granada: 7 } });
    const restored = reportReducer.load(JSON.parse(JSON.stringify(reportReducer.save(s))));
    for (const state of [s, restored]) record(state, { connected: 20, byTable: {} });
    expect(restored).toEqual(s);
    expect(summariesOf(restored)).toEqual({ fr: { text: 'old', source: 'human', updatedAt: 1 } });
  });
});
