/**
 * A refusal in the reader's language: the server names its `reason` (shared/errors.ts), the
 * dictionaries say it; without a reason (an older server, a schema error) its English message.
 */
import type { Reason, WireError } from '../../../shared/errors.ts';
import { t, type MessageKey } from '../i18n/index.ts';

const reasonKeys: Record<Reason, MessageKey> = {
  noStage: 'reason.noStage',
  firstPage: 'reason.firstPage',
  lastPage: 'reason.lastPage',
  noNextItem: 'reason.noNextItem',
  plannedMinimum: 'reason.plannedMinimum',
  liveItemKept: 'reason.liveItemKept',
  itemIdsUnique: 'reason.itemIdsUnique',
  noItem: 'reason.noItem',
  needQuestion: 'reason.needQuestion',
  notALanguage: 'reason.notALanguage',
  tooFast: 'reason.tooFast',
  storeUnavailable: 'reason.storeUnavailable',
  storeBusy: 'reason.storeBusy',
  captionFlood: 'reason.captionFlood',
  segmentTooOld: 'reason.segmentTooOld',
  tooManyQuestions: 'reason.tooManyQuestions',
  tooManyVotes: 'reason.tooManyVotes',
  tooManyRatings: 'reason.tooManyRatings',
  noQuestion: 'reason.noQuestion',
  questionIdTaken: 'reason.questionIdTaken',
  votesLiveOnly: 'reason.votesLiveOnly',
  notAnIndicator: 'reason.notAnIndicator',
  indicatorForEvent: 'reason.indicatorForEvent',
  indicatorForItem: 'reason.indicatorForItem',
  noPoll: 'reason.noPoll',
  needPoll: 'reason.needPoll',
  pollNotOpen: 'reason.pollNotOpen',
  pollIsDraft: 'reason.pollIsDraft',
  pollChoices: 'reason.pollChoices',
  tooManyPolls: 'reason.tooManyPolls',
  deckType: 'reason.deckType',
  deckEmpty: 'reason.deckEmpty',
  deckNotPdf: 'reason.deckNotPdf',
  deckNoOffice: 'reason.deckNoOffice',
  deckNoRenderer: 'reason.deckNoRenderer',
  deckConvertFailed: 'reason.deckConvertFailed',
  deckPassword: 'reason.deckPassword',
  deckDamaged: 'reason.deckDamaged',
  deckNoPages: 'reason.deckNoPages',
  deckTooManyPages: 'reason.deckTooManyPages',
  deckTooBig: 'reason.deckTooBig',
  deckTimeout: 'reason.deckTimeout',
  deckBusy: 'reason.deckBusy',
  noSummary: 'reason.noSummary',
  noTranslation: 'reason.noTranslation',
  translationFailed: 'reason.translationFailed',
  floorClosed: 'reason.floorClosed',
  floorFull: 'reason.floorFull',
  noTurn: 'reason.noTurn',
  noRequest: 'reason.noRequest',
};

/** The refusal's words for people, or null when the server gave no reason this client knows. */
export function reasonText(error: WireError): string | null {
  const key = error.reason && Object.hasOwn(reasonKeys, error.reason) ? reasonKeys[error.reason] : undefined;
  return key ? t(key, error.params) : null;
}

/** The refusal's words for people: its reason translated, else the server's message. */
export const explain = (error: WireError): string => reasonText(error) ?? error.message;
