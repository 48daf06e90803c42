/**
 * Handshake middleware: the role is decided once, here, and kept in typed `socket.data`.
 * A refusal ends in `connect_error` whose message is an error code.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { HandshakeAuth, type Role } from '../../shared/schemas.ts';
import type { SocketData } from '../../shared/events.ts';
import { secretMatches } from '../auth/secrets.ts';
import type { EventRecord, Store } from '../store/types.ts';
import type { TribuneSocket } from './types.ts';

function roleOf(record: EventRecord, token: string): { role: Role; lang?: string } | null {
  const h = record.secretHashes;
  // Check every secret (no early exit) so the time taken does not tell which one matched.
  let found: { role: Role; lang?: string } | null = null;
  if (secretMatches(token, h.moderator)) found = { role: 'moderator' };
  if (secretMatches(token, h.projector)) found = { role: 'projector' };
  for (const [lang, hash] of Object.entries(h.interpreters)) {
    if (secretMatches(token, hash)) found = { role: 'interpreter', lang };
  }
  return found;
}

export async function resolveHandshake(store: Store, rawAuth: unknown): Promise<SocketData> {
  const parsed = HandshakeAuth.safeParse(rawAuth);
  if (!parsed.success) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'bad handshake');
  const auth = parsed.data;
  const eventId = auth.eventId ?? (auth.code ? await store.findEventIdByCode(auth.code) : null);
  const record = eventId ? await store.getEvent(eventId) : null;
  // A code and an id that disagree name no event.
  if (!record || (auth.code && auth.code.toUpperCase() !== record.code)) {
    throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  }
  const state = await store.getState(record.id);
  if (!state) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  const { languages, tables } = state.event;
  const floor = languages[0] ?? 'en';

  let role: Role = 'attendee';
  let tokenLang: string | undefined;
  if (auth.token !== undefined) {
    const found = roleOf(record, auth.token);
    if (!found) throw new TribuneError(ErrorCode.AUTH_FAILED, 'wrong key');
    role = found.role;
    tokenLang = found.lang;
  }
  const asked = auth.lang?.toLowerCase();
  const lang = tokenLang ?? (asked && languages.includes(asked) ? asked : floor);
  const table = auth.table && tables.some((t) => t.id === auth.table) ? auth.table : null;
  return { eventId: record.id, role, lang, deviceId: auth.deviceId, table };
}

/** Socket.IO middleware wrapper around resolveHandshake. */
export function handshakeMiddleware(store: Store, onError: (err: unknown) => string) {
  return (socket: TribuneSocket, next: (err?: Error) => void) => {
    resolveHandshake(store, socket.handshake.auth).then(
      (data) => {
        socket.data = data;
        next();
      },
      (err) => next(new Error(err instanceof TribuneError ? err.code : onError(err))),
    );
  };
}
