/** Language names and writing direction, from the browser's own data (no bundle cost). */
const RTL = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'dv', 'sd', 'ug', 'ckb', 'syr']);

export function isRtl(lang: string): boolean {
  return RTL.has(lang.toLowerCase());
}

export function dirOf(lang: string): 'rtl' | 'ltr' {
  return isRtl(lang) ? 'rtl' : 'ltr';
}

const cache = new Map<string, string>();

/** A language's name in that language ("français", "עברית"): how people look for their own. */
export function nativeName(lang: string): string {
  const hit = cache.get(lang);
  if (hit) return hit;
  let name = lang.toUpperCase();
  try {
    const n = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
    if (n && n.toLowerCase() !== lang.toLowerCase()) name = n.charAt(0).toLocaleUpperCase(lang) + n.slice(1);
  } catch {
    // An unknown tag keeps its code.
  }
  cache.set(lang, name);
  return name;
}

/** A language's name in the interface's language `ui` ("French", "francés", "الفرنسية"). */
export function languageName(lang: string, ui: string): string {
  try {
    return new Intl.DisplayNames([ui], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

/** The browser's preferred language if the event offers it, else the floor language. */
export function defaultLanguage(languages: readonly string[]): string {
  const prefs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const p of prefs) {
    const primary = p?.split('-')[0]?.toLowerCase();
    if (primary && languages.includes(primary)) return primary;
  }
  return languages[0] ?? 'en';
}

/** Sets `<html lang dir>` (the attendee's chosen language drives the page direction). */
export function setDocumentLanguage(lang: string): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = dirOf(lang);
}
