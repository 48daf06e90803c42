/** Typed Socket.IO event maps (PROTOCOL.md "Socket.IO"). Type-only: safe for the phone bundle. */
import type { Ack } from './errors.ts';
import type { CaptionServerEvents } from './captions.ts';
import type { QuestionServerEvents } from './questions.ts';
import type { SlideServerEvents } from './slides.ts';
import type { CommandInput, CommandName, PublicState, Role } from './schemas.ts';

export type AckCallback<T = unknown> = (ack: Ack<T>) => void;

export type ClientToServerEvents = {
  [C in CommandName]: (payload: CommandInput<C>, ack: AckCallback) => void;
};

export interface ServerToClientEvents extends CaptionServerEvents, QuestionServerEvents, SlideServerEvents {
  state: (state: PublicState) => void;
}

/** Set once by the handshake middleware; the role never changes for a socket. */
export interface SocketData {
  eventId: string;
  role: Role;
  lang: string;
  deviceId: string;
  table: string | null;
  /** Caption resume (handshake `captionsAfter`): per language, the last final seq the client holds. */
  captionsAfter?: Record<string, number>;
}
