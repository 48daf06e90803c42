/**
 * The interface's words in eight languages: every dictionary has exactly the English keys, none
 * empty, with the same {placeholders}. (A missing key also fails the type check.) And every key
 * used in the client exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { messages as en } from '../client/src/i18n/en.ts';
import { format, UI_LANGUAGES, uiDir, uiLanguageFor } from '../client/src/i18n/index.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/src/i18n');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('interface dictionaries', () => {
  it('has one dictionary per interface language', () => {
    expect([...UI_LANGUAGES].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'he', 'it', 'pt']);
    for (const lang of UI_LANGUAGES) expect(fs.existsSync(path.join(dir, `${lang}.ts`)), lang).toBe(true);
  });

  for (const lang of UI_LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang}: the same keys as English, none empty, the same placeholders`, async () => {
      const { messages } = (await import(`../client/src/i18n/${lang}.ts`)) as { messages: Record<string, string> };
      const missing = Object.keys(en).filter((k) => !(k in messages));
      const extra = Object.keys(messages).filter((k) => !(k in en));
      expect(missing, `${lang} lacks these keys`).toEqual([]);
      expect(extra, `${lang} has keys English does not`).toEqual([]);
      for (const [key, text] of Object.entries(messages)) {
        expect(text.trim(), `${lang} ${key} is empty`).not.toBe('');
        expect(placeholders(text), `${lang} ${key} placeholders`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });
  }

  it('every key the client uses exists in English', () => {
    const root = path.resolve(dir, '..');
    const used = new Set<string>();
    const walk = (d: string) => {
      for (const f of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, f.name);
        if (f.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f.name) && !p.startsWith(dir)) {
          const src = fs.readFileSync(p, 'utf8');
          for (const m of src.matchAll(/\b(?:t|tr)\('([a-zA-Z]+\.[\w.]+)'/g)) used.add(m[1]!);
        }
      }
    };
    walk(root);
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it('formats placeholders, picks the interface language and its direction', () => {
    expect(format('{n} min', { n: 3 })).toBe('3 min');
    expect(format('a {missing} b', {})).toBe('a {missing} b');
    expect(uiLanguageFor('pt-BR')).toBe('pt');
    expect(uiLanguageFor('ja')).toBe('en');
    expect(uiDir('he')).toBe('rtl');
    expect(uiDir('ar')).toBe('rtl');
    expect(uiDir('fr')).toBe('ltr');
  });
});
