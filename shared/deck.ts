/**
 * Decks (slides) without zod: limits, page sizes and HTTP answer types that the server, the tests
 * and the phone bundle all import (like shared/time.ts). The commands are in shared/slides.ts.
 */

export const DECK_LIMITS = {
  /** PROTOCOL: decks up to 60 MB; larger → 413 TOO_LARGE. */
  maxBytes: 60 * 1024 * 1024,
  /** Pages rendered per deck; more → 413 TOO_LARGE. */
  maxPages: 200,
  /** Wall time of one deck's conversion + rendering; longer → 413 TOO_LARGE. */
  renderTimeoutMs: 120_000,
  /** PROTOCOL: `phone` pages are at most 1280 px wide, `screen` pages 1920 px. */
  phonePx: 1280,
  screenPx: 1920,
} as const;

export const PageSizes = ['phone', 'screen'] as const;
export type PageSize = (typeof PageSizes)[number];

export const PDF_TYPE = 'application/pdf';

/** Media types of decks that LibreOffice converts (where the server has it). */
export const OFFICE_TYPES = [
  'application/vnd.openxmlformats-officedocument.presentationml.presentation', // .pptx
  'application/vnd.oasis.opendocument.presentation', // .odp
  'application/vnd.ms-powerpoint', // .ppt
] as const;

/** File name endings the upload pages offer (with `convert`, the office ones too). */
export const PDF_EXTENSIONS = ['.pdf'] as const;
export const OFFICE_EXTENSIONS = ['.pptx', '.odp', '.ppt'] as const;

/** `GET /api/capabilities`: what this server accepts as a deck (the upload pages say "PDF only" without `convert`). */
export interface Capabilities {
  slides: {
    /** LibreOffice (`soffice`) is installed: PPTX/ODP/PPT are converted to PDF. */
    convert: boolean;
    /** Media types accepted by `PUT …/deck`. */
    types: string[];
    maxBytes: number;
    maxPages: number;
  };
}

/** `201` answer of `PUT /api/events/:id/items/:itemId/deck` (PROTOCOL: `pageCount`; `base` is an extension). */
export interface DeckUploaded {
  pageCount: number;
  base: string;
}

/** `GET /api/events/:id/decks` (moderator): the running order with each item's deck, for the upload pages. */
export interface DeckList {
  items: {
    id: string;
    speaker: string;
    delegation: string;
    title: string;
    slides: { pageCount: number; base: string | null };
  }[];
}

/** The URL of one page image (PROTOCOL: `GET <base>/<page>?size=phone|screen`). */
export const pageUrl = (base: string, page: number, size: PageSize): string => `${base}/${page}?size=${size}`;
