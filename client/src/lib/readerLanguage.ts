/**
 * Which language the interface speaks to its reader: the one they chose on this device (the
 * attendee's menu, the report's switch), else the first of their browser's languages the interface
 * has, else English. Never the caption language: a Spanish guest reading English captions keeps a
 * Spanish interface, an Arabic guest at an event without Arabic captions still gets an Arabic one.
 */
import { isUiLanguage, setUiLanguage, type UiLanguage } from '../i18n/index.ts';
import { readJson, writeJson } from './storage.ts';

const KEY = 'tribune.uiLanguage';

/** The interface language for a remembered choice and the browser's languages (pure). */
export function chooseUiLanguage(remembered: unknown, browser: readonly (string | null | undefined)[]): UiLanguage {
  if (typeof remembered === 'string' && isUiLanguage(remembered)) return remembered;
  for (const tag of browser) {
    const primary = tag?.split('-')[0]?.toLowerCase();
    if (isUiLanguage(primary)) return primary;
  }
  return 'en';
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** This reader's interface language, on this device. */
export function readerUiLanguage(): UiLanguage {
  return chooseUiLanguage(readJson<string>(KEY), browserLanguages());
}

/** Speaks the reader's language (their choice, else their browser's). */
export function applyReaderUiLanguage(): Promise<void> {
  return setUiLanguage(readerUiLanguage());
}

/** The reader chose a language for the interface: switch to it and remember it on this device. */
export function chooseReaderUiLanguage(lang: UiLanguage): Promise<void> {
  writeJson(KEY, lang);
  return setUiLanguage(lang);
}
