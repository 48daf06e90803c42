/**
 * Every domain's rules folded from the event logs (server/log). A domain added to Tribune adds its
 * reducer here; every log the server or a tool opens folds them all, so any entry has its rules.
 */
import { captionsReducer } from './captions/rules.ts';
import { recordsReducer } from './events/records.ts';
import { liveReducer } from './live/rules.ts';
import type { Reducer } from './log/event-logs.ts';
import { pollsReducer } from './polls/rules.ts';
import { questionsReducer } from './questions/rules.ts';
import { reportReducer } from './report/rules.ts';
import { decksReducer } from './slides/rules.ts';

export const reducers: Reducer<any, any>[] = [recordsReducer, decksReducer, liveReducer, reportReducer, captionsReducer, questionsReducer, pollsReducer];
