/**
 * Speaker, delegation, title side by side (`.mod-who`, who.css; the tablet and the report): one flowing
 * line while every piece reads in the page's direction; once one runs the other way (a French
 * city on a Hebrew page, a Hebrew name on a French one) each piece wraps as a whole block
 * (`is-mixed`), so a name is never split around a city or a title.
 * (CSS `:dir()` would say it, but the build lowers it to `:lang()`, which cannot see the text.)
 */
import { uiDir, useUiLanguage } from '../i18n/index.ts';
import './who.css';

/** The first strong letter's direction, as `dir="auto"` decides it. */
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
export function textDir(text: string): 'rtl' | 'ltr' | null {
  const m = /\p{L}/u.exec(text);
  return m ? (RTL_LETTER.test(m[0]) ? 'rtl' : 'ltr') : null;
}

/** The page's direction (the interface language's). */
export const usePageDir = () => uiDir(useUiLanguage());

/** The class for a `.mod-who` holding these pieces of user text, on a page of direction `page`. */
export function whoClass(page: 'rtl' | 'ltr', ...pieces: (string | undefined)[]): string {
  const mixed = pieces.some((p) => {
    const d = p ? textDir(p) : null;
    return d !== null && d !== page;
  });
  return mixed ? 'mod-who is-mixed' : 'mod-who';
}
