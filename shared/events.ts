/** Typed Socket.IO event maps (PROTOCOL.md "Socket.IO"). Type-only: safe for the phone bundle. */
import type { Ack } from './errors.ts';
import type { CaptionServerEvents } from './captions.ts';
import type { PollServerEvents } from './polls.ts';
import type { QuestionServerEvents } from './questions.ts';
import type { SlideServerEvents } from './slides.ts';
import type { CommandInput, CommandName, PublicState, Role } from './schemas.ts';

export type AckCallback<T = unknown> = (ack: Ack<T>) => void;

export type ClientToServerEvents = {
  [C in CommandName]: (payload: CommandInput<C>, ack: AckCallback) => void;
};

export interface ServerToClientEvents extends CaptionServerEvents, QuestionServerEvents, SlideServerEvents, PollServerEvents {
  state: (state: PublicState) => void;
  /** Extension: this device's proof, sent once to a device the server had not seen; kept and sent back as `auth.deviceProof`. */
  device: (device: { proof: string }) => void;
}

/** Set once by the handshake middleware; the role never changes for a socket. */
export interface SocketData {
  eventId: string;
  role: Role;
  lang: string;
  deviceId: string;
  table: string | null;
  /** The address the socket counts against (per-address allowances; TRUST_PROXY applied). */
  address: string;
  /** When this device was first seen (ms): a device is new for a while (server/socket/allowances.ts). */
  deviceSince: number;
  /** The attendee's device brought no valid proof: it is sent one once it joined. */
  needsProof: boolean;
  /** Caption resume (handshake `captionsAfter`): per language, the last final seq the client holds. */
  captionsAfter?: Record<string, number>;
}
