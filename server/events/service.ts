/** Creating events: shared by `POST /api/events` and the demo created on first start. */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { DEFAULT_INDICATORS, type EventSetup, type PublicEvent } from '../../shared/schemas.ts';
import { initialState } from '../../shared/transitions.ts';
import { hashSecret, newId, newJoinCode, newSecret } from '../auth/secrets.ts';
import type { EventRecord } from './records.ts';
import type { Store } from '../store/types.ts';

export interface CreatedEvent {
  event: PublicEvent;
  secrets: { moderator: string; projector: string; interpreters: Record<string, string>; report: string };
  links: { attendee: string; moderator: string; projector: string; interpreters: Record<string, string>; report: string };
}

/** Links carry secrets in the fragment (`#k=`), which browsers never send to the server. */
export function eventLinks(publicUrl: string, event: PublicEvent, secrets: CreatedEvent['secrets']): CreatedEvent['links'] {
  const base = publicUrl.replace(/\/+$/, '');
  const withKey = (view: string, secret: string) => `${base}/${view}/${event.id}#k=${secret}`;
  return {
    attendee: `${base}/e/${event.code}`,
    moderator: withKey('m', secrets.moderator),
    projector: withKey('p', secrets.projector),
    report: withKey('r', secrets.report),
    interpreters: Object.fromEntries(
      Object.entries(secrets.interpreters).map(([lang, s]) => [lang, withKey('i', s)]),
    ),
  };
}

/** Fresh secrets for the moderator, the projector, one interpreter per language and the report. */
function newSecrets(languages: readonly string[]): CreatedEvent['secrets'] {
  return {
    moderator: newSecret(),
    projector: newSecret(),
    interpreters: Object.fromEntries(languages.map((l) => [l, newSecret()])),
    report: newSecret(),
  };
}

/** What is stored: only hashes. */
function hashSecrets(secrets: CreatedEvent['secrets']): EventRecord['secretHashes'] {
  return {
    moderator: hashSecret(secrets.moderator),
    projector: hashSecret(secrets.projector),
    interpreters: Object.fromEntries(Object.entries(secrets.interpreters).map(([l, s]) => [l, hashSecret(s)])),
    report: hashSecret(secrets.report),
  };
}

/**
 * New moderator, projector and interpreter secrets for an event (a link was lost or leaked): the
 * old links stop working for new connections at once; the caller disconnects the sockets that
 * used them. Secrets are stored hashed, so new ones are the only way to show links again.
 */
export async function replaceSecrets(store: Store, eventId: string, publicUrl: string): Promise<CreatedEvent> {
  const state = await store.getState(eventId);
  if (!state) throw new TribuneError(ErrorCode.NOT_FOUND, 'no such event');
  const secrets = newSecrets(state.event.languages);
  await store.setSecretHashes(eventId, hashSecrets(secrets));
  return { event: state.event, secrets, links: eventLinks(publicUrl, state.event, secrets) };
}

export async function createEvent(store: Store, setup: EventSetup, publicUrl: string): Promise<CreatedEvent> {
  const secrets = newSecrets(setup.languages);
  for (let attempt = 0; ; attempt++) {
    const event: PublicEvent = {
      id: newId(),
      code: newJoinCode(),
      title: setup.title,
      theme: setup.theme ?? '',
      languages: setup.languages,
      moderation: setup.moderation,
      tables: setup.tables,
      indicators: DEFAULT_INDICATORS,
    };
    const record = {
      id: event.id,
      code: event.code,
      createdAt: Date.now(),
      secretHashes: hashSecrets(secrets),
    };
    try {
      await store.createEvent(record, initialState(event, setup, () => newId(6)));
      return { event, secrets, links: eventLinks(publicUrl, event, secrets) };
    } catch (err) {
      // A join code collision: draw another (rare: 32^6 codes).
      if (err instanceof TribuneError && err.code === ErrorCode.CONFLICT && attempt < 5) continue;
      throw err;
    }
  }
}
