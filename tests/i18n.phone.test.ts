/**
 * Phones download only the phone words (client/src/i18n/<lang>.ts), never the staff words
 * (staff/<lang>.ts). So no script a phone can load may name a staff word: the built client's module
 * graph (Vite's manifest) is walked from the entry without the staff screens, and every string in
 * those scripts that is a staff key, or the start of one built at run time (`'mod.' + x`), fails.
 * Needs the built client (`npm test` builds it first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages as enStaff } from '../client/src/i18n/staff/en.ts';
import { messages as enPhone } from '../client/src/i18n/en.ts';

const clientDir = path.resolve('dist/client');
const manifestFile = path.join(clientDir, '.vite/manifest.json');
const built = fs.existsSync(manifestFile);
if (!built && process.env.CI) throw new Error('build the client first (vite build)');
if (!built) console.warn('i18n.phone: skipped, the client is not built (vite build)');

/** The screens only staff open (client/src/main.tsx STAFF_VIEWS), as Vite names their modules. */
const STAFF_SCREENS = ['moderator/Moderator', 'projector/Projector', 'interpreter/Interpreter', 'admin/Admin', 'speaker/Speaker', 'report/Report'].map(
  (v) => `src/views/${v}.tsx`,
);

interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
}

/** Every script a phone may load: from the entry, through static and dynamic imports, staff screens and dictionaries left out. */
function phoneScripts(): string[] {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, Chunk>;
  const seen = new Set<string>();
  const stack = ['index.html'];
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const next of [...(manifest[name]!.imports ?? []), ...(manifest[name]!.dynamicImports ?? [])]) {
      if (!STAFF_SCREENS.includes(next) && !/^src\/i18n\/.+\.ts$/.test(next)) stack.push(next);
    }
  }
  return [...seen].map((name) => manifest[name]!.file);
}

describe.skipIf(!built)('the words phones download', () => {
  it('no script a phone can load names a staff word', () => {
    const scripts = phoneScripts();
    const strings = new Set<string>();
    for (const file of scripts) {
      const src = fs.readFileSync(path.join(clientDir, file), 'utf8');
      for (const m of src.matchAll(/["'`]([a-z]+\.[A-Za-z0-9.]*)/g)) strings.add(m[1]!);
    }
    const staffKeys = Object.keys(enStaff);
    const named = [...strings].filter((s) => staffKeys.includes(s) || (s.endsWith('.') && staffKeys.some((k) => k.startsWith(s))));
    expect(named, 'move these keys from staff/<lang>.ts to <lang>.ts (every language)').toEqual([]);
    // The walk reached the phone's screens and their words, and not the staff screens.
    expect(scripts.some((f) => /LiveScreen/.test(f))).toBe(true);
    expect(Object.keys(enPhone).filter((k) => strings.has(k)).length).toBeGreaterThan(100);
    expect(scripts.some((f) => /Moderator|Admin|AudioStrip/.test(f))).toBe(false);
  });
});
