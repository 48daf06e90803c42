/**
 * The interpreter's laptop: what is on stage at the top, how many phones follow this language,
 * the caption desk (fixed segments, the input, dictation) and the glossary to the side.
 * The language is the interpreter link's own (its secret names it).
 */
import { useEffect, useState } from 'react';
import { ConnBanner, ConnDot } from '../../components/Conn.tsx';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { Timer } from '../../components/Timer.tsx';
import { useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { shownSlidePage, usePhaseLabel } from '../../lib/agenda.ts';
import { nativeName } from '../../lib/lang.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect } from '../../net/socket.ts';
import { fragmentKey } from '../../router.ts';
import { useCaptions } from '../../store/captions.ts';
import { useStore } from '../../store/store.ts';
import { AudioStrip } from './AudioStrip.tsx';
import { CaptionDesk } from './CaptionDesk.tsx';
import { GlossaryPanel } from './GlossaryPanel.tsx';
import './interpreter.css';

export default function Interpreter({ eventId }: { eventId: string }) {
  const t = useT();
  const token = fragmentKey();
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const title = useStore((s) => s.live?.event.title);
  const lang = useCaptions((s) => s.historyLang);
  const [insert, setInsert] = useState<{ term: string; n: number } | null>(null);
  useDocumentTitle(t('int.brand'), title);

  useEffect(() => {
    void applyReaderUiLanguage();
  }, []);

  useEffect(() => {
    if (!token) return;
    connect({ eventId, token });
    return () => disconnect();
  }, [eventId, token]);

  if (!token || refused) return <KeyProblem code={token ? refused : 'AUTH_FAILED'} role="interpreter" />;

  return (
    <div className="int">
      <header className="int-top">
        <p className="int-title">
          <span className="int-brand">{t('int.brand')}</span>
          {lang && (
            <>
              {' '}
              <span className="int-lang" lang={lang} data-testid="int-lang">
                {nativeName(lang)}
              </span>
            </>
          )}
          {title && (
            <>
              <span aria-hidden="true"> · </span>
              <bdi dir="auto">{title}</bdi>
            </>
          )}
        </p>
        <Followers lang={lang} />
        <ConnDot showLabel />
      </header>
      <ConnBanner />
      <main className="int-main">
        {lang && <AudioStrip eventId={eventId} lang={lang} token={token} />}
        <Stage />
        <div className="int-work">
          {lang ? <CaptionDesk lang={lang} insert={insert} /> : <p className="page-loading">{t('common.connecting')}</p>}
          <GlossaryPanel onPick={(term) => setInsert((p) => ({ term, n: (p?.n ?? 0) + 1 }))} />
        </div>
      </main>
    </div>
  );
}

/** How many phones follow this language (and whether another interpreter shares it). */
function Followers({ lang }: { lang: string | null }) {
  const t = useT();
  const phones = useCaptions((s) => (lang ? (s.audience?.phones[lang] ?? 0) : null));
  const colleagues = useCaptions((s) => (lang ? Math.max(0, (s.audience?.interpreters[lang] ?? 1) - 1) : 0));
  if (phones === null) return null;
  return (
    <p className="int-followers" aria-live="polite">
      <span>
        {t('int.phones')} <strong data-testid="phones-following">{phones}</strong>
      </span>
      {colleagues > 0 && <span className="int-colleagues">{t('int.colleagues', { n: colleagues })}</span>}
    </p>
  );
}

function Stage() {
  const t = useT();
  const phaseLabel = usePhaseLabel();
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const phase = useStore((s) => s.live?.stage.phase);
  const timer = useStore((s) => s.live?.stage.timer);
  const page = useStore((s) => shownSlidePage(s.live));
  return (
    <section className="int-stage" aria-labelledby="int-stage-h">
      <h1 id="int-stage-h" className="int-h">
        {t('common.onStage')}
        {phase && phase !== 'speaking' ? ` · ${phaseLabel[phase]}` : ''}
      </h1>
      {item ? (
        <div className="int-stage-row">
          <div className="int-stage-who">
            <p className="int-speaker" data-testid="now-speaker" dir="auto">
              {item.speaker || item.delegation}
            </p>
            {item.speaker && item.delegation && (
              <p className="int-delegation" data-testid="now-delegation" dir="auto">
                {item.delegation}
              </p>
            )}
            {item.title && (
              <p className="int-item-title" dir="auto">
                {item.title}
              </p>
            )}
          </div>
          <dl className="int-facts">
            <div>
              <dt>{t('int.spokenIn')}</dt>
              <dd data-testid="stage-language">
                <span lang={item.language}>{nativeName(item.language)}</span>
              </dd>
            </div>
            <div>
              <dt>{t('int.slide')}</dt>
              <dd data-testid="slide-page">{page !== null ? t('common.slideN', { n: page }) : '—'}</dd>
            </div>
            <div>
              <dt>{t('int.time')}</dt>
              <dd>{timer && <Timer timer={timer} />}</dd>
            </div>
          </dl>
        </div>
      ) : (
        <p className="int-empty">{t('int.nobody')}</p>
      )}
    </section>
  );
}
