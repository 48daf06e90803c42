/**
 * A poll's results as bars: each option's words, its count and share written out (never carried by
 * the bar alone), the bar's length its share of the ballots. Used by the phone, the tablet, the
 * projector and the report; `mine` marks the reader's own choices.
 */
import type { Poll } from '../../../../shared/polls.ts';
import { useT } from '../../i18n/index.ts';
import './polls.css';

export function PollResults({ poll, results, mine, className = '' }: { poll: Pick<Poll, 'id' | 'options' | 'total'>; results: number[]; mine?: number[]; className?: string }) {
  const t = useT();
  const total = poll.total;
  return (
    <ol className={`poll-results ${className}`} data-testid={`poll-results-${poll.id}`}>
      {poll.options.map((option, n) => {
        const count = results[n] ?? 0;
        const pct = total > 0 ? Math.round((count / total) * 100) : 0;
        const chosen = mine?.includes(n) ?? false;
        return (
          <li key={n} className={`poll-result${chosen ? ' is-mine' : ''}`}>
            <div className="poll-result-line">
              <span className="poll-result-option" dir="auto">
                {option}
              </span>
              <span className="poll-result-figures" dir="ltr">
                {t('poll.share', { n: count, pct })}
              </span>
            </div>
            <div className="poll-bar" aria-hidden="true">
              <div className="poll-bar-fill" style={{ inlineSize: `${pct}%` }} />
            </div>
            {chosen && <span className="poll-result-mine">{t('poll.yourChoice')}</span>}
          </li>
        );
      })}
    </ol>
  );
}
