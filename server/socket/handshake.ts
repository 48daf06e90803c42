/**
 * Handshake middleware: the role is decided once, here, and kept in typed `socket.data`.
 * A refusal ends in `connect_error` whose message is an error code.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { HandshakeAuth, type Role } from '../../shared/schemas.ts';
import type { SocketData } from '../../shared/events.ts';
import type { DeviceProofs } from '../auth/device.ts';
import { secretMatches } from '../auth/secrets.ts';
import type { EventRecord } from '../events/records.ts';
import type { Store } from '../store/types.ts';
import { addressOf, type AllowanceTracker } from './allowances.ts';
import type { TribuneSocket } from './types.ts';

/** What the handshake decides from `auth` alone; the middleware adds the address's part. */
export type Resolved = Omit<SocketData, 'address' | 'deviceSince' | 'needsProof'> & { deviceProof?: string };

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

/**
 * What an attendee's handshake needs of an event never changes after creation (its code,
 * languages and tables), so each process caches it: a join storm costs no store reads here.
 * Secrets can be replaced (new links), so a handshake with a token reads the record afresh:
 * those are a handful of screens, and an old link stops working at once on every process.
 */
interface JoinInfo {
  record: EventRecord;
  languages: string[];
  tableIds: Set<string>;
}

export function createHandshakeResolver(store: Store) {
  const byId = new Map<string, JoinInfo>();
  const idByCode = new Map<string, string>();

  async function joinInfo(eventId: string): Promise<JoinInfo | null> {
    const cached = byId.get(eventId);
    if (cached) return cached;
    const [record, state] = await Promise.all([store.getEvent(eventId), store.getState(eventId)]);
    if (!record || !state) return null;
    const info = { record, languages: state.event.languages, tableIds: new Set(state.event.tables.map((t) => t.id)) };
    byId.set(eventId, info);
    return info;
  }

  return async function resolveHandshake(rawAuth: unknown): Promise<Resolved> {
    const parsed = HandshakeAuth.safeParse(rawAuth);
    if (!parsed.success) throw new TribuneError(ErrorCode.INVALID_PAYLOAD, 'bad handshake');
    const auth = parsed.data;
    const code = auth.code?.toUpperCase();
    let eventId = auth.eventId ?? (code ? idByCode.get(code) : undefined);
    if (!eventId && code) {
      eventId = (await store.findEventIdByCode(code)) ?? undefined;
      if (eventId) idByCode.set(code, eventId);
    }
    const info = eventId ? await joinInfo(eventId) : null;
    // A code and an id that disagree name no event.
    if (!info || (code && code !== info.record.code)) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
    const { record, languages, tableIds } = info;

    let role: Role = 'attendee';
    let tokenLang: string | undefined;
    if (auth.token !== undefined) {
      const current = await store.getEvent(record.id);
      const found = current && roleOf(current, auth.token);
      if (!found) throw new TribuneError(ErrorCode.AUTH_FAILED, 'wrong key');
      role = found.role;
      tokenLang = found.lang;
    }
    const asked = auth.lang?.toLowerCase();
    const lang = tokenLang ?? (asked && languages.includes(asked) ? asked : (languages[0] ?? 'en'));
    const table = auth.table && tableIds.has(auth.table) ? auth.table : null;
    const resume = auth.captionsAfter ? { captionsAfter: auth.captionsAfter } : {};
    const proof = auth.deviceProof ? { deviceProof: auth.deviceProof } : {};
    return { eventId: record.id, role, lang, deviceId: auth.deviceId, table, ...resume, ...proof };
  };
}

export interface HandshakeGuard {
  allowances: AllowanceTracker;
  proofs: DeviceProofs;
  /** Express's compiled `trust proxy` (TRUST_PROXY). */
  trust: (addr: string, hop: number) => boolean;
}

const rateLimited = (message: string) => new TribuneError(ErrorCode.RATE_LIMITED, message);

/**
 * An attendee takes one of its address's socket places, and a device never seen before one of
 * its address's new-device tokens (PROTOCOL v2 "Per-address allowances"). The screens that hold
 * a key (moderator, projector, interpreters) are never refused for their address: they are a
 * handful, and the evening cannot run without them.
 */
function admit(socket: TribuneSocket, resolved: Resolved, guard: HandshakeGuard): SocketData {
  const { deviceProof, ...data } = resolved;
  const address = addressOf(socket.request, guard.trust);
  if (data.role !== 'attendee') return { ...data, address, deviceSince: 0, needsProof: false };
  const { allowances } = guard;
  const counted = allowances.limits.maxSocketsPerAddress > 0;
  if (counted && !allowances.openSocket(address)) throw rateLimited('too many connections from this address, retry in a moment');
  const proven = guard.proofs.verify(data.deviceId, deviceProof);
  const since = allowances.deviceSince(address, data.deviceId, proven);
  if (since === null) {
    if (counted) allowances.closeSocket(address);
    throw rateLimited('too many new devices from this address, retry in a moment');
  }
  // The place is given back when the connection closes: that happens once, whether the socket
  // was connected or not, and a socket's disconnect always closes it (one namespace).
  if (counted) socket.conn.once('close', () => allowances.closeSocket(address));
  return { ...data, address, deviceSince: since, needsProof: proven === null };
}

/** Socket.IO middleware: resolves the handshake, then applies the address's allowances. */
export function handshakeMiddleware(store: Store, guard: HandshakeGuard, onError: (err: unknown) => string) {
  const resolveHandshake = createHandshakeResolver(store);
  return (socket: TribuneSocket, next: (err?: Error) => void) => {
    resolveHandshake(socket.handshake.auth)
      .then((resolved) => {
        socket.data = admit(socket, resolved, guard);
        next();
      })
      .catch((err) => {
        const code = err instanceof TribuneError ? err.code : onError(err);
        next(new Error(code));
        // A refused flood is not kept waiting for its connect timeout: close once the refusal is sent.
        if (code === ErrorCode.RATE_LIMITED) setImmediate(() => socket.conn.close());
      });
  };
}
