/**
 * The questions domain's test client (helpers/domain-client.ts): its `questions` and `question`
 * events, and the ratings and participation it receives, recorded from the very first one.
 */
import type { Ack } from '../../shared/errors.ts';
import type { MyRatings, Participation, Question, RatingSummary } from '../../shared/questions.ts';
import { connectDomain, type DomainClient } from './domain-client.ts';

export interface QClient extends DomainClient<Question> {
  ratings: RatingSummary[];
  participation: Participation[];
  mine: MyRatings[];
  /** `question:ask` with a fresh id unless one is given. */
  ask(text: string, extra?: Record<string, unknown>): Promise<Ack<Question>>;
}

/** Keeps the newest copy; fields absent from an update (mine, voted) keep their value. */
export function merge(view: Map<string, Question>, q: Question) {
  const cur = view.get(q.id);
  if (cur && q.rev < cur.rev) return;
  const next = { ...cur, ...q };
  for (const k of ['mine', 'voted'] as const) if (q[k] === undefined && cur?.[k] !== undefined) next[k] = cur[k];
  view.set(q.id, next);
}

let counter = 0;
export const newQuestionId = () => `q-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export function connectQ(url: string, auth: Record<string, unknown>): Promise<QClient> {
  return connectDomain(url, auth, { snapshot: 'questions', update: 'question', merge }, (c) => {
    const more = {
      ratings: [] as RatingSummary[],
      participation: [] as Participation[],
      mine: [] as MyRatings[],
      ask: (text: string, extra: Record<string, unknown> = {}) => c.send('question:ask', { id: newQuestionId(), text, ...extra }) as Promise<Ack<Question>>,
    };
    c.socket.on('ratings', (r) => more.ratings.push(r));
    c.socket.on('participation', (p) => more.participation.push(p));
    c.socket.on('ratings:mine', (m) => more.mine.push(m));
    return more;
  });
}
