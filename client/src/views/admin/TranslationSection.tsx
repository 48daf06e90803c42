/**
 * What the box can machine-translate (GET /api/translation, admin token): the engine, and for each
 * interface language which others it is translated into and from, directly or through a pivot;
 * the ones it cannot reach (Hebrew, Arabic with Apertium) need interpreters.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReachStep, TranslationReach } from '../../../../shared/translation.ts';
import { t as translate, useT, useUiLanguage } from '../../i18n/index.ts';
import { explain } from '../../lib/explain.ts';
import { languageName } from '../../lib/lang.ts';
import { call } from '../../net/api.ts';
import { Problem } from './Problem.tsx';

const ENGINE_TEXT = { apertium: 'mt.engine.apertium', libretranslate: 'mt.engine.libretranslate', apy: 'mt.engine.apy' } as const;

export function TranslationSection({ token, onTokenRefused }: { token: string; onTokenRefused(): void }) {
  const t = useT();
  const ui = useUiLanguage();
  const [reach, setReach] = useState<TranslationReach | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call<TranslationReach>('/api/translation', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (r.ok) {
      setReach(r.data);
      setProblem(null);
    } else if (r.error.code === 'AUTH_FAILED') onTokenRefused();
    else setProblem(translate('mt.failed', { message: explain(r.error) }));
  }, [token, onTokenRefused]);
  useEffect(() => void load(), [load]);

  const name = (l: string) => languageName(l, ui);
  const steps = (list: ReachStep[]) =>
    list.map((s) => (s.via ? t('mt.via', { language: name(s.lang), pivot: name(s.via) }) : name(s.lang))).join(', ');

  return (
    <section className="events" aria-labelledby="mt-h" data-testid="admin-translation">
      <h2 id="mt-h" className="events-h">
        {t('mt.heading')}
      </h2>
      <Problem text={problem} onRetry={() => void load()} />
      {reach && (
        <>
          <p className="field-help" data-testid="mt-engine">
            {t(reach.engine ? ENGINE_TEXT[reach.engine] : 'mt.engine.none')}
          </p>
          <p className="field-help">{t('mt.help')}</p>
          <ul className="events-list">
            {reach.languages.map((l) => (
              <li key={l.lang} className="events-item surface-box" data-testid={`mt-${l.lang}`} data-reach={l.into.length || l.from.length ? 'machine' : 'none'}>
                <div className="events-what">
                  <p className="events-title">{name(l.lang)}</p>
                  {l.into.length === 0 && l.from.length === 0 ? (
                    <p className="events-meta">{t('mt.needsInterpreter')}</p>
                  ) : (
                    <>
                      <p className="events-meta">{t('mt.into', { list: steps(l.into) })}</p>
                      <p className="events-meta">{t('mt.from', { list: steps(l.from) })}</p>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
