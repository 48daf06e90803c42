/**
 * Questions on the moderator's tablet: the pre/post-moderation switch, the pending queue
 * (approve / dismiss), the live list by votes (show on the projector, mark answered), and the
 * answered and dismissed ones (put back). Every action reports through the outcome line.
 */
import { useMemo, type ReactNode } from 'react';
import type { Question } from '../../../../shared/questions.ts';
import { isolate, pluralKey, useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { byVotes, moderate, newestFirst, setModeration, showOnProjector, useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import { SegButton } from './SegGroup.tsx';
import './questions-panel.css';

export function QuestionsPanel() {
  const t = useT();
  const byId = useQuestions((s) => s.byId);
  const { pending, live, answered, dismissed } = useMemo(() => {
    const all = Object.values(byId);
    return {
      pending: [...all.filter((q) => q.status === 'pending')].sort((a, b) => a.createdAt - b.createdAt),
      live: byVotes(all.filter((q) => q.status === 'live')),
      answered: newestFirst(all.filter((q) => q.status === 'answered')),
      dismissed: newestFirst(all.filter((q) => q.status === 'dismissed')),
    };
  }, [byId]);

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
          {t('mq.waiting')} <span className="mq-count" data-testid="pending-count">{pending.length}</span>
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
      </section>

      <section aria-labelledby="mq-live-h" className="mq-group">
        <h3 id="mq-live-h" className="mq-h">
          {t('mq.live')} <span className="mq-count">{live.length}</span>
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
      </section>

      {answered.length > 0 && (
        <details className="mq-group mq-fold">
          <summary className="mq-h mq-summary">
            {t('q.answered')} <span className="mq-count">{answered.length}</span>
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
        </details>
      )}
      {dismissed.length > 0 && (
        <details className="mq-group mq-fold">
          <summary className="mq-h mq-summary">
            {t('mq.dismissed')} <span className="mq-count">{dismissed.length}</span>
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
        </details>
      )}
    </section>
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
        <span className="mq-votes" aria-label={t(pluralKey('q.votes', q.votes), { n: q.votes })} data-testid={`votes-${q.id}`}>
          {q.votes}
        </span>
      )}
      <div className="mq-body">
        <p className="mq-text" dir="auto">
          {q.text}
        </p>
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
