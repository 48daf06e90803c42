/**
 * The attendee's live screen: header, NOW, captions, bottom bar; the running order (with who is
 * next) and the menu one tap away. What the first screen does not show (the sheets, the evening's
 * ratings) is a chunk of its own, loaded when it is opened: a phone on a slow venue Wi-Fi gets its
 * first state sooner.
 */
import { lazy, Suspense, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { ConnBanner, ConnDot } from '../../components/Conn.tsx';
import { GlobeIcon } from '../../components/Icon.tsx';
import { UI_LANGUAGES, useT, useUiLanguage } from '../../i18n/index.ts';
import { dirOf, nativeName } from '../../lib/lang.ts';
import { applyReaderUiLanguage, chooseReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect, updateAuth } from '../../net/socket.ts';
import { send } from '../../net/transport.ts';
import { useStore } from '../../store/store.ts';
import { resumeAfter } from '../../store/captions.ts';
import { phonePolls, usePolls } from '../../store/polls.ts';
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
const Polls = lazy(() => import('./Polls.tsx'));
/** Ask for the floor: loaded once the moderator opens the list (or someone has or waits for the floor). */
const FloorCard = lazy(() => import('./FloorCard.tsx').then((m) => ({ default: m.FloorCard })));
// Listen comes with the first channel on air (and then stays, so a listener outlives an off-air spell).
const Listen = lazy(() => import('./Listen.tsx').then((m) => ({ default: m.Listen })));
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

  // The interface speaks the reader's language (their choice in the menu, else their browser's),
  // not the captions': a Spanish guest reading English captions keeps a Spanish screen.
  useEffect(() => void applyReaderUiLanguage(), []);

  // A new caption language is switched live, and remembered for the next reconnects.
  const firstLang = useRef(true);
  useEffect(() => {
    if (firstLang.current) {
      firstLang.current = false;
      return;
    }
    updateAuth({ lang: pref.lang });
    void send('lang:set', { lang: pref.lang, ...resumeAfter(pref.lang) });
  }, [pref.lang]);

  // A remembered language the event no longer offers falls back to the floor language
  // (as the server does), so the menu and <html lang> say what the phone really gets.
  const languages = useStore((s) => s.live?.event.languages);
  useEffect(() => {
    if (languages?.length && !languages.includes(pref.lang)) onPref({ ...pref, lang: languages[0]! });
  }, [languages, pref, onPref]);

  const t = useT();
  const topRef = useRef<HTMLDivElement>(null);
  const barRef = useRef<HTMLElement>(null);
  useStickyHeight(topRef, '--att-top-h');
  useStickyHeight(barRef, '--att-bar-h');
  if (refused === 'NOT_FOUND') return <UnknownCode code={code} />;

  return (
    <div className="att-shell">
      <div className="att">
        <div className="att-top" ref={topRef}>
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
          barRef={barRef}
          orderOpen={panel === 'order'}
          onOrder={() => setPanel((p) => (p === 'order' ? 'now' : 'order'))}
          panel={panel}
          onPanel={(next) => setPanel((p) => (p === next ? 'now' : next))}
        />
      </div>
    </div>
  );
}

/**
 * The height of a sticky bar as a custom property on the page (0 when it is not laid out, as the
 * top at large text): attendee.css makes it the page's scroll padding, so what the keyboard focuses
 * or the page scrolls to never lands under the bar.
 */
function useStickyHeight(ref: RefObject<HTMLElement | null>, property: string) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const root = document.documentElement;
    const update = () => {
      const sticky = getComputedStyle(el).position === 'sticky';
      root.style.setProperty(property, `${sticky ? Math.ceil(el.getBoundingClientRect().height) : 0}px`);
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty(property);
    };
  }, [ref, property]);
}

function Header({ lang, menuOpen, onMenu }: { lang: string; menuOpen: boolean; onMenu(): void }) {
  const title = useStore((s) => s.live?.event.title);
  const t = useT();
  return (
    <header className="att-header">
      <h1 className="att-title">
        <span className="att-brand">Tribune</span>
        {title && (
          <>
            <span aria-hidden="true"> · </span>
            <bdi dir="auto">{title}</bdi>
          </>
        )}
      </h1>
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
  // A poll open (or its results revealed) comes first: one tap, between two courses.
  const polls = usePolls((s) => phonePolls(s.byId).length > 0);
  const floorInUse = useStore((s) => !!s.live?.floor && (s.live.floor.open || s.live.floor.current !== null || s.live.floor.queue.length > 0));
  const t = useT();
  if (!ready) return <p className="att-waiting">{t('att.connecting')}</p>;
  return (
    <>
      {polls && (
        <OnDemand>
          <Polls />
        </OnDemand>
      )}
      <NowCard />
      {floorInUse && (
        <Suspense fallback={null}>
          <FloorCard />
        </Suspense>
      )}
      <PhoneSlide />
      {ended && (
        <OnDemand>
          <EveningPrompt />
        </OnDemand>
      )}
      <ListenWhenOnAir lang={lang} />
      <Captions lang={lang} />
    </>
  );
}

function ListenWhenOnAir({ lang }: { lang: string }) {
  const onAir = useStore((s) => Object.values(s.live?.audio ?? {}).some((c) => c.onAir));
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    if (onAir) setSeen(true);
  }, [onAir]);
  if (!onAir && !seen) return null;
  return (
    <Suspense fallback={null}>
      <Listen lang={lang} />
    </Suspense>
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
      <UiLanguageField />
      <p className="menu-leave">
        <a className="btn btn-link" href="/">
          {t('att.leave')}
        </a>
      </p>
    </div>
  );
}

/** The interface's own language: applied at once and remembered on this device (every event). */
function UiLanguageField() {
  const ui = useUiLanguage();
  const id = useId();
  const t = useT();
  return (
    <div className="join-field menu-ui-lang">
      <label htmlFor={`${id}-ui`}>{t('att.uiLanguage')}</label>
      <select
        id={`${id}-ui`}
        className="input"
        value={ui}
        onChange={(e) => void chooseReaderUiLanguage(UI_LANGUAGES.find((l) => l === e.target.value) ?? ui)}
        data-testid="ui-language"
      >
        {UI_LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l} dir={dirOf(l)}>
            {nativeName(l)}
          </option>
        ))}
      </select>
    </div>
  );
}

function BottomBar({
  barRef,
  orderOpen,
  onOrder,
  panel,
  onPanel,
}: {
  barRef: RefObject<HTMLElement | null>;
  orderOpen: boolean;
  onOrder(): void;
  panel: Panel;
  onPanel(next: AudiencePanelName): void;
}) {
  const t = useT();
  return (
    <nav className="att-bar" aria-label={t('att.debate')} ref={barRef}>
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
