/** The attendee's table and language for one event, asked once per device. */
import { readJson, writeJson } from '../../lib/storage.ts';

export interface JoinPref {
  table: string | null;
  lang: string;
}

const key = (code: string) => `tribune.join.${code.toUpperCase()}`;

export function loadPref(code: string): JoinPref | null {
  const p = readJson<Partial<JoinPref>>(key(code));
  if (!p || typeof p.lang !== 'string' || !p.lang) return null;
  return { lang: p.lang, table: typeof p.table === 'string' && p.table ? p.table : null };
}

export function savePref(code: string, pref: JoinPref): void {
  writeJson(key(code), pref);
}
