/**
 * Entry: the router and nothing else. Each screen is its own lazy chunk, so a phone that
 * joins an event downloads the attendee code only (and what its first screen needs: start.ts).
 */
import { Component, lazy, StrictMode, Suspense, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { needStaffWords, setUiLanguage, t, useI18n, useT, type UiLanguage } from './i18n/index.ts';
import { readerUiLanguage } from './lib/readerLanguage.ts';
import { useDocumentTitle } from './lib/title.ts';
import { parseRoute, usePathname, type Route } from './router.ts';
import { startAttendee } from './views/attendee/start.ts';
import './styles/base.css';

/** Each screen's chunk. The first screen's is asked for before anything renders (below). */
const chunks = {
  landing: () => import('./views/Landing.tsx'),
  attendee: () => import('./views/attendee/Attendee.tsx'),
  moderator: () => import('./views/moderator/Moderator.tsx'),
  projector: () => import('./views/projector/Projector.tsx'),
  interpreter: () => import('./views/interpreter/Interpreter.tsx'),
  admin: () => import('./views/admin/Admin.tsx'),
  speaker: () => import('./views/speaker/Speaker.tsx'),
  report: () => import('./views/report/Report.tsx'),
} satisfies Record<Exclude<Route['view'], 'unknown'>, unknown>;

/** The screens that phones never open: they show once their chunk and the staff words are in. */
const STAFF_VIEWS: readonly Route['view'][] = ['moderator', 'projector', 'interpreter', 'admin', 'speaker', 'report'];
const staffScreen = <M,>(load: () => Promise<M>) => () => Promise.all([load(), needStaffWords()]).then(([m]) => m);

const Landing = lazy(chunks.landing);
const Attendee = lazy(chunks.attendee);
const Moderator = lazy(staffScreen(chunks.moderator));
const Projector = lazy(staffScreen(chunks.projector));
const Interpreter = lazy(staffScreen(chunks.interpreter));
const Admin = lazy(staffScreen(chunks.admin));
const Speaker = lazy(staffScreen(chunks.speaker));
const Report = lazy(staffScreen(chunks.report));

function screen(route: Route): ReactNode {
  switch (route.view) {
    case 'landing':
      return <Landing />;
    case 'attendee':
      return <Attendee key={route.code} code={route.code} />;
    case 'moderator':
      return <Moderator key={route.eventId} eventId={route.eventId} />;
    case 'projector':
      return <Projector key={route.eventId} eventId={route.eventId} />;
    case 'interpreter':
      return <Interpreter key={route.eventId} eventId={route.eventId} />;
    case 'speaker':
      return <Speaker key={route.eventId} eventId={route.eventId} />;
    case 'report':
      return <Report key={route.eventId} eventId={route.eventId} />;
    case 'admin':
      return <Admin />;
    case 'unknown':
      return <NotFound />;
    default: {
      const never: never = route;
      return never;
    }
  }
}

function NotFound() {
  const t = useT();
  useDocumentTitle(t('app.notFound'));
  return (
    <main className="page-message">
      <h1>{t('app.notFound')}</h1>
      <p>{t('app.notFoundText')}</p>
      <p>
        <a href="/">{t('app.notFoundLink')}</a>
      </p>
    </main>
  );
}

/** A chunk that fails to load (Wi-Fi drop, or a new version deployed) offers a reload. */
class Crash extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="page-message" role="alert">
        <h1>{t('app.crash')}</h1>
        <p>{t('app.crashText')}</p>
        <button type="button" className="btn btn-primary" onClick={() => location.reload()}>
          {t('app.reload')}
        </button>
      </main>
    );
  }
}

function App() {
  const route = parseRoute(usePathname());
  return (
    <Crash>
      <Suspense fallback={<p className="page-loading">{t('common.loading')}</p>}>{screen(route)}</Suspense>
    </Crash>
  );
}

/**
 * The first screen's words: its language's dictionary (English when that one cannot be had).
 * Rendering waits for it so that no screen shows keys or changes language under the reader.
 */
async function firstWords(lang: UiLanguage): Promise<void> {
  await (STAFF_VIEWS.includes(opened.view) ? needStaffWords(lang) : setUiLanguage(lang));
  if (useI18n.getState().lang !== lang && lang !== 'en') await setUiLanguage('en');
}

// Everything the first screen needs is asked for at once, side by side (each request is a round
// trip on a venue's Wi-Fi): its chunk, its dictionary and, for a phone, its data (start.ts).
const opened = parseRoute(location.pathname);
if (opened.view !== 'unknown') void chunks[opened.view]().catch(() => {}); // lazy() asks again, and gets the same module
// The interface speaks the reader's language on every screen (lib/readerLanguage.ts).
if (opened.view === 'attendee') startAttendee(opened.code);
const lang = readerUiLanguage();

void firstWords(lang).finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
