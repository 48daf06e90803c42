/**
 * The interface's own words in the guests' languages. Every dictionary, English included, is its
 * own small chunk, loaded when a screen switches to it: a phone that reads Spanish does not
 * download the English words. Each language has two: the words phones show (`<lang>.ts`) and the
 * staff screens' other words (`staff/<lang>.ts`), which a phone never downloads. main.tsx loads the first one before it renders (so no screen shows
 * before its words), beside the screen's own chunk. A missing key cannot type-check (each
 * dictionary is `Messages`), and tests/i18n.test.ts checks the rest (placeholders, empty strings).
 *
 * Attendee screens follow the language chosen for captions (when the interface has it); the other
 * screens follow the browser's languages. Hebrew and Arabic lay the page out right to left.
 */
import { create } from 'zustand';
import type { messages as english } from './en.ts';
import type { messages as englishStaff } from './staff/en.ts';

/** The words a phone shows (attendee and landing screens): `<lang>.ts`. */
export type PhoneMessages = Record<keyof typeof english, string>;
/** The staff screens' other words: `staff/<lang>.ts`, loaded only by those screens (needStaffWords). */
export type StaffMessages = Record<keyof typeof englishStaff, string>;
export type MessageKey = keyof typeof english | keyof typeof englishStaff;
export type Messages = Record<MessageKey, string>;

export const UI_LANGUAGES = ['fr', 'en', 'es', 'it', 'pt', 'de', 'he', 'ar'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
const RTL_UI: readonly UiLanguage[] = ['he', 'ar'];

const loaders: Record<UiLanguage, () => Promise<{ messages: PhoneMessages }>> = {
  en: () => import('./en.ts'),
  fr: () => import('./fr.ts'),
  es: () => import('./es.ts'),
  it: () => import('./it.ts'),
  pt: () => import('./pt.ts'),
  de: () => import('./de.ts'),
  he: () => import('./he.ts'),
  ar: () => import('./ar.ts'),
};

const staffLoaders: Record<UiLanguage, () => Promise<{ messages: StaffMessages }>> = {
  en: () => import('./staff/en.ts'),
  fr: () => import('./staff/fr.ts'),
  es: () => import('./staff/es.ts'),
  it: () => import('./staff/it.ts'),
  pt: () => import('./staff/pt.ts'),
  de: () => import('./staff/de.ts'),
  he: () => import('./staff/he.ts'),
  ar: () => import('./staff/ar.ts'),
};

const loaded: Partial<Record<UiLanguage, PhoneMessages>> = {};
const loadedStaff: Partial<Record<UiLanguage, StaffMessages>> = {};
/** Whether a staff screen was opened: every language switch then loads the staff words too. */
let staff = false;

interface I18nState {
  lang: UiLanguage;
  messages: Messages;
}

/** Until the first dictionary arrives (main.tsx renders nothing before it): a key stands for its words. */
const NO_WORDS = {} as Messages;

export const useI18n = create<I18nState>()(() => ({ lang: 'en', messages: NO_WORDS }));

export function isUiLanguage(tag: string | null | undefined): tag is UiLanguage {
  return !!tag && (UI_LANGUAGES as readonly string[]).includes(tag);
}

/** The interface language for a language tag ("pt-BR" → "pt"; one it lacks → English). */
export function uiLanguageFor(tag: string | null | undefined): UiLanguage {
  const primary = tag?.split('-')[0]?.toLowerCase();
  return isUiLanguage(primary) ? primary : 'en';
}

/** The browser's first preferred language that the interface has, else English. */
export function browserUiLanguage(): UiLanguage {
  const prefs = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const p of prefs) {
    const primary = p?.split('-')[0]?.toLowerCase();
    if (isUiLanguage(primary)) return primary;
  }
  return 'en';
}

export const uiDir = (lang: UiLanguage): 'rtl' | 'ltr' => (RTL_UI.includes(lang) ? 'rtl' : 'ltr');

let wanted: UiLanguage = 'en';

/**
 * Switches the interface (and `<html lang dir>`) to a language; loads its dictionary first, and
 * its staff words once a staff screen was opened (until then the words stay in the previous
 * language, never blank).
 */
export async function setUiLanguage(tag: string | null | undefined): Promise<void> {
  const lang = uiLanguageFor(tag);
  wanted = lang;
  try {
    loaded[lang] ??= (await loaders[lang]()).messages;
    if (staff) loadedStaff[lang] ??= (await staffLoaders[lang]()).messages;
  } catch {
    return; // A chunk did not load (Wi-Fi): stay in the current language.
  }
  if (wanted !== lang) return; // a later switch won
  // From what is loaded now: a switch that started before a staff screen opened still gets its words.
  const messages = { ...loaded[lang]!, ...(staff ? loadedStaff[lang] : undefined) } as Messages;
  useI18n.setState({ lang, messages });
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lang;
    document.documentElement.dir = uiDir(lang);
  }
}

/**
 * A staff screen (moderator, projector, interpreter, speaker, admin, report) is opening: from now on
 * the staff words come with every language, starting with the current one. Phones never load them.
 * `lang`: the language the first screen will be in (before any is loaded).
 */
export function needStaffWords(lang?: UiLanguage): Promise<void> {
  const current = lang ?? wanted;
  if (staff && loadedStaff[current]) return Promise.resolve();
  staff = true;
  return setUiLanguage(current);
}

/** `{name}` placeholders. */
export function format(text: string, vars?: Record<string, string | number>): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * A name (or any text people typed) placed inside a translated sentence, isolated from the
 * sentence's direction as `<bdi>` would: FSI … PDI, so "إلى Aix speaker" or "Pour שרה" stay in order.
 */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/** The current language's words, outside React (command labels, titles). */
export const t: Translate = (key, vars) => format(useI18n.getState().messages[key] ?? key, vars);

/** The current language's words; re-renders when the language changes. */
export function useT(): Translate {
  const messages = useI18n((s) => s.messages);
  return (key, vars) => format(messages[key] ?? key, vars);
}

export const useUiLanguage = () => useI18n((s) => s.lang);

/** Keys that come in `.one` / `.other` forms. */
export type PluralBase = { [K in MessageKey]: K extends `${infer B}.one` ? B : never }[MessageKey];

/** The key of the form of `base` that fits `n` in the current language (Intl plural rules). */
export function pluralKey(base: PluralBase, n: number): MessageKey {
  const lang = useI18n.getState().lang;
  let one = n === 1;
  try {
    one = new Intl.PluralRules(lang).select(n) === 'one';
  } catch {
    // No plural rules for this language here: English's.
  }
  return `${base}.${one ? 'one' : 'other'}` as MessageKey;
}
