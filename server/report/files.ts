/**
 * The report's downloads, made from the `Report` alone (so every process makes the same bytes):
 * WebVTT and SubRip transcripts, and CSV tables (RFC 4180: CRLF, fields quoted when they hold a
 * comma, a quote or a line break, quotes doubled; UTF-8).
 *
 * Formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would be run as a formula by a spreadsheet — and so may one starting with their full-width forms
 * (`＝` `＋` `－` `＠`, which spreadsheets set up for East Asian input take for the ASCII ones); it
 * is written as `'` + the text, quoted. Numbers are written as numbers (a negative one is a
 * number, not a formula).
 */
import type { Report, ReportFile, TranscriptLine } from '../../shared/report.ts';
import { delegationOverMs, overTimeMs } from '../../shared/report-limits.ts';

type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** One CSV field. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== value || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const seconds = (ms: number) => Math.round(ms / 1000);

export function questionsCsv(report: Report): string {
  const items = new Map(report.agenda.map((i) => [i.id, i]));
  const tables = new Map(report.event.tables.map((t) => [t.id, t.name]));
  return csv(
    ['id', 'created_at', 'votes', 'status', 'item_id', 'speaker', 'table_id', 'table', 'lang', 'author', 'text'],
    report.questions.map((q) => [
      q.id,
      iso(q.createdAt),
      q.votes,
      q.status,
      q.itemId,
      q.itemId ? (items.get(q.itemId)?.speaker ?? null) : null,
      q.table,
      q.table ? (tables.get(q.table) ?? null) : null,
      q.lang,
      q.author,
      q.text,
    ]),
  );
}

export function ratingsCsv(report: Report): string {
  const items = new Map(report.agenda.map((i) => [i.id, i]));
  const labels = new Map(report.event.indicators.map((i) => [i.id, i.label]));
  const rows: Cell[][] = [];
  // Running order first, then the event: the order the report reads in.
  const targets = [...report.agenda.map((i) => i.id), 'event'].filter((t) => report.ratings[t]);
  for (const target of targets) {
    for (const [indicator, s] of Object.entries(report.ratings[target]!)) {
      const item = target === 'event' ? null : items.get(target);
      rows.push([
        target,
        item ? [item.speaker, item.delegation].filter(Boolean).join(' — ') : null,
        indicator,
        labels.get(indicator) ?? null,
        s.count,
        Math.round(s.mean * 100) / 100,
        ...s.histogram,
      ]);
    }
  }
  return csv(['target', 'target_name', 'indicator', 'indicator_label', 'count', 'mean', 'score_1', 'score_2', 'score_3', 'score_4', 'score_5'], rows);
}

export function speakingTimeCsv(report: Report): string {
  const rows: Cell[][] = report.agenda.map((i) => [
    'item',
    i.id,
    i.speaker,
    i.delegation,
    i.title,
    i.language,
    i.status,
    iso(i.startedAt),
    i.plannedSeconds,
    seconds(i.spokenMs),
    seconds(overTimeMs(i.plannedSeconds, i.spokenMs)),
  ]);
  for (const d of report.delegations) {
    const over = delegationOverMs(report.agenda.filter((i) => i.delegation === d.delegation));
    rows.push(['delegation', null, null, d.delegation, null, null, null, null, d.plannedSeconds, seconds(d.spokenMs), seconds(over)]);
  }
  return csv(
    ['kind', 'item_id', 'speaker', 'delegation', 'title', 'language', 'status', 'started_at', 'planned_seconds', 'spoken_seconds', 'over_seconds'],
    rows,
  );
}

/** The debate floor per table: ended turns and their spoken time. */
export function floorCsv(report: Report): string {
  const tables = new Map(report.event.tables.map((t) => [t.id, t.name]));
  return csv(
    ['table_id', 'table', 'turns', 'spoken_seconds'],
    (report.floor ?? []).map((row) => [row.table, row.table ? (tables.get(row.table) ?? null) : null, row.turns, seconds(row.spokenMs)]),
  );
}

export interface Cue {
  line: TranscriptLine;
  start: number;
  end: number;
}

/** A cue shows at least this long, and at most this long when the next one is later. */
const MIN_CUE_MS = 1_000;
const MAX_CUE_MS = 7_000;

/**
 * Cue times from the event's start: a line starts when it was fixed and ends when the next one
 * starts (at least a second, at most seven). Lines fixed before the event started begin at zero.
 */
