/**
 * Parsers of the report's downloads, written from the formats' specifications (RFC 4180, WebVTT,
 * SubRip) rather than from the server's code, so a test reads the files as another program would.
 */

/** RFC 4180: records separated by CRLF, fields by commas, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/** CSV rows as objects keyed by the header row. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('no header row');
  for (const r of rows) if (r.length !== header.length) throw new Error(`row of ${r.length} fields, header has ${header.length}`);
  return rows.map((r) => Object.fromEntries(header.map((h, n) => [h, r[n]!])));
}

export interface ParsedCue {
  id: string | null;
  start: number;
  end: number;
  text: string;
  /** NOTE blocks seen since the previous cue. */
  notes: string[];
}

const stamp = (s: string, sep: '.' | ',') => {
  const m = new RegExp(`^(\\d{2,}):(\\d{2}):(\\d{2})\\${sep}(\\d{3})$`).exec(s.trim());
  if (!m) throw new Error(`bad timestamp ${JSON.stringify(s)}`);
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
};

/** WebVTT: the signature line, then blocks separated by blank lines (cues and NOTE comments). */
export function parseVtt(text: string): ParsedCue[] {
  const blocks = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split(/\n{2,}/);
  const head = blocks.shift() ?? '';
  if (!/^WEBVTT( |\t|$)/.test(head)) throw new Error('missing WEBVTT signature');
  const cues: ParsedCue[] = [];
  let notes: string[] = [];
  for (const block of blocks) {
    if (!block.trim()) continue;
    if (/^NOTE( |\n|$)/.test(block)) {
      notes.push(block.slice(5));
      continue;
    }
    const lines = block.split('\n');
    const timingAt = lines.findIndex((l) => l.includes('-->'));
    if (timingAt < 0 || timingAt > 1) throw new Error(`not a cue: ${JSON.stringify(block)}`);
    const [a, b] = lines[timingAt]!.split('-->');
    const payload = lines.slice(timingAt + 1).join('\n');
    if (payload.includes('-->')) throw new Error('"-->" inside a cue payload');
    if (/<(?!\/?[cvbiu]\b|\/?ruby|\/?rt|\/?lang)/.test(payload)) throw new Error(`raw "<" in a cue: ${payload}`);
    cues.push({
      id: timingAt === 1 ? lines[0]! : null,
      start: stamp(a!, '.'),
      end: stamp(b!.trim().split(/\s/)[0]!, '.'),
      text: payload.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
      notes,
    });
    notes = [];
  }
  return cues;
}

/** SubRip: numbered blocks, `hh:mm:ss,mmm --> hh:mm:ss,mmm`, text. */
export function parseSrt(text: string): ParsedCue[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split(/\n{2,}/)
    .filter((b) => b.trim())
    .map((block, n) => {
      const [num, timing, ...rest] = block.split('\n');
      if (Number(num) !== n + 1) throw new Error(`cue ${n + 1} numbered ${num}`);
      const [a, b] = timing!.split('-->');
      return { id: num!, start: stamp(a!, ','), end: stamp(b!, ','), text: rest.join('\n'), notes: [] };
    });
}
