/**
 * `GET /api/translation` (admin token): what the box's machine translation reaches
 * (PROTOCOL "Machine translation on the box"), for the admin page.
 */

/** The 8 interface languages: what the admin page asks about when it names none. */
export const DEFAULT_REACH_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'pt', 'he', 'ar'] as const;

export interface ReachStep {
  lang: string;
  /** The pivot language, or null for a pair of its own. */
  via: string | null;
}

export interface LanguageReach {
  lang: string;
  /** The other asked languages it can be machine-translated into. */
  into: ReachStep[];
  /** The other asked languages that can be machine-translated into it. */
  from: ReachStep[];
}

export interface TranslationReach {
  /** `apertium` (on the box), `libretranslate` or `apy` (TRANSLATE_URL); null: no machine translation. */
  engine: 'apertium' | 'libretranslate' | 'apy' | null;
  /** One per asked language, in the order asked. */
  languages: LanguageReach[];
}
