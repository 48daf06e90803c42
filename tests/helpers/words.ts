/** Every word of a language, phone and staff dictionaries together (client/src/i18n). */
import type { Messages, UiLanguage } from '../../client/src/i18n/index.ts';
import { messages as ar } from '../../client/src/i18n/ar.ts';
import { messages as de } from '../../client/src/i18n/de.ts';
import { messages as en } from '../../client/src/i18n/en.ts';
import { messages as es } from '../../client/src/i18n/es.ts';
import { messages as fr } from '../../client/src/i18n/fr.ts';
import { messages as he } from '../../client/src/i18n/he.ts';
import { messages as it } from '../../client/src/i18n/it.ts';
import { messages as pt } from '../../client/src/i18n/pt.ts';
import { messages as arStaff } from '../../client/src/i18n/staff/ar.ts';
import { messages as deStaff } from '../../client/src/i18n/staff/de.ts';
import { messages as enStaff } from '../../client/src/i18n/staff/en.ts';
import { messages as esStaff } from '../../client/src/i18n/staff/es.ts';
import { messages as frStaff } from '../../client/src/i18n/staff/fr.ts';
import { messages as heStaff } from '../../client/src/i18n/staff/he.ts';
import { messages as itStaff } from '../../client/src/i18n/staff/it.ts';
import { messages as ptStaff } from '../../client/src/i18n/staff/pt.ts';

export const phoneWords: Record<UiLanguage, Record<string, string>> = { ar, de, en, es, fr, he, it, pt };
export const staffWords: Record<UiLanguage, Record<string, string>> = {
  ar: arStaff,
  de: deStaff,
  en: enStaff,
  es: esStaff,
  fr: frStaff,
  he: heStaff,
  it: itStaff,
  pt: ptStaff,
};

export const words: Record<UiLanguage, Messages> = {
  ar: { ...ar, ...arStaff },
  de: { ...de, ...deStaff },
  en: { ...en, ...enStaff },
  es: { ...es, ...esStaff },
  fr: { ...fr, ...frStaff },
  he: { ...he, ...heStaff },
  it: { ...it, ...itStaff },
  pt: { ...pt, ...ptStaff },
};
