/**
 * Projector `poll` mode: the question in very large type; until the moderator reveals the results,
 * an invitation to vote on the phones with the count of ballots; once revealed, the results as
 * large bars, each with its count and share written out. While it is open and hidden, the join
 * code in a corner (`joinCorner`) for latecomers. With a machine translation (`Poll.translation`,
 * into the floor language: the poll's own, so only when a poll comes from another language), the
 * translation is shown, labelled machine, the original below. A poll the projector does not hold
 * gives way to `fallback` (the queue).
 */
import type { ComponentType } from 'react';
import { PollResults } from '../../components/polls/PollResults.tsx';
import { pluralKey, useT } from '../../i18n/index.ts';
import { usePolls } from '../../store/polls.ts';
import { useStore } from '../../store/store.ts';
import './poll-screen.css';

export function PollScreen({ fallback: Fallback, joinCorner: JoinCorner }: { fallback: ComponentType; joinCorner: ComponentType }) {
  const t = useT();
  const id = useStore((s) => s.live?.projector.pollId ?? null);
  const asSent = usePolls((s) => (id ? s.byId[id] : undefined));
  if (!asSent) return <Fallback />;
  const tr = asSent.translation ?? null;
  const poll = tr ? { ...asSent, question: tr.question, options: tr.options } : asSent;
  const long = poll.question.length > 120;
  // Six answers or more go in two columns: ten bars still fit the screen without scrolling.
  const many = poll.options.length > 5 ? ' is-many' : '';
  const voting = !poll.revealed && poll.status === 'open';
  return (
    <div className={`proj-poll${many}`} data-testid="projector-poll" data-poll-id={poll.id} data-revealed={poll.revealed}>
      <header className="proj-poll-head">
        <p className="proj-label">{t('poll.label')}</p>
        <p className="proj-poll-count" data-testid="projector-poll-total">
          {t(pluralKey('poll.ballots', poll.total), { n: poll.total })}
          {poll.status === 'closed' && ` · ${t('poll.closed')}`}
        </p>
      </header>
      <p className={`proj-poll-question${long ? ' is-long' : ''}`} dir="auto" lang={tr?.lang} data-testid="projector-poll-question">
        {poll.question}
      </p>
      {tr && (
        <p className="proj-poll-original" data-testid="projector-poll-original">
          <span className="proj-poll-machine">{t('poll.machine')}</span> <bdi dir="auto">{asSent.question}</bdi>
        </p>
      )}
      {poll.revealed && poll.results ? (
        <PollResults poll={poll} results={poll.results} className="proj-poll-results" />
      ) : (
        <ol className="proj-poll-options">
          {poll.options.map((o, n) => (
            <li key={n} dir="auto" lang={tr?.lang}>
              {o}
              {tr && (
                <span className="proj-poll-option-original" dir="auto">
                  {asSent.options[n]}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
      {voting && (
        <footer className="proj-poll-foot">
          <p className="proj-poll-invite">{t('poll.voteOnPhone')}</p>
          <JoinCorner />
        </footer>
      )}
    </div>
  );
}
