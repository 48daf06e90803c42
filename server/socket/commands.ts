/**
 * Every inbound command goes through `command()`: role check, then zod parse, then the handler.
 * Fail closed: an ack always answers `{ok:false, error}` on refusal, never a stack trace.
 */
import { ErrorCode, TribuneError, type Ack } from '../../shared/errors.ts';
import { CommandRoles, Commands, type CommandName, type CommandPayload } from '../../shared/commands.ts';
import type { Logger } from '../log.ts';
import { toWireError } from './errors.ts';
import type { TribuneSocket } from './types.ts';

/** Per-socket token bucket: a burst of 30 commands, refilled at 10 per second. */
const BUCKET_SIZE = 30;
const REFILL_PER_MS = 10 / 1000;
/** A socket refused this many times in a row for flooding is cut off. */
const FLOOD_DISCONNECT_AFTER = 200;

export type CommandHandler<C extends CommandName> = (payload: CommandPayload<C>, socket: TribuneSocket) => Promise<unknown>;

export function createCommandRegistrar(socket: TribuneSocket, logger: Logger) {
  let tokens = BUCKET_SIZE;
  let last = Date.now();
  let refusedInARow = 0;

  function take(): boolean {
    const now = Date.now();
    tokens = Math.min(BUCKET_SIZE, tokens + (now - last) * REFILL_PER_MS);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  return function command<C extends CommandName>(name: C, handler: CommandHandler<C>) {
    const schema = Commands[name];
    const roles = CommandRoles[name];
    // Socket.IO's typed `on` cannot express "any of the mapped events"; the handler is typed by `C`.
    (socket as unknown as { on(ev: string, fn: (...args: unknown[]) => void): void }).on(name, (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function') return; // a command without a callback is dropped
      const reply = ack as (a: Ack) => void;
      const started = performance.now();
      const { eventId, role } = socket.data;
      const done = (a: Ack) => {
        logger.info(
          { cmd: name, eventId, role, ok: a.ok, code: a.ok ? undefined : a.error.code, ms: +(performance.now() - started).toFixed(1) },
          'command',
        );
        reply(a);
      };
      if (!take()) {
        if (++refusedInARow >= FLOOD_DISCONNECT_AFTER) socket.disconnect(true);
        return done({ ok: false, error: { code: ErrorCode.RATE_LIMITED, message: 'too many commands, slow down' } });
      }
      refusedInARow = 0;
      if (!roles.includes(role)) {
        return done({ ok: false, error: { code: ErrorCode.FORBIDDEN, message: `a ${role} may not ${name}` } });
      }
      const parsed = schema.safeParse(args.length > 1 ? args[0] : undefined);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
        return done({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD, message: `${where}${issue?.message ?? 'invalid'}` } });
      }
      handler(parsed.data as CommandPayload<C>, socket).then(
        (data) => done(data === undefined ? { ok: true } : { ok: true, data }),
        (err) => done({ ok: false, error: toWireError(err, logger, { cmd: name, eventId }) }),
      );
    });
  };
}

export { TribuneError };
