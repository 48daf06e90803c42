/**
 * From an uploaded file to page images: LibreOffice converts PPTX/ODP/PPT to PDF (where it is
 * installed), `pdfinfo` counts the pages and tells encrypted or damaged files apart, and two
 * `pdftoppm` processes render every page once — phone size and screen size side by side — as
 * progressive JPEG. Everything runs in child processes (tools.ts) within one deadline per deck,
 * and one deck at a time per server process (a small queue; past it, UNAVAILABLE).
 *
 * Why poppler and not pdf.js: measured on a 40-page 16:9 deck on this 2-core machine, pdftoppm
 * and pdf.js (v4 with @napi-rs/canvas) render at comparable speed and fidelity, but pdf.js's
 * current major needs Node ≥ 22 (Tribune runs on 20), needs a native canvas build and font/CMap
 * data set up by hand for non-embedded fonts, and renders inside a Node process (300 MB RSS) that
 * we would have to sandbox and kill ourselves; pdftoppm is one Debian package, a plain process to
 * time out and `nice`, and the renderer of most Linux PDF viewers. See README "Slides".
 */
import fs from 'node:fs';
import path from 'node:path';
import { DECK_LIMITS, type PageSize } from '../../shared/deck.ts';
import { ErrorCode, TribuneError, type Reason, type ReasonParams } from '../../shared/errors.ts';
import { HttpRefusal } from '../http/refusal.ts';
import type { PageSource } from './decks.ts';
import { findExecutable, runTool, type ToolResult } from './tools.ts';

/** A refusal with its own HTTP status (415 for "not a deck"; the codes' default otherwise). */
export class DeckRefusal extends HttpRefusal {}

export const unsupported = (message: string, reason: Reason, params?: ReasonParams) =>
  new DeckRefusal(ErrorCode.INVALID_PAYLOAD, message, 415, reason, params);
export const unreadable = (message: string, reason: Reason, params?: ReasonParams) =>
  new DeckRefusal(ErrorCode.INVALID_PAYLOAD, message, 400, reason, params);
export const tooLarge = (message: string, reason: Reason, params?: ReasonParams) =>
  new DeckRefusal(ErrorCode.TOO_LARGE, message, 413, reason, params);
export const cannotRender = () =>
  new TribuneError(ErrorCode.UNAVAILABLE, 'this server cannot render decks (poppler-utils is not installed)', 'deckNoRenderer');

/**
 * What the rendered images look like. Part of every deck's hash: a change here gives every deck
 * a new URL, so no cache ever mixes images of two profiles.
 */
export const RENDER_PROFILE = {
  version: 1,
  phone: { px: DECK_LIMITS.phonePx, quality: 75 },
  screen: { px: DECK_LIMITS.screenPx, quality: 80 },
} as const;

export type DeckKind = 'pdf' | 'pptx' | 'odp' | 'ppt';

export interface RendererOptions {
  maxPages?: number;
  renderTimeoutMs?: number;
  /** LibreOffice: a path, or null for none; default: `SOFFICE_PATH`, else `soffice` on PATH. */
  soffice?: string | null;
  /** Decks rendered at once by this process (default 1) and decks waiting (default 4). */
  concurrency?: number;
  maxWaiting?: number;
  /** Where a failed tool's exit code and stderr tail are logged (the user gets a plain message). */
  warn?: (info: Record<string, unknown>, message: string) => void;
}

export interface RenderedDeck {
  pageCount: number;
  read: PageSource;
}

export interface Renderer {
  /** LibreOffice is there: PPTX/ODP/PPT are accepted. */
  readonly canConvert: boolean;
  /** poppler is there: decks can be rendered at all. */
  readonly canRender: boolean;
  readonly maxPages: number;
  /** Renders `input` (in `workDir`, which the caller removes afterwards). Refusals are DeckRefusals. */
  render(input: string, kind: DeckKind, workDir: string): Promise<RenderedDeck>;
}

