/**
 * Error codes of the wire contract (PROTOCOL.md, "Error codes"), with their HTTP status.
 * Named once here so server, client and tests never spell a code as a free string.
 */
export const ErrorCode = {
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  AUTH_FAILED: 'AUTH_FAILED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_LARGE: 'TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const httpStatus: Record<ErrorCode, number> = {
  INVALID_PAYLOAD: 400,
  AUTH_FAILED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** An expected refusal: becomes `{ok:false, error}` on the wire, never a stack trace. */
export class TribuneError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TribuneError';
  }
  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

export type Ack<T = unknown> = { ok: true; data?: T } | { ok: false; error: WireError };
