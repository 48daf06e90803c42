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

/**
 * Why a refusal happened, as a stable name the client translates (`reason.<name>` in every UI
 * language, with `params` filled in); `message` stays the English sentence for logs, scripts and
 * clients that do not know the reason. An extension of the contract: `reason` is optional.
 */
export const Reasons = [
  // the live core
  'noStage',
  'firstPage',
  'lastPage',
  'noNextItem',
  'plannedMinimum',
  'liveItemKept',
  'itemIdsUnique',
  'noItem',
  'needQuestion',
  'notALanguage',
  'tooFast',
  'storeUnavailable',
  'storeBusy',
  // captions
  'captionFlood',
  'segmentTooOld',
  // questions and ratings
  'tooManyQuestions',
  'tooManyVotes',
  'tooManyRatings',
  'noQuestion',
  'questionIdTaken',
  'votesLiveOnly',
  'notAnIndicator',
  'indicatorForEvent',
  'indicatorForItem',
  // polls
  'noPoll',
  'needPoll',
  'pollNotOpen',
  'pollIsDraft',
  'pollChoices',
  'tooManyPolls',
  // decks
  'deckType',
  'deckEmpty',
  'deckNotPdf',
  'deckNoOffice',
  'deckNoRenderer',
  'deckConvertFailed',
  'deckPassword',
  'deckDamaged',
  'deckNoPages',
  'deckTooManyPages',
  'deckTooBig',
  'deckTimeout',
  'deckBusy',
  // the report
  'noSummary',
  'noTranslation',
  'translationFailed',
  // The debate floor.
  'floorClosed',
  'floorFull',
  'noTurn',
  'noRequest',
] as const;
export type Reason = (typeof Reasons)[number];
export type ReasonParams = Record<string, string | number>;

export interface WireError {
  code: ErrorCode;
  message: string;
  reason?: Reason;
  params?: ReasonParams;
}

/** An expected refusal: becomes `{ok:false, error}` on the wire, never a stack trace. */
export class TribuneError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly reason?: Reason,
    readonly params?: ReasonParams,
  ) {
    super(message);
    this.name = 'TribuneError';
  }
  toWire(): WireError {
    return refusal(this.code, this.message, this.reason, this.params);
  }
}

/** A wire error, with `reason` and `params` only when there are some. */
export function refusal(code: ErrorCode, message: string, reason?: Reason, params?: ReasonParams): WireError {
  return { code, message, ...(reason ? { reason } : {}), ...(params ? { params } : {}) };
}

export type Ack<T = unknown> = { ok: true; data?: T } | { ok: false; error: WireError };
