/**
 * Entry: the router and nothing else. Each screen is its own lazy chunk, so a phone that
 * joins an event downloads the attendee code only (and what its first screen needs: start.ts).
 */
import { Component, lazy, StrictMode, Suspense, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { t, useT } from './i18n/index.ts';
import { useDocumentTitle } from './lib/title.ts';
import { parseRoute, usePathname, type Route } from './router.ts';
import { startAttendee } from './views/attendee/start.ts';
import './styles/base.css';

const Landing = lazy(() => import('./views/Landing.tsx'));
const Attendee = lazy(() => import('./views/attendee/Attendee.tsx'));
const Moderator = lazy(() => import('./views/moderator/Moderator.tsx'));
const Projector = lazy(() => import('./views/projector/Projector.tsx'));
const Interpreter = lazy(() => import('./views/interpreter/Interpreter.tsx'));
const Admin = lazy(() => import('./views/admin/Admin.tsx'));
const Speaker = lazy(() => import('./views/speaker/Speaker.tsx'));
const Report = lazy(() => import('./views/report/Report.tsx'));

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

const opened = parseRoute(location.pathname);
if (opened.view === 'attendee') startAttendee(opened.code);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
