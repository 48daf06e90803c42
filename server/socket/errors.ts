import { randomBytes } from 'node:crypto';
import { ErrorCode, TribuneError, type WireError } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';

/** Expected refusals pass through; anything else is a bug, logged with an id the message gives. */
export function toWireError(err: unknown, logger: Logger, context: Record<string, unknown>): WireError {
  if (err instanceof TribuneError) return err.toWire();
  const id = randomBytes(4).toString('hex');
  logger.error({ ...context, errorId: id, err }, 'internal error');
  return { code: ErrorCode.INTERNAL, message: `internal error ${id}` };
}
