/**
 * `GET /api/translation?langs=fr,es,he` (admin token): which of these languages the box can
 * machine-translate into and from, directly or through one pivot (shared/translation.ts). Without
 * `langs`, the 8 interface languages.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { DEFAULT_REACH_LANGUAGES, type LanguageReach, type TranslationReach } from '../../shared/translation.ts';
import { secretMatches } from '../auth/secrets.ts';
import type { Domain } from '../domain.ts';
import { bearer } from '../http/routes.ts';
import type { TranslationEngine } from './engine.ts';

/** What `engine` reaches among `langs`. */
export function reachOf(engine: TranslationEngine | null, langs: readonly string[]): TranslationReach {
  const step = (from: string, to: string) => {
    const r = engine?.reach(from, to) ?? null;
    return r ? { via: r.kind === 'pivot' ? r.via : null } : null;
  };
  const languages: LanguageReach[] = langs.map((lang) => ({
    lang,
    into: langs.flatMap((to) => {
      const s = step(lang, to);
      return s ? [{ lang: to, ...s }] : [];
    }),
    from: langs.flatMap((from) => {
      const s = step(from, lang);
      return s ? [{ lang: from, ...s }] : [];
    }),
  }));
  return { engine: engine?.name() ?? null, languages };
}

export function createTranslationDomain(engine: TranslationEngine | null): Domain {
  return {
    name: 'translation',
    routes(api, ctx) {
      api.get('/translation', async (req, res) => {
        const token = bearer(req);
        if (!token || !secretMatches(token, ctx.adminTokenHash)) throw new TribuneError(ErrorCode.AUTH_FAILED, 'the admin token is missing or wrong');
        const raw = typeof req.query.langs === 'string' ? req.query.langs : '';
        const langs = raw ? [...new Set(raw.split(',').map((l) => l.trim().toLowerCase()))] : [...DEFAULT_REACH_LANGUAGES];
        if (langs.length > 20 || langs.some((l) => !/^[a-z]{2,3}$/.test(l))) {
          throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'langs: up to 20 primary language tags, comma-separated');
        }
        await engine?.ready;
        res.set('Cache-Control', 'no-store').json(reachOf(engine, langs));
      });
    },
    async close() {
      // The engine belongs to the backend, which closes it.
    },
  };
}
