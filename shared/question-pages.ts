/**
 * Questions at scale (PROTOCOL v2 "Questions at scale"): the bounds of a joining socket's
 * snapshot and of a `questions:more` page, and the one ranking every list follows. No zod here:
 * the phone bundle imports this module at run time.
 */
export const QUESTION_PAGES = {
  /** Attendees and the projector: the first `live`/`answered` questions of the ranking. */
  roomSnapshot: 50,
  /** Moderators: every `pending` question, at most this many. */
  pendingSnapshot: 500,
  /** Moderators: at most this many others. */
  othersSnapshot: 100,
  /**
   * A device's own questions in its snapshot, newest first. Extension: a device asks at most 5 a
   * minute, so a phone never meets this bound; it keeps a script's join bounded too.
   */
  ownSnapshot: 100,
  /** `questions:more`: a page holds 1..100 questions. */
  pageMax: 100,
} as const;

/**
 * The ranking every list of questions follows, on the server (both stores) and on screens:
 * most votes first, then oldest, then id (ids are ASCII, so `<` orders them as Redis does).
 */
export function compareRank(
  a: { votes: number; createdAt: number; id: string },
  b: { votes: number; createdAt: number; id: string },
): number {
  return b.votes - a.votes || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
