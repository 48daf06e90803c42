/**
 * The report domain's own store: what the evening's record needs that no other store keeps —
 * the audience peaks (overall and per table) and the organisers' summary per language. One
 * interface, two implementations (memory-store.ts with its journal, redis-store.ts), one contract
 * suite (tests/report.contract.test.ts). Writes are durable before their promise resolves.
 */
import type { AudiencePeak, SummaryEntry } from '../../shared/report.ts';
import type { Audience } from '../../shared/schemas.ts';

export interface ReportStore {
  readonly kind: 'memory' | 'redis';
  /** Raises the stored peaks to this audience where it is higher (never lowers them). */
  recordAudience(eventId: string, audience: Audience): Promise<void>;
  audiencePeak(eventId: string): Promise<AudiencePeak>;
  summaries(eventId: string): Promise<Record<string, SummaryEntry>>;
  /** Stores one language's summary; null removes it. */
  setSummary(eventId: string, lang: string, entry: SummaryEntry | null): Promise<void>;
  close(): Promise<void>;
}

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
