/**
 * The page's Link header (server/http/hints.ts): what the browser fetches beside the entry script.
 * A client folder made here with a manifest like Vite's; the real build's header is checked in
 * tests/build.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptedLanguages, pageHints } from '../server/http/hints.ts';

describe('page hints', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-hints-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, '.vite'));
  fs.writeFileSync(
    path.join(dir, '.vite', 'manifest.json'),
    JSON.stringify({
      'index.html': { file: 'assets/index-A.js', isEntry: true, imports: ['_react-R.js'] },
      '_react-R.js': { file: 'assets/react-R.js' },
      '_lang-L.js': { file: 'assets/lang-L.js', imports: ['_react-R.js'] },
      'src/views/attendee/Attendee.tsx': { file: 'assets/Attendee-B.js', imports: ['_react-R.js', '_lang-L.js', 'index.html'], css: ['assets/Attendee-C.css'] },
      'src/i18n/en.ts': { file: 'assets/en-E.js' },
      'src/i18n/fr.ts': { file: 'assets/fr-F.js' },
      'src/i18n/staff/en.ts': { file: 'assets/en-S.js' },
      'src/i18n/staff/fr.ts': { file: 'assets/fr-S.js' },
    }),
  );
  const hints = pageHints(dir);

  it("reads Accept-Language's order and weights", () => {
    expect(acceptedLanguages('de-CH, fr;q=0.9, en;q=0.95, *;q=0.1')).toEqual(['de', 'en', 'fr']);
    expect(acceptedLanguages('es;q=0, pt')).toEqual(['pt']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it("an attendee page: the join step's chunk and imports not in the page, its stylesheet, the snapshot, the reader's dictionary", () => {
    expect(hints('/e/abc123', 'de-DE,fr;q=0.8')?.split(', ')).toEqual([
      '</assets/Attendee-B.js>; rel=modulepreload',
      '</assets/lang-L.js>; rel=modulepreload',
      '</assets/Attendee-C.css>; rel=preload; as=style',
      '</api/join/ABC123>; rel=preload; as=fetch; crossorigin',
      '</assets/fr-F.js>; rel=modulepreload',
    ]);
  });

  it('other pages: the dictionary alone (English when the interface lacks the reader’s languages)', () => {
    expect(hints('/', undefined)).toBe('</assets/en-E.js>; rel=modulepreload');
    expect(hints('/nothing/here/at/all', 'fr')).toBe('</assets/fr-F.js>; rel=modulepreload');
  });

  it('a staff screen’s page: its staff words as well, a phone’s page never', () => {
    expect(hints('/m/ev1', 'ja')).toBe('</assets/en-E.js>; rel=modulepreload, </assets/en-S.js>; rel=modulepreload');
    for (const page of ['/admin', '/p/ev1', '/i/ev1', '/s/ev1', '/r/ev1/']) expect(hints(page, 'fr'), page).toContain('/assets/fr-S.js');
    for (const page of ['/', '/e/abc123', '/m', '/m/ev1/x']) expect(hints(page, 'fr') ?? '', page).not.toContain('-S.js');
  });

  it('a code that is not one gets no snapshot hint; a folder without a manifest gets no header', () => {
    expect(hints('/e/%E0%A4%A', 'en')).not.toContain('/api/join');
    expect(hints('/e/a%2Fb', 'en')).not.toContain('/api/join');
    expect(pageHints(path.join(dir, 'nothing-here'))('/e/ABC123', 'en')).toBeUndefined();
  });
});
