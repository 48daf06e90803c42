/** Bounds of a poll (PROTOCOL.md "Quick polls"), without zod: the tablet's bundle imports them. */
export const POLL_LIMITS = {
  /** PROTOCOL: question ≤ 300 chars. */
  questionChars: 300,
  /** PROTOCOL: options ≤ 120 chars each. */
  optionChars: 120,
  minOptions: 2,
  maxOptions: 10,
  /** Extension: polls per event (a bound on what one moderator key can store). */
  perEvent: 200,
} as const;
