/** Limits of the captions domain, zod-free so the client may import them (values, not only types). */
export const CAPTION_LIMITS = {
  /** PROTOCOL: text ≤ 1000 chars. */
  textChars: 1000,
  /** PROTOCOL: `captions:history` carries at most this many final captions. */
  historyItems: 200,
  /** PROTOCOL (caption resume): a resumed `captions:history` carries at most this many finals. */
  resumeItems: 500,
  /** An interpreter may correct one of the last this many final segments of its language. */
  correctableSegments: 5,
  glossaryEntries: 300,
  glossaryTermChars: 120,
  glossaryNoteChars: 300,
  /** Languages the projector's `captions` mode shows at once. */
  projectorLangs: 2,
} as const;
