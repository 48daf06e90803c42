/**
 * Languages as the engines name them, matched by primary tag (PROTOCOL "Machine translation on the
 * box"): Debian's Apertium mixes ISO 639-1 (`fr-es`) and ISO 639-3 (`eng-spa`) pair names, and
 * variants (`es-pt_BR`, `spa-eng_US`); Tribune's events use BCP-47 primary tags (`fr`, `pt`).
 */

/** ISO 639-3 (and 639-2/B) codes Apertium uses → the primary tag Tribune uses. */
const THREE_TO_TWO: Record<string, string> = {
  eng: 'en', spa: 'es', ita: 'it', por: 'pt', fra: 'fr', fre: 'fr', cat: 'ca', deu: 'de', ger: 'de',
  glg: 'gl', eus: 'eu', baq: 'eu', oci: 'oc', ara: 'ar', heb: 'he', nld: 'nl', dut: 'nl', ron: 'ro',
  rum: 'ro', rus: 'ru', ukr: 'uk', pol: 'pl', ces: 'cs', cze: 'cs', slk: 'sk', slv: 'sl', hrv: 'hr',
  srp: 'sr', bos: 'bs', bul: 'bg', mkd: 'mk', ell: 'el', gre: 'el', tur: 'tr', swe: 'sv', dan: 'da',
  nob: 'nb', nno: 'nn', nor: 'no', isl: 'is', fao: 'fo', fin: 'fi', est: 'et', lav: 'lv', lit: 'lt',
  hun: 'hu', cym: 'cy', wel: 'cy', gle: 'ga', gla: 'gd', bre: 'br', epo: 'eo', afr: 'af', mlt: 'mt',
  kaz: 'kk', tat: 'tt', bak: 'ba', kir: 'ky', uzb: 'uz', hin: 'hi', urd: 'ur', ind: 'id', msa: 'ms',
  zlm: 'ms', arg: 'an', ast: 'ast', srd: 'sc', cos: 'co', lat: 'la', sqi: 'sq', alb: 'sq', bel: 'be',
  hye: 'hy', kat: 'ka', fas: 'fa', per: 'fa', zho: 'zh', chi: 'zh', jpn: 'ja', kor: 'ko', vie: 'vi',
};

/** The primary tag of a language name as an engine or a client gives it (`spa`, `pt_BR`, `en-US`). */
export function primaryTag(code: string): string {
  const base = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return THREE_TO_TWO[base] ?? base;
}

export interface ModePair {
  /** The mode's name as `apertium` takes it (`fr-es`, `eng-spa`, `es-pt_BR`). */
  mode: string;
  from: string;
  to: string;
  /** A regional variant of either side (`es-pt_BR`): used only when no plain mode serves the pair. */
  variant: boolean;
}

/**
 * A translation mode's name read as a pair: `<from>-<to>`, each side a 2–3 letter code with an
 * optional `_VARIANT`. Other modes (`eco-fr-es`, `fr-es-morph`, debug modes) are not pairs.
 */
export function parseModeName(mode: string): ModePair | null {
  const m = /^([a-z]{2,3})(_[A-Za-z0-9]+)?-([a-z]{2,3})(_[A-Za-z0-9]+)?$/.exec(mode);
  if (!m) return null;
  const from = primaryTag(m[1]!);
  const to = primaryTag(m[3]!);
  if (from === to) return null;
  return { mode, from, to, variant: Boolean(m[2] || m[4]) };
}

/** One mode per (from, to): a plain one before a variant, then by name (stable). */
export function choosePairs(modes: string[]): Map<string, ModePair> {
  const best = new Map<string, ModePair>();
  for (const mode of [...modes].sort()) {
    const p = parseModeName(mode);
    if (!p) continue;
    const key = pairKey(p.from, p.to);
    const had = best.get(key);
    if (!had || (had.variant && !p.variant)) best.set(key, p);
  }
  return best;
}

export const pairKey = (from: string, to: string) => `${from}>${to}`;
