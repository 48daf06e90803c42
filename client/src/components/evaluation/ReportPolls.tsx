/** The report's polls, in creation order: each question, how it was asked, and its results as bars. */
import type { ReportPoll } from '../../../../shared/polls.ts';
import { pluralKey, useT, type MessageKey } from '../../i18n/index.ts';
import { PollResults } from '../polls/PollResults.tsx';

const statusWords: Record<ReportPoll['status'], MessageKey> = { draft: 'mp.status.draft', open: 'mp.status.open', closed: 'mp.status.closed' };

export function ReportPolls({ polls }: { polls: ReportPoll[] }) {
  const t = useT();
  if (polls.length === 0) return <p>{t('rep.noPolls')}</p>;
  return (
    <ol className="rp-polls" data-testid="report-polls">
      {polls.map((p) => (
        <li key={p.id} className="rp-poll" data-poll-id={p.id}>
          <h3 className="rp-h3" dir="auto">
            {p.question}
          </h3>
          <p className="rp-poll-meta">
            {t(statusWords[p.status])} · {p.multiple ? t('mp.multiple') : t('mp.single')} · {t(pluralKey('poll.ballots', p.total), { n: p.total })}
          </p>
          <PollResults poll={p} results={p.results} />
        </li>
      ))}
    </ol>
  );
}
