/**
 * The attendee's live screen: header, NOW, captions, bottom bar; the running order (with who is
 * next) and the menu one tap away. What the first screen does not show (the sheets, the evening's
 * ratings) is a chunk of its own, loaded when it is opened: a phone on a slow venue Wi-Fi gets its
 * first state sooner.
 */
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { ConnBanner, ConnDot } from '../../components/Conn.tsx';
import { GlobeIcon } from '../../components/Icon.tsx';
import { setUiLanguage, useT } from '../../i18n/index.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect, send, updateAuth } from '../../net/socket.ts';
import { useStore } from '../../store/store.ts';
import { resumeAfter } from '../../store/captions.ts';
import { Captions } from './Captions.tsx';
import { UnknownCode } from './UnknownCode.tsx';
import { JoinStep } from './JoinStep.tsx';
import { NowCard } from './NowCard.tsx';
import { PhoneSlide } from './PhoneSlide.tsx';
import type { JoinPref } from './prefs.ts';
import { Sheet } from './Sheet.tsx';
import { AudienceButtons, type AudiencePanelName } from './AudienceButtons.tsx';

const AudiencePanel = lazy(() => import('./Questions.tsx'));
const RunningOrder = lazy(() => import('./RunningOrder.tsx').then((m) => ({ default: m.RunningOrder })));
const EveningPrompt = lazy(() => import('./Rate.tsx').then((m) => ({ default: m.EveningPrompt })));

/** A part loaded on demand: "Loading…" in its place meanwhile. */
function OnDemand({ children }: { children: ReactNode }) {
  const t = useT();
  return <Suspense fallback={<p className="page-loading">{t('common.loading')}</p>}>{children}</Suspense>;
}

type Panel = 'now' | 'order' | 'menu' | AudiencePanelName;

interface Props {
  code: string;
  pref: JoinPref;
  onPref(pref: JoinPref): void;
}

export function LiveScreen({ code, pref, onPref }: Props) {
  const [panel, setPanel] = useState<Panel>('now');
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const title = useStore((s) => s.live?.event.title);
  const langRef = useRef(pref.lang);
  langRef.current = pref.lang;
  useDocumentTitle(title);

  // The table is part of the handshake: a new table means a new connection.
  useEffect(() => {
    connect({ code, table: pref.table ?? undefined, lang: langRef.current });
    return () => disconnect();
  }, [code, pref.table]);

  // A new language is switched live, and remembered for the next reconnects.
  const firstLang = useRef(true);
  useEffect(() => {
    // The interface speaks the chosen language (English when it lacks it), right to left for he/ar.
    void setUiLanguage(pref.lang);
    if (firstLang.current) {
      firstLang.current = false;
      return;
    }
    updateAuth({ lang: pref.lang });
    void send('lang:set', { lang: pref.lang, ...resumeAfter(pref.lang) });
  }, [pref.lang]);

  useEffect(() => () => void setUiLanguage('en'), []);

  // A remembered language the event no longer offers falls back to the floor language
  // (as the server does), so the menu and <html lang> say what the phone really gets.
  const languages = useStore((s) => s.live?.event.languages);
  useEffect(() => {
    if (languages?.length && !languages.includes(pref.lang)) onPref({ ...pref, lang: languages[0]! });
  }, [languages, pref, onPref]);

  const t = useT();
  if (refused === 'NOT_FOUND') return <UnknownCode code={code} />;

  return (
    <div className="att-shell">
      <div className="att">
        <div className="att-top">
          <Header
            lang={pref.lang}
            menuOpen={panel === 'menu'}
            onMenu={() => setPanel((p) => (p === 'menu' ? 'now' : 'menu'))}
          />
          <ConnBanner />
        </div>
        {refused && (
          <p className="att-refused" role="alert">
            {t('att.refused', { code: refused })} <a href="/">{t('common.typeAnotherCode')}</a>
          </p>
        )}
        <main className="att-main" id="main">
          {panel === 'now' && <NowPanel lang={pref.lang} />}
          {(panel === 'ask' || panel === 'questions' || panel === 'rate') && (
            <OnDemand>
              <AudiencePanel panel={panel} lang={pref.lang} onClose={() => setPanel('now')} />
            </OnDemand>
          )}
          {panel === 'order' && (
            <Sheet title={t('att.runningOrder')} onClose={() => setPanel('now')} headingId="sheet-h">
              <OnDemand>
                <RunningOrder />
              </OnDemand>
            </Sheet>
          )}
          {panel === 'menu' && (
            <Sheet title={t('att.tableAndLanguage')} onClose={() => setPanel('now')} headingId="sheet-h">
              <Menu
                pref={pref}
                onSave={(next) => {
                  onPref(next);
                  setPanel('now');
                }}
                onCancel={() => setPanel('now')}
              />
            </Sheet>
          )}
        </main>
        <BottomBar
          orderOpen={panel === 'order'}
          onOrder={() => setPanel((p) => (p === 'order' ? 'now' : 'order'))}
          panel={panel}
          onPanel={(next) => setPanel((p) => (p === next ? 'now' : next))}
        />
      </div>
    </div>
  );
}