export function createRenderer(options: RendererOptions = {}): Renderer {
  const maxPages = options.maxPages ?? DECK_LIMITS.maxPages;
  const timeoutMs = options.renderTimeoutMs ?? DECK_LIMITS.renderTimeoutMs;
  const soffice = options.soffice === undefined ? findExecutable(process.env.SOFFICE_PATH || 'soffice') : options.soffice;
  const pdfinfo = findExecutable('pdfinfo');
  const pdftoppm = findExecutable('pdftoppm');
  const limit = createLimiter(options.concurrency ?? 1, options.maxWaiting ?? 4);
  const warn = options.warn ?? (() => {});

  const timedOut = () =>
    tooLarge(`the deck took longer than ${Math.round(timeoutMs / 1000)} s to prepare: split it or reduce its images, then upload again`, 'deckTimeout', {
      seconds: Math.round(timeoutMs / 1000),
    });

  function failed(step: string, r: ToolResult) {
    warn({ step, code: r.code, stderr: r.stderr.slice(-500) }, 'deck not rendered');
  }

  async function convert(input: string, kind: DeckKind, workDir: string, deadline: number): Promise<string> {
    const source = path.join(workDir, `deck.${kind}`);
    await fs.promises.rename(input, source);
    const outDir = path.join(workDir, 'converted');
    const r = await runTool(
      soffice!,
      [
        `-env:UserInstallation=file://${path.join(workDir, 'lo-profile')}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        source,
      ],
      deadline,
      { env: { ...process.env, HOME: workDir } },
    );
    if (r.timedOut) throw timedOut();
    const pdf = path.join(outDir, 'deck.pdf');
    if (r.code !== 0 || !fs.existsSync(pdf)) {
      failed('soffice', r);
      throw unsupported('LibreOffice could not convert this file to PDF: export a PDF from your presentation program and upload that', 'deckConvertFailed');
    }
    return pdf;
  }

  async function countPages(pdf: string, deadline: number): Promise<number> {
    const r = await runTool(pdfinfo!, [pdf], deadline);
    if (r.timedOut) throw timedOut();
    if (r.code !== 0) {
      if (/password/i.test(r.stderr)) {
        throw unreadable('this PDF is protected by a password: save or export it without one, then upload again', 'deckPassword');
      }
      failed('pdfinfo', r);
      throw unreadable('this PDF could not be read (the file may be damaged or incomplete): export it again, then upload', 'deckDamaged');
    }
    const pages = Number(/^Pages:\s+(\d+)/m.exec(r.stdout)?.[1] ?? NaN);
    if (!(pages > 0)) throw unreadable('this PDF has no pages', 'deckNoPages');
    if (pages > maxPages) throw tooLarge(`the deck has ${pages} pages; the limit is ${maxPages}`, 'deckTooManyPages', { pages, max: maxPages });
    return pages;
  }

  async function renderSize(pdf: string, pages: number, size: PageSize, workDir: string, deadline: number): Promise<string[]> {
    const { px, quality } = RENDER_PROFILE[size];
    const dir = path.join(workDir, size);
    await fs.promises.mkdir(dir);
    const r = await runTool(
      pdftoppm!,
      ['-jpeg', '-jpegopt', `quality=${quality},progressive=y,optimize=y`, '-scale-to', String(px), '-f', '1', '-l', String(pages), pdf, path.join(dir, 'p')],
      deadline,
    );
    if (r.timedOut) throw timedOut();
    // pdftoppm names pages p-1.jpg … or p-01.jpg …, padded to the page count's digits.
    const files: string[] = [];
    for (const name of await fs.promises.readdir(dir)) {
      const n = Number(/^p-(\d+)\.jpg$/.exec(name)?.[1] ?? NaN);
      if (n >= 1 && n <= pages) files[n - 1] = path.join(dir, name);
    }
    if (r.code !== 0 || files.filter(Boolean).length !== pages) {
      failed('pdftoppm', r);
      throw unreadable('some pages of this PDF could not be drawn (the file may be damaged): export it again, then upload', 'deckDamaged');
    }
    return files;
  }

  return {
    canConvert: soffice !== null,
    canRender: pdfinfo !== null && pdftoppm !== null,
    maxPages,
    async render(input, kind, workDir) {
      if (!pdfinfo || !pdftoppm) {
        throw cannotRender();
      }
      if (kind !== 'pdf' && !soffice) throw officeRefused();
      return limit(async () => {
        const deadline = Date.now() + timeoutMs;
        const pdf = kind === 'pdf' ? input : await convert(input, kind, workDir, deadline);
        const pageCount = await countPages(pdf, deadline);
        const [phone, screen] = await Promise.all([
          renderSize(pdf, pageCount, 'phone', workDir, deadline),
          renderSize(pdf, pageCount, 'screen', workDir, deadline),
        ]);
        const files = { phone, screen };
        return { pageCount, read: (page, size) => fs.promises.readFile(files[size][page - 1]!) };
      });
    },
  };
}

export const officeRefused = () =>
  unsupported('this server converts no PowerPoint or OpenDocument files (LibreOffice is not installed): export your deck as PDF and upload the PDF', 'deckNoOffice');

/** Runs at most `concurrency` tasks at once; more than `maxWaiting` waiting → UNAVAILABLE. */
function createLimiter(concurrency: number, maxWaiting: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= maxWaiting) {
        throw new TribuneError(ErrorCode.UNAVAILABLE, 'the server is preparing other decks: upload again in a minute', 'deckBusy');
      }
      // The slot is handed over by the task that ends (running stays counted).
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
