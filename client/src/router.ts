/**
 * A tiny path router: the app has a handful of screens and no nested routes, so a library would cost
 * more bytes on the phone than it saves. Secrets travel in the fragment (`#k=`), never the path.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { view: 'landing' }
  | { view: 'attendee'; code: string }
  | { view: 'admin' }
  | { view: 'moderator'; eventId: string }
  | { view: 'projector'; eventId: string }
  | { view: 'interpreter'; eventId: string }
  | { view: 'speaker'; eventId: string }
  | { view: 'report'; eventId: string }
  | { view: 'unknown' };

const withId: Record<string, 'moderator' | 'projector' | 'interpreter' | 'speaker' | 'report'> = {
  m: 'moderator',
  p: 'projector',
  i: 'interpreter',
  s: 'speaker',
  r: 'report',
};

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const [head, arg, ...rest] = parts;
  if (!head) return { view: 'landing' };
  if (head === 'admin' && !arg) return { view: 'admin' };
  if (!arg || rest.length > 0) return { view: 'unknown' };
  if (head === 'e') return { view: 'attendee', code: arg.toUpperCase() };
  const view = withId[head];
  return view ? { view, eventId: arg } : { view: 'unknown' };
}

/** The secret from the URL fragment (`#k=...`), or null. */
export function fragmentKey(): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const k = params.get('k')?.trim();
  return k ? k : null;
}

/** Moves to another screen without a reload. */
export function navigate(path: string): void {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