function Header({ lang, menuOpen, onMenu }: { lang: string; menuOpen: boolean; onMenu(): void }) {
  const title = useStore((s) => s.live?.event.title);
  const t = useT();
  return (
    <header className="att-header">
      <p className="att-title">
        <span className="att-brand">Tribune</span>
        {title && (
          <>
            <span aria-hidden="true"> · </span>
            <bdi dir="auto">{title}</bdi>
          </>
        )}
      </p>
      <ConnDot />
      <button
        type="button"
        className="btn att-lang"
        onClick={onMenu}
        aria-expanded={menuOpen}
        aria-label={t('att.languageButton', { lang: lang.toUpperCase() })}
        data-testid="menu-button"
      >
        <GlobeIcon /> {lang.toUpperCase()}
      </button>
    </header>
  );
}

function NowPanel({ lang }: { lang: string }) {
  const ready = useStore((s) => s.live !== null);
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const t = useT();
  if (!ready) return <p className="att-waiting">{t('att.connecting')}</p>;
  return (
    <>
      <NowCard />
      <PhoneSlide />
      {ended && (
        <OnDemand>
          <EveningPrompt />
        </OnDemand>
      )}
      <Captions lang={lang} />
    </>
  );
}

function Menu({ pref, onSave, onCancel }: { pref: JoinPref; onSave(p: JoinPref): void; onCancel(): void }) {
  const event = useStore((s) => s.live?.event);
  const t = useT();
  if (!event) return <p>{t('att.waitingEvent')}</p>;
  const table = event.tables.find((t) => t.id === pref.table);
  return (
    <div className="menu">
      <p className="menu-current">
        {table ? (
          <>
            {t('att.table')} <bdi dir="auto">{table.name}</bdi>
          </>
        ) : (
          t('att.noTableChosen')
        )}
      </p>
      <JoinStep event={event} initial={pref} submitLabel={t('common.save')} onSubmit={onSave} onCancel={onCancel} />
      <p className="menu-leave">
        <a className="btn btn-link" href="/">
          {t('att.leave')}
        </a>
      </p>
    </div>
  );
}

function BottomBar({
  orderOpen,
  onOrder,
  panel,
  onPanel,
}: {
  orderOpen: boolean;
  onOrder(): void;
  panel: Panel;
  onPanel(next: AudiencePanelName): void;
}) {
  const t = useT();
  return (
    <nav className="att-bar" aria-label={t('att.debate')}>
      <div className="att-bar-buttons">
        <button
          type="button"
          className={`btn att-bar-btn${orderOpen ? ' is-open' : ''}`}
          onClick={onOrder}
          aria-expanded={orderOpen}
          data-testid="order-button"
        >
          <span aria-hidden="true" className="aq-bar-icon">
            ☰
          </span>
          <span>{t('att.runningOrder')}</span>
        </button>
        <AudienceButtons open={panel} onOpen={onPanel} />
      </div>
    </nav>
  );
}
