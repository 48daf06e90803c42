/**
 * The captions domain's part of the wire contract (PROTOCOL.md `caption`, `captions:history`,
 * `caption:push`, and this project's extensions documented in docs/PROTOCOL.md's last section).
 */
import { z } from 'zod';
import { Id, LangTag, type Role } from './schemas.ts';
import { CAPTION_LIMITS } from './caption-limits.ts';

export { CAPTION_LIMITS };

export const CaptionSources = ['human', 'machine'] as const;
export type CaptionSource = (typeof CaptionSources)[number];

/** A caption segment's id: made by the client (interpreters), or `m_<id>` for machine ones. */
export const CaptionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, "_" or "-"');

export const Caption = z.object({
  lang: z.string(),
  id: z.string(),
  /** The agenda item on stage when the segment started (null: nothing was on stage). */
  itemId: z.string().nullable(),
  /** Strictly increasing per event and language, over every caption sent (interim or final). */
  seq: z.number().int(),
  text: z.string(),
  final: z.boolean(),
  source: z.enum(CaptionSources),
  /** ms epoch, server clock. */
  at: z.number(),
});
export type Caption = z.infer<typeof Caption>;

export const GlossaryEntry = z.object({
  term: z.string().trim().min(1).max(CAPTION_LIMITS.glossaryTermChars),
  note: z.string().trim().max(CAPTION_LIMITS.glossaryNoteChars).default(''),
});
export type GlossaryEntry = z.infer<typeof GlossaryEntry>;

export interface Glossary {
  entries: GlossaryEntry[];
  /** ms epoch of the last change (0: never edited). */
  updatedAt: number;
}

/**
 * `captions:history`: the latest finals of the item on stage (PROTOCOL), plus which item that is;
 * or, for a client that resumes (`auth.captionsAfter`, `lang:set {after}`), every final it missed.
 */
export interface CaptionHistory {
  lang: string;
  /** The item the history belongs to (extension: the one on stage when it was read); null when it spans items. */
  itemId: string | null;
  items: Caption[];
  /** Caption resume: the seq this history resumes after (present only on a resumed history). */
  after?: number;
  /** Caption resume: more finals were missed than a history carries; these are the latest. */
  truncated?: boolean;
  /**
   * Extension: the language's last seq when the history was read. Every final the client needs up to
   * it is in the history, so a client resumes from here even when it holds no final yet.
   */
  lastSeq?: number;
}

/** `captions:status`: which languages someone (a person, or the translation service) captions now. */
export interface CaptionStatus {
  /** Languages with at least one interpreter connected. */
  human: string[];
  /** Languages without one that machine translation fills (only with TRANSLATE_URL). */
  machine: string[];
}

/** `captions:audience` (interpreters and moderators): phones and interpreters per language. */
export interface CaptionAudience {
  phones: Record<string, number>;
  interpreters: Record<string, number>;
}

/** `captions:display` (projector and moderators): the languages the projector's captions mode shows. */
export interface CaptionDisplay {
  langs: string[];
}

export const captionCommands = {
  /** Interim text as the interpreter types (empty: withdraw the segment); `final` fixes it. */
  'caption:push': z
    .object({
      id: Id,
      text: z.string().max(CAPTION_LIMITS.textChars),
      final: z.boolean(),
    })
    .refine((c) => !c.final || c.text.trim().length > 0, { message: 'a final caption needs text', path: ['text'] }),
  /** Replaces the event's glossary (names of cities, delegates, institutions). */
  'glossary:set': z.object({
    entries: z.array(GlossaryEntry).max(CAPTION_LIMITS.glossaryEntries),
  }),
  /** The languages (1–2, event languages) the projector's `captions` mode shows. */
  'captions:display': z.object({
    langs: z
      .array(LangTag)
      .min(1)
      .max(CAPTION_LIMITS.projectorLangs)
      .refine((l) => new Set(l).size === l.length, { message: 'languages must differ' }),
  }),
} as const;

export const captionCommandRoles: Record<keyof typeof captionCommands, readonly Role[]> = {
  'caption:push': ['interpreter'],
  'glossary:set': ['moderator'],
  'captions:display': ['moderator'],
};

/** Server → client events of this domain. */
export interface CaptionServerEvents {
  caption: (caption: Caption) => void;
  'captions:history': (history: CaptionHistory) => void;
  'captions:status': (status: CaptionStatus) => void;
  'captions:audience': (audience: CaptionAudience) => void;
  'captions:display': (display: CaptionDisplay) => void;
  glossary: (glossary: Glossary) => void;
}
