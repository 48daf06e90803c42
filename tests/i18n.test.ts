/**
 * The interface's words in eight languages: every dictionary has exactly the English keys, none
 * empty, with the same {placeholders}. (A missing key also fails the type check.) Every key the
 * client names exists, every English key is used, and no screen carries words of its own outside
 * the dictionaries (JSX text, text attributes, sentences in string literals).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAst } from 'vite';
import { describe, expect, it } from 'vitest';
import { messages as enPhone } from '../client/src/i18n/en.ts';
import { messages as enStaff } from '../client/src/i18n/staff/en.ts';
import { format, isolate, UI_LANGUAGES, uiDir, uiLanguageFor } from '../client/src/i18n/index.ts';
import { phoneWords, staffWords, words } from './helpers/words.ts';

const en = words.en;
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/src/i18n');
const clientDir = path.resolve(dir, '..');
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

interface Node {
  type: string;
  start: number;
  [key: string]: unknown;
}

/** Every client source file outside the dictionaries, parsed (vite's own parser: TS and JSX). */
function clientSources(): { file: string; src: string; ast: Node }[] {
  const out: { file: string; src: string; ast: Node }[] = [];
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, f.name);
      if (f.isDirectory()) {
        if (p !== dir) walk(p);
      } else if (/\.tsx?$/.test(f.name) && !f.name.endsWith('.d.ts')) {
        const src = fs.readFileSync(p, 'utf8');
        const ast = parseAst(src, { lang: f.name.endsWith('.tsx') ? 'tsx' : 'ts' }) as unknown as Node;
        out.push({ file: path.relative(clientDir, p), src, ast });
      }
    }
  };
  walk(clientDir);
  return out;
}

/** Depth-first over an ESTree; `visit` returns false to skip a node's children. */
function walkAst(node: unknown, visit: (n: Node) => boolean | void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => walkAst(n, visit));
  const n = node as Node;
  if (typeof n.type === 'string' && visit(n) === false) return;
  for (const [k, v] of Object.entries(n)) if (k !== 'type' && v && typeof v === 'object') walkAst(v, visit);
}

const sources = clientSources();
const namespaces = new Set(Object.keys(en).map((k) => k.split('.')[0]!));

