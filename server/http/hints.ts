/**
 * A page's first requests, named in its `Link` header so that the browser starts them beside the
 * entry script instead of after that script has arrived and run: on a venue's Wi-Fi each request
 * is a round trip (400 ms on the phone bench's profile). Named:
 * - the dictionary of the reader's language (the first language of `Accept-Language` that the
 *   interface has, as the client's `browserUiLanguage()` picks it; English otherwise), and on a
 *   staff screen's page (`/admin`, `/m/…`, `/p/…`, `/i/…`, `/s/…`, `/r/…`) its staff words too;
 * - on an attendee page (`/e/<code>`), the join step's chunk with its own imports and stylesheet,
 *   and the join snapshot (`/api/join/<code>`), which a new guest's join form waits for.
 * A wrong guess costs a few kilobytes, never a wrong page: the client asks for what it needs.
 * File names come from the build's manifest (`.vite/manifest.json`, never served); without one
 * (a hand-made client folder), no header.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const DICTIONARY = /^src\/i18n\/(staff\/)?([a-z]{2})\.ts$/;
/** The staff screens' pages (client/src/router.ts): they load the staff words as well. */
const STAFF_PAGE = /^\/(admin\/?$|[mpisr]\/[^/]+\/?$)/;
const ATTENDEE_VIEW = 'src/views/attendee/Attendee.tsx';
/** Join codes as the client's links carry them (anything else gets no snapshot hint). */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/** The reader's languages from `Accept-Language`, most wanted first (`fr-CH;q=0.9` → `fr`). */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: tag.split('-')[0]!.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((l) => l.lang && l.lang !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
    .map((l) => l.lang);
}

export type PageHints = (pagePath: string, acceptLanguage: string | undefined) => string | undefined;

/** The `Link` header maker for the client built in `dir`, or one that names nothing without a manifest. */
export function pageHints(dir: string): PageHints {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return () => undefined;
  }
  const dictionaries = new Map<string, string>();
  const staffWords = new Map<string, string>();
  for (const [src, chunk] of Object.entries(manifest)) {
    const [, staff, lang] = DICTIONARY.exec(src) ?? [];
    if (lang) (staff ? staffWords : dictionaries).set(lang, chunk.file);
  }
  // The entry's own imports are already in the page as <link rel="modulepreload">.
  const inPage = new Set<string>();
  const addInPage = (key: string) => {
    if (inPage.has(key) || !manifest[key]) return;
    inPage.add(key);
    manifest[key].imports?.forEach(addInPage);
  };
  Object.entries(manifest).forEach(([key, chunk]) => chunk.isEntry && addInPage(key));

  /** A chunk and its static imports not already in the page: scripts, then stylesheets. */
  const chunkLinks = (key: string): string[] => {
    const scripts: string[] = [];
    const styles: string[] = [];
    const seen = new Set<string>();
    const walk = (k: string) => {
      const chunk = manifest[k];
      if (!chunk || seen.has(k) || inPage.has(k)) return;
      seen.add(k);
      scripts.push(`</${chunk.file}>; rel=modulepreload`);
      chunk.css?.forEach((css) => styles.push(`</${css}>; rel=preload; as=style`));
      chunk.imports?.forEach(walk);
    };
    walk(key);
    return [...scripts, ...styles];
  };
  const attendeeLinks = chunkLinks(ATTENDEE_VIEW);

  return (pagePath, acceptLanguage) => {
    const links: string[] = [];
    const attendee = /^\/e\/([^/]+)\/?$/.exec(pagePath);
    if (attendee) {
      let code = '';
      try {
        code = decodeURIComponent(attendee[1]!).toUpperCase();
      } catch {
        // Not a code: the page says so; nothing to fetch ahead.
      }
      links.push(...attendeeLinks);
      if (CODE.test(code)) links.push(`</api/join/${code}>; rel=preload; as=fetch; crossorigin`);
    }
    const lang = acceptedLanguages(acceptLanguage).find((l) => dictionaries.has(l)) ?? 'en';
    const dictionary = dictionaries.get(lang);
    if (dictionary) links.push(`</${dictionary}>; rel=modulepreload`);
    const staff = STAFF_PAGE.test(pagePath) ? staffWords.get(lang) : undefined;
    if (staff) links.push(`</${staff}>; rel=modulepreload`);
    return links.length ? links.join(', ') : undefined;
  };
}
