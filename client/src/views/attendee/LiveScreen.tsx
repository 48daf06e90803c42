/** The attendee's live screen: header, NOW, captions, bottom bar; running order and menu one tap away. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ConnBanner, ConnDot } from '../../components/Conn.tsx';
import { GlobeIcon } from '../../components/Icon.tsx';
import { setDocumentLanguage } from '../../lib/lang.ts';
import { upcoming } from '../../lib/agenda.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect, send, updateAuth } from '../../net/socket.ts';
import { useStore } from '../../store/store.ts';
import { UnknownCode } from './UnknownCode.tsx';
import { JoinStep } from './JoinStep.tsx';
import { NowCard } from './NowCard.tsx';
import type { JoinPref } from './prefs.ts';
import { RunningOrder } from './RunningOrder.tsx';

type Panel = 'now' | 'order' | 'menu';

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
    setDocumentLanguage(pref.lang);
    if (firstLang.current) {
      firstLang.current = false;
      return;
    }
    updateAuth({ lang: pref.lang });
    void send('lang:set', { lang: pref.lang });
  }, [pref.lang]);

  useEffect(() => () => setDocumentLanguage('en'), []);

  // A remembered language the event no longer offers falls back to the floor language
  // (as the server does), so the menu and <html lang> say what the phone really gets.
  const languages = useStore((s) => s.live?.event.languages);
  useEffect(() => {
    if (languages?.length && !languages.includes(pref.lang)) onPref({ ...pref, lang: languages[0]! });
  }, [languages, pref, onPref]);

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
            This event cannot be followed right now ({refused}). <a href="/">Type another code</a>
          </p>
        )}
        <main className="att-main" id="main">
          {panel === 'now' && <NowPanel />}
          {panel === 'order' && (
            <Sheet title="Running order" onClose={() => setPanel('now')}>
              <RunningOrder />
            </Sheet>
          )}
          {panel === 'menu' && (
            <Sheet title="Your table and language" onClose={() => setPanel('now')}>
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
        <BottomBar orderOpen={panel === 'order'} onOrder={() => setPanel((p) => (p === 'order' ? 'now' : 'order'))} />
      </div>
    </div>
  );
}

function Header({ lang, menuOpen, onMenu }: { lang: string; menuOpen: boolean; onMenu(): void }) {
  const title = useStore((s) => s.live?.event.title);
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
        aria-label={`Language ${lang.toUpperCase()} — change table or language`}
        data-testid="menu-button"
      >
        <GlobeIcon /> {lang.toUpperCase()}
      </button>
    </header>
  );
}

function NowPanel() {
  const ready = useStore((s) => s.live !== null);
  if (!ready) return <p className="att-waiting">Connecting to the debate…</p>;
  return (
    <>
      <NowCard />
      <section className="captions" aria-labelledby="captions-h">
        <h2 id="captions-h" className="visually-hidden">
          Captions
        </h2>
        <p className="captions-placeholder">Captions will appear here</p>
      </section>
    </>
  );
}

function Sheet({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="sheet" aria-labelledby="sheet-h">
      <div className="sheet-head">
        <h2 id="sheet-h" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </section>
  );
}

function Menu({ pref, onSave, onCancel }: { pref: JoinPref; onSave(p: JoinPref): void; onCancel(): void }) {
  const event = useStore((s) => s.live?.event);
  if (!event) return <p>Waiting for the event…</p>;
  const table = event.tables.find((t) => t.id === pref.table);
  return (
    <div className="menu">
      <p className="menu-current">
        {table ? (
          <>
            Table: <bdi dir="auto">{table.name}</bdi>
          </>
        ) : (
          'No table chosen'
        )}
      </p>
      <JoinStep event={event} initial={pref} submitLabel="Save" onSubmit={onSave} onCancel={onCancel} />
      <p className="menu-leave">
        <a className="btn btn-link" href="/">
          Leave this event
        </a>
      </p>
    </div>
  );
}

function BottomBar({ orderOpen, onOrder }: { orderOpen: boolean; onOrder(): void }) {
  const next = useStore((s) => (s.live ? upcoming(s.live.agenda, s.live.stage.itemId, 1)[0] : undefined));
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  return (
    <nav className="att-bar" aria-label="Debate">
      {next && !ended && (
        <p className="att-next" data-testid="next-up">
          <span className="att-next-label">Next up</span>{' '}
          <bdi dir="auto" className="att-next-who">
            {next.speaker || next.delegation}
          </bdi>
          {next.speaker && next.delegation && (
            <>
              {' · '}
              <bdi dir="auto">{next.delegation}</bdi>
            </>
          )}
        </p>
      )}
      <div className="att-bar-buttons">
        <button
          type="button"
          className={`btn att-bar-btn${orderOpen ? ' is-open' : ''}`}
          onClick={onOrder}
          aria-expanded={orderOpen}
          data-testid="order-button"
        >
          <span aria-hidden="true">☰</span> Running order
        </button>
        <button type="button" className="btn att-bar-btn att-bar-soon" disabled aria-describedby="soon-note">
          <span>
            <span aria-hidden="true">?</span> Ask
          </span>
          <small>soon</small>
        </button>
        <button type="button" className="btn att-bar-btn att-bar-soon" disabled aria-describedby="soon-note">
          <span>
            <span aria-hidden="true">★</span> Rate
          </span>
          <small>soon</small>
        </button>
      </div>
      <span id="soon-note" className="visually-hidden">
        Arrives in a later version
      </span>
    </nav>
  );
}
