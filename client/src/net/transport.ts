/**
 * The page's socket instance and `send`: what the store's actions need to talk to the server, and
 * nothing that feeds the store. net/socket.ts opens the socket, wires its events into the store and
 * attaches it here; the actions (store/commands.ts, store/questions.ts) import only this module, so
 * the store and the socket module do not import each other.
 */
import { ErrorCode, type Ack } from '../../../shared/errors.ts';
import type { CommandInput, CommandName } from '../../../shared/schemas.ts';
import type { WireSocket } from './wire.ts';

const COMMAND_TIMEOUT_MS = 5000;

let socket: WireSocket | null = null;

/** The socket commands go through (null: none, the page is not connected to an event). */
export function attachSocket(s: WireSocket | null): void {
  socket = s;
}

/** The attached socket, if any. */
export function attachedSocket(): WireSocket | null {
  return socket;
}

function failure(code: ErrorCode, message: string): Ack {
  return { ok: false, error: { code, message } };
}

/**
 * Sends a command and resolves with its ack. Never rejects: no connection, or no answer
 * within 5 s, becomes `UNAVAILABLE`. A command is not queued while offline (a queued "Next"
 * replayed minutes later would be worse than a refusal the moderator can see).
 */
export function send<C extends CommandName>(cmd: C, payload: CommandInput<C>): Promise<Ack> {
  const s = socket;
  if (!s || !s.connected) return Promise.resolve(failure(ErrorCode.UNAVAILABLE, 'not connected'));
  return new Promise((resolve) => {
    // The contract (payload and ack of `cmd`) is checked by `C` here and by the server's schemas.
    s.emitWithAck(cmd, payload, COMMAND_TIMEOUT_MS, (err, ack) => {
      if (err) resolve(failure(ErrorCode.UNAVAILABLE, 'no answer'));
      else resolve((ack as Ack | undefined) ?? failure(ErrorCode.INTERNAL, 'empty answer'));
    });
  });
}
