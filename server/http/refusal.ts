import { TribuneError, type ErrorCode, type Reason, type ReasonParams } from '../../shared/errors.ts';

/**
 * A refusal answered with its own HTTP status instead of its code's default: `415` with
 * `INVALID_PAYLOAD` for a body the server does not read (a charset, an encoding, not a deck).
 */
export class HttpRefusal extends TribuneError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    reason?: Reason,
    params?: ReasonParams,
  ) {
    super(code, message, reason, params);
  }
}
