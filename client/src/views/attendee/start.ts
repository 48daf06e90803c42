/**
 * What the attendee page starts before React renders anything (main.tsx calls it). On a slow venue
 * Wi-Fi every request costs a round trip (400 ms on the bench's profile): a new guest's join
 * snapshot, or a returning guest's live screen, is asked for at once, beside the attendee chunk,
 * instead of after it; a returning guest's socket connects before the screen renders. A new guest
 * does not download the live screen (socket, stores, captions) before choosing a table and a
 * language.
 */
import type { PublicEvent } from '../../../../shared/schemas.ts';
import { fetchJoin, type Result } from '../../net/api.ts';
import { loadPref } from './prefs.ts';

let liveScreen: Promise<typeof import('./LiveScreen.tsx')> | undefined;

/** The live screen's chunk, asked for once (again after a failure: Wi-Fi comes back). */
export function loadLiveScreen(): Promise<typeof import('./LiveScreen.tsx')> {
  liveScreen ??= import('./LiveScreen.tsx').catch((err: unknown) => {
    liveScreen = undefined;
    throw err;
  });
  return liveScreen;
}

let early: { code: string; join: Promise<Result<PublicEvent>> } | null = null;

/** Starts what the attendee page for `code` will need first. */
export function startAttendee(code: string): void {
  const pref = loadPref(code);
  if (pref) {
    void loadLiveScreen().catch(() => {});
    // The socket module is in the live screen's chunk: connect as soon as it is here, while React
    // renders (LiveScreen's connect() with the same target keeps this connection).
    void import('../../net/socket.ts')
      .then(({ connectAhead }) => connectAhead({ code, table: pref.table ?? undefined, lang: pref.lang }))
      .catch(() => {});
    return;
  }
  early = { code, join: fetchJoin(code) };
}

/** The join snapshot startAttendee asked for (taken once), else a new request. */
export function joinSnapshot(code: string): Promise<Result<PublicEvent>> {
  const e = early;
  early = null;
  return e?.code === code ? e.join : fetchJoin(code);
}