export function cues(lines: TranscriptLine[], zero: number): Cue[] {
  return lines.map((line, n) => {
    const start = Math.max(0, line.at - zero);
    const next = lines[n + 1];
    const until = next ? Math.max(0, next.at - zero) : start + MAX_CUE_MS;
    return { line, start, end: Math.max(start + MIN_CUE_MS, Math.min(until, start + MAX_CUE_MS)) };
  });
}

function clock(ms: number, sep: '.' | ','): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(Math.floor(ms % 1000), 3)}`;
}

/** Cue text: one or more non-empty lines (a blank line would end the cue). */
const cueText = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n') || '…';

/**
 * `&`, `<`, `>` as character references: a caption is text, never markup (`<b>`, `<img …>` typed
 * or pasted by an interpreter), and `-->` cannot occur in a cue. WebVTT requires it; SubRip
 * players read tags too, so the SubRip file is escaped the same way.
 */
const escapeCue = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** WebVTT: text escaped, machine lines noted. */
export function transcriptVtt(report: Report, lang: string): string {
  const items = new Map(report.agenda.map((i) => [i.id, i]));
  const note = (s: string) => s.replace(/-->/g, '→').replace(/\s+/g, ' ').trim();
  const out = [`WEBVTT - ${note(report.event.title)} (${lang})`, ''];
  let item: string | null | undefined;
  for (const { line, start, end } of cues(report.transcript[lang] ?? [], report.startedAt ?? 0)) {
    if (line.itemId !== item) {
      item = line.itemId;
      const i = item ? items.get(item) : undefined;
      if (i) out.push(`NOTE ${note([i.speaker, i.delegation, i.title].filter(Boolean).join(' — '))}`, '');
    }
    if (line.source === 'machine') out.push('NOTE machine translation', '');
    out.push(line.id, `${clock(start, '.')} --> ${clock(end, '.')}`, escapeCue(cueText(line.text)), '');
  }
  return out.join('\n');
}

/** SubRip: numbered cues, text escaped as in WebVTT; machine lines start with "[MT]". */
export function transcriptSrt(report: Report, lang: string): string {
  return cues(report.transcript[lang] ?? [], report.startedAt ?? 0)
    .map(({ line, start, end }, n) =>
      [String(n + 1), `${clock(start, ',')} --> ${clock(end, ',')}`, (line.source === 'machine' ? '[MT] ' : '') + escapeCue(cueText(line.text)), ''].join('\r\n'),
    )
    .join('\r\n');
}

export interface Download {
  type: string;
  name: string;
  body: string;
}

/** One row per option of each poll, polls in creation order: what a spreadsheet pivots. */
export function pollsCsv(report: Report): string {
  const rows: Cell[][] = [];
  for (const p of report.polls) {
    p.options.forEach((option, n) => {
      rows.push([p.id, p.question, p.multiple ? 'multiple' : 'single', p.status, p.revealed ? 'yes' : 'no', p.total, n, option, p.results[n] ?? 0]);
    });
  }
  return csv(['poll_id', 'question', 'choice', 'status', 'revealed', 'ballots', 'option_index', 'option', 'votes'], rows);
}

/** The bytes, type and file name of a download; `lang` for the transcripts. */
export function reportFile(report: Report, file: ReportFile, lang: string): Download {
  const base = `tribune-${report.event.code.toLowerCase()}`;
  switch (file) {
    case 'transcript.vtt':
      return { type: 'text/vtt; charset=utf-8', name: `${base}-transcript-${lang}.vtt`, body: transcriptVtt(report, lang) };
    case 'transcript.srt':
      return { type: 'application/x-subrip; charset=utf-8', name: `${base}-transcript-${lang}.srt`, body: transcriptSrt(report, lang) };
    case 'questions.csv':
      return { type: 'text/csv; charset=utf-8; header=present', name: `${base}-questions.csv`, body: questionsCsv(report) };
    case 'ratings.csv':
      return { type: 'text/csv; charset=utf-8; header=present', name: `${base}-ratings.csv`, body: ratingsCsv(report) };
    case 'speaking-time.csv':
      return { type: 'text/csv; charset=utf-8; header=present', name: `${base}-speaking-time.csv`, body: speakingTimeCsv(report) };
    case 'polls.csv':
      return { type: 'text/csv; charset=utf-8; header=present', name: `${base}-polls.csv`, body: pollsCsv(report) };
    case 'floor-turns.csv':
      return { type: 'text/csv; charset=utf-8; header=present', name: `${base}-floor-turns.csv`, body: floorCsv(report) };
    case 'report.json':
      return { type: 'application/json; charset=utf-8', name: `${base}-report.json`, body: JSON.stringify(report, null, 2) };
    default: {
      const never: never = file;
      return never;
    }
  }
}
