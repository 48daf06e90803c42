/**
 * Every inbound command goes through one dispatcher per socket: rate limit, role check, zod
 * parse, then the handler. Fail closed: the ack always answers `{ok:false, error}` on refusal,
 * never a stack trace. Handlers live in one table per server, not in closures per socket:
 * a phone's socket costs one listener whatever the number of commands.
 */
import { ErrorCode, refusal, type Ack } from '../../shared/errors.ts';
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
export type CommandTable = { [C in CommandName]?: CommandHandler<C> };
type AnyHandler = (payload: unknown, socket: TribuneSocket) => Promise<unknown>;

/** Adds a handler for one socket only (a domain's `register`); prefer the server-wide table. */
export type CommandRegistrar = <C extends CommandName>(name: C, handler: CommandHandler<C>) => void;

const isCommand = (name: string): name is CommandName => Object.hasOwn(Commands, name);

/** Attaches the dispatcher to a socket; returns a registrar for socket-specific handlers. */
export function attachCommands(socket: TribuneSocket, table: CommandTable, logger: Logger): CommandRegistrar {
  const bucket = { tokens: BUCKET_SIZE, last: Date.now(), refusedInARow: 0 };
  let own: Map<string, AnyHandler> | null = null;

  socket.onAny((name: string, ...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function' || !isCommand(name)) return; // no callback, or not a command: dropped
    const handler = own?.get(name) ?? (table[name] as AnyHandler | undefined);
    if (!handler) return;
    const started = performance.now();
    const { eventId, role } = socket.data;
    const done = (a: Ack) => {
      logger.info(
        { cmd: name, eventId, role, ok: a.ok, code: a.ok ? undefined : a.error.code, ms: +(performance.now() - started).toFixed(1) },
        'command',
      );
      (ack as (a: Ack) => void)(a);
    };

    const now = Date.now();
    bucket.tokens = Math.min(BUCKET_SIZE, bucket.tokens + (now - bucket.last) * REFILL_PER_MS);
    bucket.last = now;
    const flooding = bucket.tokens < 1;
    if (flooding && ++bucket.refusedInARow >= FLOOD_DISCONNECT_AFTER) socket.disconnect(true);

    // The role first (PROTOCOL: FORBIDDEN whatever else), then the rate, then the payload.
    if (!CommandRoles[name].includes(role)) {
      return done({ ok: false, error: { code: ErrorCode.FORBIDDEN, message: `a ${role} may not ${name}` } });
    }
    if (flooding) return done({ ok: false, error: refusal(ErrorCode.RATE_LIMITED, 'too many commands, slow down', 'tooFast') });
    bucket.tokens -= 1;
    bucket.refusedInARow = 0;

    // `emit('agenda:next', ack)` without a payload is read as `{}`.
    const parsed = Commands[name].safeParse(args.length > 1 ? args[0] : {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return done({ ok: false, error: { code: ErrorCode.INVALID_PAYLOAD, message: `${where}${issue?.message ?? 'invalid'}` } });
    }
    handler(parsed.data, socket).then(
      (data) => done(data === undefined ? { ok: true } : { ok: true, data }),
      (err) => done({ ok: false, error: toWireError(err, logger, { cmd: name, eventId }) }),
    );
  });

  return (name, handler) => {
    own ??= new Map();
    own.set(name, handler as AnyHandler);
  };
}
