/**
 * Questions on the moderator's tablet: the pre/post-moderation switch, the pending queue
 * (approve / dismiss), the live list by votes (show on the projector, mark answered), and the
 * answered and dismissed ones (put back). Every action reports through the outcome line.
 * The tablet joins with the head of each list (PROTOCOL v2: 500 pending, 100 others); each list
 * loads its next page as it is scrolled to its end. Every list follows the server's ranking.
 */
import { QuestionText } from '../../components/QuestionText.tsx';
import { useMemo, type ReactNode } from 'react';
import type { Question } from '../../../../shared/questions.ts';
import { MoreQuestions } from '../../components/MoreQuestions.tsx';
import { isolate, pluralKey, useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { byVotes, moderate, setModeration, showOnProjector, useQuestions, type PagedList } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import { SegButton } from './SegGroup.tsx';
import './questions-panel.css';

export function QuestionsPanel() {
  const t = useT();
  const byId = useQuestions((s) => s.byId);
  const { pending, live, answered, dismissed } = useMemo(() => {
    const all = Object.values(byId);
    // Pending ones have no votes: the ranking puts the oldest first.
    return {
      pending: byVotes(all.filter((q) => q.status === 'pending')),
      live: byVotes(all.filter((q) => q.status === 'live')),
      answered: byVotes(all.filter((q) => q.status === 'answered')),
      dismissed: byVotes(all.filter((q) => q.status === 'dismissed')),
    };
  }, [byId]);
  const moreAnswered = useQuestions((s) => s.pagers.answered?.done === false);
  const moreDismissed = useQuestions((s) => s.pagers.dismissed?.done === false);

  return (
    <section className="mod-card mq-panel" aria-labelledby="mq-h" data-testid="questions-panel">
      <div className="mq-head">
        <h2 id="mq-h" className="mod-h">
          {t('q.questions')}
        </h2>
        <ModerationSwitch />
      </div>

      <section aria-labelledby="mq-pending-h" className="mq-group">
        <h3 id="mq-pending-h" className="mq-h">
          {t('mq.waiting')} <Count list="pending" held={pending.length} testId="pending-count" />
        </h3>
        {pending.length === 0 ? (
          <p className="mq-empty">{t('mq.nothingWaiting')}</p>
        ) : (
          <ol className="mq-list">
            {pending.map((q) => (
              <QuestionRow key={q.id} q={q}>
                <button type="button" className="btn btn-primary" onClick={() => void moderate(q.id, 'live')} data-testid={`approve-${q.id}`}>
                  <span aria-hidden="true">✓</span> {t('mq.approve')}
                </button>
                <button type="button" className="btn" onClick={() => void moderate(q.id, 'dismissed')} data-testid={`dismiss-${q.id}`}>
                  <span aria-hidden="true">✕</span> {t('mq.dismiss')}
                </button>
              </QuestionRow>
            ))}
          </ol>
        )}
        <MoreQuestions list="pending" />
      </section>

      <section aria-labelledby="mq-live-h" className="mq-group">
        <h3 id="mq-live-h" className="mq-h">
          {t('mq.live')} <Count list="live" held={live.length} />
        </h3>
        {live.length === 0 ? (
          <p className="mq-empty">{t('mq.noLive')}</p>
        ) : (
          <ol className="mq-list">
            {live.map((q) => (
              <QuestionRow key={q.id} q={q} votes>
                <ShowButton q={q} />
                <button type="button" className="btn" onClick={() => void moderate(q.id, 'answered')} data-testid={`answered-${q.id}`}>
                  <span aria-hidden="true">✓</span> {t('q.answered')}
                </button>
                <button type="button" className="btn mq-quiet" onClick={() => void moderate(q.id, 'dismissed')} aria-label={t('mq.dismiss')}>
                  <span aria-hidden="true">✕</span>
                </button>
              </QuestionRow>
            ))}
          </ol>
        )}
        <MoreQuestions list="live" />
      </section>

      {(answered.length > 0 || moreAnswered) && (
        <details className="mq-group mq-fold">
          <summary className="mq-h mq-summary">
            {t('q.answered')} <Count list="answered" held={answered.length} />
          </summary>
          <ol className="mq-list">
            {answered.map((q) => (
              <QuestionRow key={q.id} q={q} votes>
                <ShowButton q={q} />
                <button type="button" className="btn" onClick={() => void moderate(q.id, 'live')}>
                  {t('mq.backToLive')}
                </button>
              </QuestionRow>
            ))}
          </ol>
          <MoreQuestions list="answered" />
        </details>
      )}
      {(dismissed.length > 0 || moreDismissed) && (
        <details className="mq-group mq-fold">
          <summary className="mq-h mq-summary">
            {t('mq.dismissed')} <Count list="dismissed" held={dismissed.length} />
          </summary>
          <ol className="mq-list">
            {dismissed.map((q) => (
              <QuestionRow key={q.id} q={q}>
                <button type="button" className="btn" onClick={() => void moderate(q.id, 'live')}>
                  {t('mq.restore')}
                </button>
              </QuestionRow>
            ))}
          </ol>
          <MoreQuestions list="dismissed" />
        </details>
      )}
    </section>
  );
}

/** A list's count: what the tablet holds, "100+" while more may wait on the server. */
function Count({ list, held, testId }: { list: PagedList; held: number; testId?: string }) {
  const t = useT();
  const more = useQuestions((s) => s.pagers[list]?.done === false);
  return (
    <span className="mq-count" data-testid={testId}>
      {more ? t('q.atLeast', { n: held }) : held}
    </span>
  );
}

function ModerationSwitch() {
  const mode = useStore((s) => s.live?.event.moderation);
  const busy = useStore((s) => (s.pending.moderation ?? 0) > 0);
  const t = useT();
  return (
    <div className="mod-row mod-seg mq-switch" role="group" aria-label={t('mq.moderation')}>
      {(['pre', 'post'] as const).map((m) => (
        <SegButton
          key={m}
          pressed={mode === m}
          pending={busy}
          onClick={() => void setModeration(m)}
          data-testid={`moderation-${m}`}
          title={m === 'pre' ? t('mq.preHelp') : t('mq.postHelp')}
        >
          {m === 'pre' ? t('mq.pre') : t('mq.post')}
        </SegButton>
      ))}
    </div>
  );
}

function ShowButton({ q }: { q: Question }) {
  const shown = useStore((s) => s.live?.projector.mode === 'question' && s.live.projector.questionId === q.id);
  const t = useT();
  return (
    <button
      type="button"
      className={`btn mq-show${shown ? ' is-shown' : ''}`}
      aria-pressed={shown}
      onClick={() => void showOnProjector(q.id)}
      data-testid={`show-${q.id}`}
    >
      <span aria-hidden="true">▣</span> {shown ? t('mq.shown') : t('mq.show')}
    </button>
  );
}

function QuestionRow({ q, votes = false, children }: { q: Question; votes?: boolean; children: ReactNode }) {
  const table = useStore((s) => (q.table ? s.live?.event.tables.find((x) => x.id === q.table)?.name : undefined));
  const item = useStore((s) => (q.itemId ? s.live?.agenda.find((i) => i.id === q.itemId) : undefined));
  const floor = useStore((s) => s.live?.event.languages[0]);
  const t = useT();
  const ui = useUiLanguage();
  return (
    <li className={`mq-row is-${q.status}`} data-testid={`mq-${q.status}-${q.id}`} data-question-id={q.id}>
      {votes && (
        // A span may not carry an aria-label (axe: aria-prohibited-attr): the words are hidden text.
        <span className="mq-votes">
          <span aria-hidden="true" data-testid={`votes-${q.id}`}>
            {q.votes}
          </span>
          <span className="visually-hidden">{t(pluralKey('q.votes', q.votes), { n: q.votes })}</span>
        </span>
      )}
      <div className="mq-body">
        <QuestionText q={q} className="mq-text" layout="moderator" testId={`mq-text-${q.id}`} />
        <p className="mq-meta">
          {q.author && (
            <bdi dir="auto" className="mq-author">
              {q.author}
            </bdi>
          )}
          <span>{table ? <bdi dir="auto">{table}</bdi> : t('mod.noTable')}</span>
          {q.lang !== floor && <span className="mq-lang">{languageName(q.lang, ui)}</span>}
          <span>{item ? t('q.toSpeaker', { name: isolate(item.speaker || item.delegation) }) : t('q.toAll')}</span>
        </p>
        <div className="mq-actions">{children}</div>
      </div>
    </li>
  );
}
