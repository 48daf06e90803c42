/**
 * The report's own data on both backends of the event log (a temp DATA_DIR; a Redis key prefix):
 * audience peaks and summaries, written as the report domain writes them, survive a reopen (a
 * restart). The rules alone: report.rules.test.ts; the captions' transcript across a restart:
 * captions.backends.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Audience } from '../shared/schemas.ts';
import { domainLog } from '../server/log/event-logs.ts';
import { audiencePeakOf, peaksEntry, reportReducer, summariesOf, type ReportEntry, type ReportState } from '../server/report/rules.ts';
import { storeKinds } from './helpers/stores.ts';

for (const kind of storeKinds) {
  describe.skipIf(!kind.available)(`report data on the ${kind.name} log`, () => {
    const locations: string[] = [];
    afterAll(async () => {
      for (const l of locations) await kind.cleanup(l);
    });
    const open = async (location: string) => {
      const logs = await kind.openLogs(location, [reportReducer]);
      return { logs, report: domainLog<ReportState, ReportEntry>(logs, reportReducer) };
    };

    it('audience peaks only rise, per table too; summaries per language; both survive a reopen', async () => {
      const location = kind.newLocation();
      locations.push(location);
      const { logs, report } = await open(location);
      const record = async (eventId: string, audience: Audience) => {
        const entry = peaksEntry(report.peek(eventId), audience);
        if (entry) await report.append(eventId, entry);
      };
      expect(audiencePeakOf(await report.state('e1'))).toEqual({ peak: 0, peakByTable: {} });
      await record('e1', { connected: 5, byTable: { t1: 3, t2: 2 } });
      await record('e1', { connected: 3, byTable: { t1: 1, t2: 2, t3: 1 } });
      await record('e1', { connected: 6, byTable: { t1: 2, t2: 4 } });
      await record('e2', { connected: 1, byTable: {} });
      const summary = (lang: string, entry: ReportState['summaries'][string] | null) => report.append('e1', { kind: 'report.summary', payload: { lang, entry } });
      await summary('fr', { text: 'Résumé', source: 'human', updatedAt: 1 });
      await summary('es', { text: 'Resumen', source: 'machine', updatedAt: 2 });
      await summary('es', null);
      await summary('he', { text: 'סיכום', source: 'machine', updatedAt: 3 });
      await logs.close();

      const again = await open(location);
      try {
        expect(audiencePeakOf(await again.report.state('e1'))).toEqual({ peak: 6, peakByTable: { t1: 3, t2: 4, t3: 1 } });
        expect(audiencePeakOf(await again.report.state('e2'))).toEqual({ peak: 1, peakByTable: {} });
        expect(summariesOf(await again.report.state('e1'))).toEqual({
          fr: { text: 'Résumé', source: 'human', updatedAt: 1 },
          he: { text: 'סיכום', source: 'machine', updatedAt: 3 },
        });
        expect(summariesOf(await again.report.state('e2'))).toEqual({});
      } finally {
        await again.logs.close();
      }
    });
  });
}
