/**
 * A tiny PDF writer for tests and the bench: N pages, each a full-page colour (a different one
 * per page, so rendered pages differ) and its number in large type. No dependency, a few KB.
 */

export interface PdfOptions {
  /** Page size in points (default 960 × 540: 16:9, as presentation programs export). */
  width?: number;
  height?: number;
  /** Adds an /Encrypt dictionary whose (empty) user password does not match: readers ask for one. */
  encrypted?: boolean;
  /** Text on each page (default "Page n"); ASCII only. */
  label?: (page: number) => string;
}

/** Page `n`'s background colour (0..1 RGB), distinct for neighbouring pages. */
export function pageColour(page: number): [number, number, number] {
  const hue = (page * 137) % 360;
  const c = 0.55;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const [r, g, b] = hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return [r + 0.3, g + 0.3, b + 0.3];
}

export function makePdf(pages: number, options: PdfOptions = {}): Buffer {
  const width = options.width ?? 960;
  const height = options.height ?? 540;
  const label = options.label ?? ((n: number) => `Page ${n}`);
  const objects: string[] = []; // objects[i] is object number i + 1
  const add = (body: string) => objects.push(body);

  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // the page tree, filled in below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>');
  const kids: string[] = [];
  for (let n = 1; n <= pages; n++) {
    const [r, g, b] = pageColour(n).map((v) => v.toFixed(3));
    const text = label(n).replace(/[\\()]/g, (c) => `\\${c}`);
    const content = [
      `${r} ${g} ${b} rg 0 0 ${width} ${height} re f`,
      `1 1 1 rg 40 40 ${width - 80} ${Math.round(height / 6)} re f`,
      `0.1 0.1 0.15 rg BT /F1 ${Math.round(height / 4)} Tf ${Math.round(width / 12)} ${Math.round(height / 2)} Td (${text}) Tj ET`,
    ].join('\n');
    const contentObj = objects.length + 2;
    kids.push(`${objects.length + 1} 0 R`);
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentObj} 0 R >>`);
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  let encrypt = '';
  if (options.encrypted) {
    const hex = (seed: number) => Array.from({ length: 32 }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');
    add(`<< /Filter /Standard /V 1 /R 2 /O <${hex(1)}> /U <${hex(2)}> /P -3904 >>`);
    encrypt = ` /Encrypt ${objects.length} 0 R /ID [<${hex(3).slice(0, 32)}> <${hex(3).slice(0, 32)}>]`;
  }

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Width and height of a JPEG (from its SOF marker), or null. */
export function jpegSize(jpeg: Buffer): { width: number; height: number } | null {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < jpeg.length) {
    if (jpeg[i] !== 0xff) return null;
    const marker = jpeg[i + 1]!;
    const length = jpeg.readUInt16BE(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: jpeg.readUInt16BE(i + 5), width: jpeg.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}
