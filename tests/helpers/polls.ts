/**
 * The polls domain's test client (helpers/domain-client.ts): its `polls` and `poll` events recorded
 * from the very first one.
 */
import type { Poll } from '../../shared/polls.ts';
import { connectDomain, type DomainClient } from './domain-client.ts';

export interface PClient extends DomainClient<Poll> {
  /** `poll:create`; resolves with the new poll's id (throws on a refusal). */
  create(question: string, options: string[], multiple?: boolean): Promise<string>;
}

/** Keeps the newest copy; `mine`, absent from an update, keeps its value. */
export function mergePoll(view: Map<string, Poll>, p: Poll) {
  const cur = view.get(p.id);
  if (cur && p.rev < cur.rev) return;
  view.set(p.id, p.mine === undefined && cur?.mine !== undefined ? { ...p, mine: cur.mine } : p);
}

export function connectP(url: string, auth: Record<string, unknown>): Promise<PClient> {
  return connectDomain<Poll, Pick<PClient, 'create'>>(url, auth, { snapshot: 'polls', update: 'poll', merge: mergePoll }, (c) => ({
    async create(question, options, multiple) {
      const ack = await c.send('poll:create', { question, options, ...(multiple === undefined ? {} : { multiple }) });
      if (!ack.ok) throw new Error(`poll:create refused: ${ack.error.code} ${ack.error.message}`);
      return (ack.data as { id: string }).id;
    },
  }));
}
