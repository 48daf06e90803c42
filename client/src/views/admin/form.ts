/** The admin form's model: rows as the user edits them, and the EventSetup sent to the server. */
import { isolate, t } from '../../i18n/index.ts';
import type { EventSetupInput } from '../../../../shared/schemas.ts';

export interface TableRow {
  key: number;
  id: string;
  name: string;
  city: string;
}

export interface ItemRow {
  key: number;
  speaker: string;
  delegation: string;
  title: string;
  /** '' = the floor language. */
  language: string;
  minutes: string;
}

export interface SetupForm {
  title: string;
  theme: string;
  languages: string;
  moderation: 'pre' | 'post';
  tables: TableRow[];
  agenda: ItemRow[];
}

let nextKey = 1;
export const newKey = () => nextKey++;

export const emptyItem = (): ItemRow => ({
  key: newKey(),
  speaker: '',
  delegation: '',
  title: '',
  language: '',
  minutes: '10',
});

export const emptyForm = (): SetupForm => ({
  title: '',
  theme: '',
  languages: '',
  moderation: 'pre',
  tables: [],
  agenda: [emptyItem()],
});

/** "fr, es it;PT" → ["fr","es","it","pt"], first = floor language; duplicates dropped. */
export function parseLanguages(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;/]+/)) {
    const tag = part.trim().toLowerCase();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** A table id not used yet: t1, t2, … */
export function freshTableId(tables: TableRow[]): string {
  const used = new Set(tables.map((t) => t.id));
  let n = tables.length + 1;
  while (used.has(`t${n}`)) n++;
  return `t${n}`;
}

export function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const copy = list.slice();
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/**
 * The server's limits (LIMITS in shared/schemas.ts, copied: importing it would bring zod into the
 * page). The inputs stop at these lengths; `localErrors` checks the rest.
 */
export const MAX = {
  titleChars: 200,
  themeChars: 300,
  nameChars: 120,
  languages: 12,
  minutes: 6 * 60,
} as const;

/** "fr", "ast": what the server takes as a language tag. */
const LANG_TAG = /^[A-Za-z]{2,3}$/;

const minutesValue = (text: string) => Number(text.trim().replace(',', '.'));

/**
 * What the server would refuse, checked here first so every message is in the reader's language
 * (the server's own words are English and technical). Path (as the server names it) → message.
 */
export function localErrors(form: SetupForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.title.trim()) errors.title = t('admin.titleNeeded');
  const languages = parseLanguages(form.languages);
  const badTag = languages.find((l) => !LANG_TAG.test(l));
  if (languages.length === 0) errors.languages = t('admin.languagesNeeded');
  else if (badTag) errors.languages = t('admin.languageCode', { code: isolate(badTag) });
  else if (languages.length > MAX.languages) errors.languages = t('admin.tooManyLanguages', { n: MAX.languages });
  form.tables.forEach((table, i) => {
    if (!table.name.trim()) errors[`tables.${i}.name`] = t('admin.tableNameNeeded');
  });
  form.agenda.forEach((row, i) => {
    const m = row.minutes.trim();
    if (!m) return;
    const minutes = minutesValue(m);
    if (!(Number.isFinite(minutes) && minutes >= 0)) errors[`agenda.${i}.plannedSeconds`] = t('admin.minutesNumber');
    else if (minutes > MAX.minutes) errors[`agenda.${i}.plannedSeconds`] = t('admin.minutesMax', { n: MAX.minutes });
  });
  return errors;
}

export function toSetup(form: SetupForm): EventSetupInput {
  const languages = parseLanguages(form.languages);
  return {
    title: form.title,
    ...(form.theme.trim() ? { theme: form.theme } : {}),
    languages,
    moderation: form.moderation,
    tables: form.tables.map((t) => ({ id: t.id, name: t.name, ...(t.city.trim() ? { city: t.city } : {}) })),
    agenda: form.agenda.map((row) => {
      const minutes = row.minutes.trim();
      return {
        speaker: row.speaker,
        delegation: row.delegation,
        title: row.title,
        ...(row.language && languages.includes(row.language) ? { language: row.language } : {}),
        ...(minutes ? { plannedSeconds: Math.round(minutesValue(minutes) * 60) } : {}),
      };
    }),
  };
}

/** Splits the server's "agenda.2.speaker: message" into a field path and its message. */
export function splitServerMessage(message: string): { path: string | null; text: string } {
  const m = /^([A-Za-z]+(?:\.[A-Za-z0-9]+)*): (.+)$/s.exec(message);
  return m ? { path: m[1] ?? null, text: m[2] ?? message } : { path: null, text: message };
}
