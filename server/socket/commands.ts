/**
 * Every inbound command goes through one dispatcher per socket: role check, budget, zod parse,
 * then the handler. Fail closed: the ack always answers `{ok:false, error}` on refusal, never a
 * stack trace. Handlers live in one table per server, not in closures per socket: a phone's
 * socket costs one listener whatever the number of commands.
 */
import { ErrorCode, refusal, type Ack } from '../../shared/errors.ts';
import { CommandRoles, Commands, type CommandName, type CommandPayload } from '../../shared/commands.ts';
import type { Logger } from '../log.ts';
import type { AllowanceTracker } from './allowances.ts';
import { actOf, DEFAULT_BUDGETS, DEFAULT_FLOOD, SocketBudget, type BudgetTable, type FloodPolicy } from './budgets.ts';
import { toWireError } from './errors.ts';
import type { TribuneSocket } from './types.ts';

export type CommandHandler<C extends CommandName> = (payload: CommandPayload<C>, socket: TribuneSocket) => Promise<unknown>;
export type CommandTable = { [C in CommandName]?: CommandHandler<C> };
type AnyHandler = (payload: unknown, socket: TribuneSocket) => Promise<unknown>;

/** Adds a handler for one socket only (a domain's `register`); prefer the server-wide table. */
export type CommandRegistrar = <C extends CommandName>(name: C, handler: CommandHandler<C>) => void;

export interface CommandLimits {
  budgets?: BudgetTable;
  flood?: FloodPolicy;
}

interface DispatchOptions extends CommandLimits {
  /** New devices' questions and votes also draw on their address's allowance. */
  allowances?: AllowanceTracker;
}

const isCommand = (name: string): name is CommandName => Object.hasOwn(Commands, name);

const tooFast = () => refusal(ErrorCode.RATE_LIMITED, 'too many commands, slow down', 'tooFast');

/**
 * Minting device ids must cost something: a device first seen a few minutes ago asks and votes
 * on its address's allowance too (a script with a fresh id per socket soon runs out of it; phones
 * that have followed the evening for a while never meet it).
 */
function newDeviceMayAct(socket: TribuneSocket, act: 'ask' | 'vote', allowances: AllowanceTracker | undefined): boolean {
  const { role, deviceSince, address } = socket.data;
  if (!allowances || role !== 'attendee' || Date.now() - deviceSince >= allowances.limits.newDeviceMs) return true;
  return allowances.takeNewDeviceAct(address, act);
}

/** Attaches the dispatcher to a socket; returns a registrar for socket-specific handlers. */
export function attachCommands(socket: TribuneSocket, table: CommandTable, logger: Logger, limits: DispatchOptions = {}): CommandRegistrar {
  // Made at the first command: a phone that only follows the evening costs no budget.
  let budget: SocketBudget | null = null;
  let own: Map<string, AnyHandler> | null = null;

  /** Counts a refusal for rate: the first of a window is logged, a flood cuts the socket off. */
  const refusedForRate = (name: string) => {
    const verdict = budget!.refused();
    const { eventId, role } = socket.data;
    if (verdict === 'first') logger.warn({ cmd: name, eventId, role }, 'commands refused for rate');
    if (verdict === 'flood' && socket.connected) {
      logger.warn({ eventId, role, refused: budget!.unlogged }, 'flood: socket cut off');
      budget!.unlogged = 0;
      socket.disconnect(true);
    }
  };

  socket.onAny((name: string, ...args: unknown[]) => {
    budget ??= new SocketBudget(limits.budgets ?? DEFAULT_BUDGETS, limits.flood ?? DEFAULT_FLOOD);
    const ack = args[args.length - 1];
    const known = isCommand(name);
    const handler = known ? (own?.get(name) ?? (table[name] as AnyHandler | undefined)) : undefined;
    const { eventId, role } = socket.data;

    // Unknown events and commands without an answer cost the `other` budget: floods of them
    // are cut off like any other.
    if (typeof ack !== 'function' || !handler) {
      if (!budget.take('other')) refusedForRate(name);
      if (typeof ack !== 'function') return; // no callback: dropped (PROTOCOL)
      const message = `unknown command "${name.slice(0, 40)}"`;
      return (ack as (a: Ack) => void)({ ok: false, error: { code: ErrorCode.NOT_FOUND, message } });
    }

    const started = performance.now();
    const done = (a: Ack, log = true) => {
      if (log) {
        logger.info(
          { cmd: name, eventId, role, ok: a.ok, code: a.ok ? undefined : a.error.code, ms: +(performance.now() - started).toFixed(1) },
          'command',
        );
      }
      (ack as (a: Ack) => void)(a);
    };

    // The role first (PROTOCOL: FORBIDDEN whatever else), then the budget, then the payload.
    // A forbidden command still costs the `other` budget, so a flood of them is cut off too.
    if (!CommandRoles[name as CommandName].includes(role)) {
      if (!budget.take('other')) refusedForRate(name);
      return done({ ok: false, error: { code: ErrorCode.FORBIDDEN, message: `a ${role} may not ${name}` } });
    }
    const act = actOf(name as CommandName);
    if (!budget.take(act)) {
      refusedForRate(name);
      return done({ ok: false, error: tooFast() }, false);
    }
    if ((act === 'ask' || act === 'vote') && !newDeviceMayAct(socket, act, limits.allowances)) {
      return done({ ok: false, error: refusal(ErrorCode.RATE_LIMITED, 'many new devices are acting from your network: wait a moment', 'tooFast') });
    }

    // `emit('agenda:next', ack)` without a payload is read as `{}`.
    const parsed = Commands[name as CommandName].safeParse(args.length > 1 ? args[0] : {});
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
