/**
 * The one socket of a page: it opens it, feeds the store with its events (state, connection status,
 * captions, questions) and attaches it to net/transport.ts, through which the store's actions send.
 * The socket (wire.ts, a small Socket.IO client) reconnects by itself; we add a prompt reconnect
 * when a sleeping phone wakes up.
 */
import { ErrorCode } from '../../../shared/errors.ts';
import type { ServerToClientEvents } from '../../../shared/events.ts';
import { deviceId, deviceProof, saveDeviceProof } from '../lib/storage.ts';
import { applyAudience, applyCaption, applyDisplay, applyGlossary, applyHistory, applyStatus, captionsAfter, captionsOffline } from '../store/captions.ts';
import { setConnStatus } from '../store/conn.ts';
import { applyState } from '../store/live.ts';
import { applyPoll, applyPolls } from '../store/polls.ts';
import { applyMyRatings, applyParticipation, applyQuestion, applyQuestions, applyRatings, setQuestionsTarget } from '../store/questions.ts';
import { resetSession, useStore } from '../store/store.ts';
import { attachedSocket, attachSocket } from './transport.ts';
import { WireSocket, type DisconnectReason } from './wire.ts';

/** The wire socket with the server's events typed (ServerToClientEvents) for `on`. */
interface TribuneSocket extends WireSocket {
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): this;
  on(event: 'connect' | 'ping', listener: () => void): this;
  on(event: 'disconnect', listener: (reason: DisconnectReason) => void): this;
  on(event: 'connect_error', listener: (err: Error) => void): this;
}

export interface Target {
  code?: string;
  eventId?: string;
  token?: string;
  lang?: string;
  table?: string;
}

/** Refusals that a retry cannot fix: the page must say so instead of spinning. */
const PERMANENT = new Set<string>([
  ErrorCode.NOT_FOUND,
  ErrorCode.AUTH_FAILED,
  ErrorCode.INVALID_PAYLOAD,
  ErrorCode.FORBIDDEN,
]);
/** The server pings every 20 s and waits 25 s: past this, a socket that says "connected" is dead. */
const STALE_AFTER_MS = 50_000;

/** The handshake's fields but caption resume (`updateAuth` changes them for the next reconnects). */
let handshake: Target & { deviceId: string; deviceProof?: string } = { deviceId: '' };
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = 1000;
let lastHeard = 0;
let startedAt = 0;

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** The target of a connection started ahead of its screen (`connectAhead`), until that screen asks. */
let aheadFor: string | null = null;

/**
 * Starts the connection before the screen that needs it has rendered (a returning phone: start.ts),
 * so the websocket handshake and the first `state` travel while React renders. The screen's own
 * `connect()` with the same target then keeps this connection.
 */
export function connectAhead(target: Target): void {
  connect(target);
  aheadFor = JSON.stringify(clean({ ...target }));
}

/** Connects this page to an event (closing any previous connection). */
export function connect(target: Target): void {
  const ahead = aheadFor;
  aheadFor = null;
  if (attachedSocket() && ahead === JSON.stringify(clean({ ...target }))) return;
  disconnect();
  handshake = clean({ ...target, deviceId: deviceId(), deviceProof: deviceProof() });
  const s = new WireSocket({
    origin: location.origin,
    // Read at every (re)connection: the captions this screen holds by then say where to resume.
    auth: () => {
      const after = captionsAfter();
      return after ? { ...handshake, captionsAfter: after } : handshake;
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  }) as TribuneSocket;
  attachSocket(s);
  startedAt = performance.now();
  setConnStatus('connecting');

  s.on('connect', () => {
    retryDelay = 1000;
    lastHeard = performance.now();
    setConnStatus('connected');
  });
  s.on('disconnect', (reason) => {
    captionsOffline();
    if (reason === 'io client disconnect') return;
    setConnStatus(useStore.getState().conn.everConnected ? 'reconnecting' : 'connecting');
    // The server closed us on purpose (e.g. a restart); Socket.IO will not retry by itself.
    if (reason === 'io server disconnect') retryLater(s);
  });
  s.on('connect_error', (err) => {
    const code = err.message;
    if (s.active) {
      // A transport failure: Socket.IO retries with backoff.
      setConnStatus(useStore.getState().conn.everConnected ? 'reconnecting' : 'connecting');
      return;
    }
    // Refused by the server's middleware: final for a wrong key or event, retried otherwise.
    if (PERMANENT.has(code)) {
      setConnStatus('refused', code);
      return;
    }
    setConnStatus(useStore.getState().conn.everConnected ? 'reconnecting' : 'connecting', code);
    retryLater(s);
  });
  s.on('device', ({ proof }) => {
    saveDeviceProof(proof);
    handshake = { ...handshake, deviceProof: proof };
  });
  s.on('caption', applyCaption);
  s.on('captions:history', applyHistory);
  s.on('captions:status', applyStatus);
  s.on('captions:audience', applyAudience);
  s.on('glossary', applyGlossary);
  s.on('captions:display', applyDisplay);
  setQuestionsTarget(target.code ?? target.eventId);
  s.on('question', applyQuestion);
  s.on('questions', applyQuestions);
  s.on('ratings', applyRatings);
  s.on('ratings:mine', applyMyRatings);
  s.on('participation', applyParticipation);
  s.on('poll', applyPoll);
  s.on('polls', applyPolls);
  s.on('state', (state) => {
    lastHeard = performance.now();
    applyState(state);
  });
  s.on('ping', onPing);
  s.connect();

  document.addEventListener('visibilitychange', onWake);
  window.addEventListener('online', onWake);
  window.addEventListener('pageshow', onWake);
}

function onPing() {
  lastHeard = performance.now();
}

function retryLater(s: TribuneSocket) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    if (attachedSocket() === s && !s.connected) s.connect();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 10_000);
}

/** Reconnects at once when the page comes back (phones drop sockets while asleep). */
function onWake() {
  const s = attachedSocket();
  if (!s || document.visibilityState !== 'visible') return;
  if (useStore.getState().conn.status === 'refused') return;
  const stale = s.connected && performance.now() - lastHeard > STALE_AFTER_MS;
  if (s.connected && !stale) return;
  // A first connection still in progress is left alone (pageshow fires right after load).
  if (!s.connected && !useStore.getState().conn.everConnected && performance.now() - startedAt < 3000) return;
  if (stale) setConnStatus('reconnecting');
  // disconnect() resets the manager's backoff; connect() dials now instead of in a few seconds.
  s.disconnect();
  s.connect();
}

/** Closes the connection and forgets everything that came with it (every slice of the connection). */
export function disconnect(): void {
  clearTimeout(retryTimer);
  document.removeEventListener('visibilitychange', onWake);
  window.removeEventListener('online', onWake);
  window.removeEventListener('pageshow', onWake);
  const s = attachedSocket();
  if (s) {
    s.removeAllListeners();
    s.disconnect();
    attachSocket(null);
  }
  resetSession();
}

/** Changes a handshake field for the next reconnects (e.g. after `lang:set`). */
export function updateAuth(patch: Partial<Target>): void {
  if (!attachedSocket()) return;
  handshake = clean({ ...handshake, ...patch });
}
