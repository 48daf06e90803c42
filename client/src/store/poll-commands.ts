/**
 * The moderator's poll actions, through run() (store/commands.ts), so the outcome line says what
 * happened. Apart from store/polls.ts: the phone's bundle carries neither these nor run().
 */
import { isolate, t } from '../i18n/index.ts';
import { run } from './commands.ts';
import { polls } from './polls.ts';

/** Creates a draft; resolves true once the server stored it (else the outcome line says why). */
export async function createPoll(question: string, options: string[], multiple: boolean): Promise<boolean> {
  return run('poll:create', t('mp.createLabel', { text: isolate(question.slice(0, 40)) }), 'poll:create', { question, options, multiple });
}

const actionLabel = { open: 'mp.openLabel', close: 'mp.closeLabel', reveal: 'mp.revealLabel' } as const;

export function setPollStatus(id: string, action: 'open' | 'close' | 'reveal'): Promise<boolean> {
  const p = polls.get().byId[id];
  return run(`poll:${id}`, t(actionLabel[action], { text: isolate((p?.question ?? '').slice(0, 40)) }), `poll:${action}`, { id });
}

export const showPoll = (id: string) =>
  run('projector', t('mod.projectorIs', { mode: t('mod.mode.poll') }), 'projector:show', { mode: 'poll', pollId: id }, { optimistic: { mode: 'poll' }, repeatable: true });