describe('interface dictionaries', () => {
  it('has one dictionary per interface language', () => {
    expect([...UI_LANGUAGES].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'he', 'it', 'pt']);
    for (const lang of UI_LANGUAGES) {
      expect(fs.existsSync(path.join(dir, `${lang}.ts`)), lang).toBe(true);
      expect(fs.existsSync(path.join(dir, 'staff', `${lang}.ts`)), `staff/${lang}`).toBe(true);
    }
  });

  it('a key is either a phone word or a staff word, not both', () => {
    expect(Object.keys(enPhone).filter((k) => k in enStaff)).toEqual([]);
  });

  for (const lang of UI_LANGUAGES.filter((l) => l !== 'en')) {
    for (const [part, reference, of] of [['', enPhone, phoneWords], ['staff/', enStaff, staffWords]] as const) {
      it(`${part}${lang}: the same keys as English's, none empty, the same placeholders`, () => {
        const messages = of[lang];
        const missing = Object.keys(reference).filter((k) => !(k in messages));
        const extra = Object.keys(messages).filter((k) => !(k in reference));
        expect(missing, `${part}${lang} lacks these keys`).toEqual([]);
        expect(extra, `${part}${lang} has keys ${part}en does not`).toEqual([]);
        for (const [key, text] of Object.entries(messages)) {
          expect(text.trim(), `${lang} ${key} is empty`).not.toBe('');
          expect(placeholders(text), `${lang} ${key} placeholders`).toEqual(placeholders(en[key as keyof typeof en]));
        }
      });
    }
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

  it('every key-like string in the client is a key (or a plural base), and every English key is used', () => {
    const named = new Set<string>();
    const unknown: string[] = [];
    for (const { file, ast } of sources) {
      walkAst(ast, (n) => {
        if (n.type === 'ImportDeclaration') return false;
        if (n.type !== 'Literal' || typeof n.value !== 'string') return;
        const m = /^([a-z]+)\.[A-Za-z][\w.]*$/.exec(n.value);
        if (!m || !namespaces.has(m[1]!)) return;
        named.add(n.value);
        const plural = `${n.value}.one` in en && `${n.value}.other` in en;
        if (!(n.value in en) && !plural) unknown.push(`${file}: ${n.value}`);
      });
    }
    expect(unknown, 'keys the client names that English lacks').toEqual([]);
    const unused = Object.keys(en).filter((k) => !named.has(k) && !named.has(k.replace(/\.(one|other)$/, '')));
    expect(unused, 'English keys nothing uses (remove them from every dictionary)').toEqual([]);
    // The questions and ratings screens draw from the dictionaries like every other screen.
    for (const ns of ['q', 'rate', 'ind', 'mq', 'eval']) expect(namespaces.has(ns), ns).toBe(true);
  });

  it('no screen carries interface words outside the dictionaries', () => {
    // What may stay as written: the product's name and an example of language codes.
    const allowed = new Set(['Tribune', 'Tribune ·', 'fr, es, it, en']);
    const textAttributes = new Set(['aria-label', 'aria-description', 'aria-valuetext', 'title', 'placeholder', 'alt', 'label', 'note', 'question', 'who', 'summary']);
    const hasWords = (s: string) => /\p{L}{2,}/u.test(s) && !allowed.has(s.trim());
    // A capitalised word and two more, or four words in a row: a sentence, in any language.
    const sentence = (s: string) => /\p{Lu}\p{Ll}+,? \p{Ll}+ \p{Ll}+/u.test(s) || /\p{Ll}+ \p{Ll}+ \p{Ll}+ \p{Ll}+/u.test(s);
    const found: string[] = [];
    for (const { file, src, ast } of sources) {
      const at = (n: Node) => `${file}:${src.slice(0, n.start).split('\n').length}`;
      walkAst(ast, (n) => {
        if (n.type === 'ImportDeclaration') return false;
        if (n.type === 'JSXText' && hasWords(String(n.value))) found.push(`${at(n)} text ${JSON.stringify(String(n.value).trim())}`);
        if (n.type === 'JSXAttribute') {
          const name = (n.name as { name?: unknown }).name;
          const value = n.value as Node | null;
          if (typeof name !== 'string' || !textAttributes.has(name)) return false; // className, data-*, …
          if (value?.type === 'Literal' && hasWords(String(value.value))) found.push(`${at(n)} ${name}="${String(value.value)}"`);
        }
        if (n.type === 'Literal' && typeof n.value === 'string' && sentence(n.value)) found.push(`${at(n)} ${JSON.stringify(n.value)}`);
        if (n.type === 'TemplateElement') {
          const cooked = (n.value as { cooked?: string }).cooked ?? '';
          if (sentence(cooked)) found.push(`${at(n)} \`${cooked}\``);
        }
      });
    }
    expect(sources.length).toBeGreaterThan(50);
    expect(found, 'put these words in client/src/i18n (all eight languages)').toEqual([]);
  });

  it('formats placeholders, picks the interface language and its direction', () => {
    expect(format('{n} min', { n: 3 })).toBe('3 min');
    expect(format('a {missing} b', {})).toBe('a {missing} b');
    expect(uiLanguageFor('pt-BR')).toBe('pt');
    expect(uiLanguageFor('ja')).toBe('en');
    expect(uiDir('he')).toBe('rtl');
    expect(uiDir('ar')).toBe('rtl');
    expect(uiDir('fr')).toBe('ltr');
    expect(isolate('Aix speaker')).toBe('\u2068Aix speaker\u2069');
  });
});
