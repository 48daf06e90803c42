/** Pure helpers over a `Report` for the report page and the tablet's report panel. */
import type { ReportItem, SummaryEntry, TranscriptLine } from '../../../shared/report.ts';

/** The report page of an event, opened with `key` (moderator, report or admin). */
export const reportPagePath = (eventId: string, key: string) => `/r/${encodeURIComponent(eventId)}#k=${encodeURIComponent(key)}`;

/**
 * The transcript language a reader starts with: their interface language when the event has it,
 * else the floor language (the event's first).
 */
export function defaultTranscriptLanguage(ui: string, languages: readonly string[]): string {
  return languages.includes(ui) ? ui : (languages[0] ?? ui);
}

/**
 * The summary to show in `lang`: its own, else another language's — a person's before a
 * machine's, the floor language first, then in the event's order. Null when there is none.
 */
export function summaryFor(
  summary: Record<string, SummaryEntry>,
  lang: string,
  languages: readonly string[],
): { lang: string; entry: SummaryEntry } | null {
  const own = summary[lang];
  if (own) return { lang, entry: own };
  const others = languages.filter((l) => l !== lang && summary[l]);
  const pick = others.find((l) => summary[l]!.source === 'human') ?? others[0];
  return pick ? { lang: pick, entry: summary[pick]! } : null;
}

export interface TranscriptSection {
  /** Null: what was said before and between the interventions. */
  item: ReportItem | null;
  lines: TranscriptLine[];
}

/**
 * The transcript by intervention, in running order (lines keep their order within each); the
 * lines said with nobody on stage (or for an item since removed) come first, under their own
 * heading. Interventions without a line are left out.
 */
export function transcriptSections(agenda: readonly ReportItem[], lines: readonly TranscriptLine[]): TranscriptSection[] {
  const byItem = new Map<string | null, TranscriptLine[]>();
  const known = new Set(agenda.map((i) => i.id));
  for (const line of lines) {
    const key = line.itemId !== null && known.has(line.itemId) ? line.itemId : null;
    let list = byItem.get(key);
    if (!list) byItem.set(key, (list = []));
    list.push(line);
  }
  const sections: TranscriptSection[] = [];
  const loose = byItem.get(null);
  if (loose) sections.push({ item: null, lines: loose });
  for (const item of agenda) {
    const own = byItem.get(item.id);
    if (own) sections.push({ item, lines: own });
  }
  return sections;
}
