/**
 * Projector `question` mode: the highlighted question in very large type with its votes, its
 * table and whom it addresses; the speaker and timer in a corner. A question the projector cannot
 * show (not received yet, or dismissed) gives way to `fallback` (the queue).
 * Also `TopQuestions`: the most voted live questions, under the queue's running order.
 */
import { QuestionText } from '../../components/QuestionText.tsx';
import { useMemo, type ComponentType } from 'react';
import type { Question } from '../../../../shared/questions.ts';
import { Timer } from '../../components/Timer.tsx';
import { isolate, pluralKey, useT } from '../../i18n/index.ts';
import { byVotes, useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import './question-screen.css';

/** Very long questions get smaller type so they still fit without scrolling. */
function sizeClass(text: string): string {
  if (text.length <= 90) return 'is-short';
  if (text.length <= 220) return 'is-medium';
  return 'is-long';
}

export function QuestionScreen({ fallback: Fallback }: { fallback: ComponentType }) {
  const t = useT();
  const id = useStore((s) => s.live?.projector.questionId ?? null);
  const q = useQuestions((s) => (id ? s.byId[id] : undefined));
  const table = useStore((s) => (q?.table ? s.live?.event.tables.find((x) => x.id === q.table)?.name : undefined));
  const addressed = useStore((s) => (q?.itemId ? s.live?.agenda.find((i) => i.id === q.itemId) : undefined));
  if (!q || (q.status !== 'live' && q.status !== 'answered')) return <Fallback />;
  return (
    <div className="proj-question" data-testid="projector-question" data-question-id={q.id}>
      <header className="proj-question-head">
        <p className="proj-label">{t('q.fromRoom')}</p>
        {q.status === 'answered' && (
          <p className="proj-question-answered">
            <span aria-hidden="true">✓ </span>
            {t('q.answered')}
          </p>
        )}
      </header>
      <main className="proj-question-main">
        <QuestionText q={q} className={`proj-question-text ${sizeClass(q.translation?.text ?? q.text)}`} layout="projector" testId="projector-question-text" />
      </main>
      <footer className="proj-question-foot">
        <p className="proj-question-votes" data-testid="projector-question-votes">
          <span aria-hidden="true">▲ </span>
          {t(pluralKey('q.votes', q.votes), { n: q.votes })}
        </p>
        <p className="proj-question-meta">
          {q.author && (
            <bdi dir="auto" className="proj-question-author">
              {q.author}
            </bdi>
          )}
          {table && <span>{t('q.table', { name: isolate(table) })}</span>}
          <span>
            {addressed ? t('q.toSpeaker', { name: isolate(addressed.speaker || addressed.delegation) }) : t('q.toAll')}
          </span>
        </p>
      </footer>
      <StageCorner />
    </div>
  );
}

function StageCorner() {
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const timer = useStore((s) => s.live?.stage.timer);
  if (!item || !timer) return null;
  return (
    <aside className="proj-question-corner">
      <p className="proj-question-corner-who">
        <bdi dir="auto">{item.speaker || item.delegation}</bdi>
      </p>
      <Timer timer={timer} className="proj-question-timer" />
    </aside>
  );
}

const liveTop = (byId: Record<string, Question>) => byVotes(Object.values(byId).filter((q) => q.status === 'live')).slice(0, 3);

/** What the top questions show (ids and texts, in order): the queue re-measures when it changes. */
export const useTopQuestionsKey = () => useQuestions((s) => liveTop(s.byId).map((q) => `${q.id}:${q.text}`).join('\u0000'));

/**
 * The most voted live questions (three at most, fewer when `max` says so: the queue gives them up
 * first when the speaker block needs the room), under the running order in `queue` mode.
 */
export function TopQuestions({ max = 3 }: { max?: number }) {
  const t = useT();
  const byId = useQuestions((s) => s.byId);
  const top = useMemo(() => liveTop(byId).slice(0, max), [byId, max]);
  if (top.length === 0) return null;
  return (
    <section className="proj-top-questions" aria-label={t('q.fromRoomList')} data-testid="projector-top-questions">
      <p className="proj-next-label">{t('q.fromRoomList')}</p>
      <ol className="proj-top-list">
        {top.map((q) => (
          <li key={q.id} data-question-id={q.id}>
            <span className="proj-top-votes" dir="ltr">
              <span aria-hidden="true">▲</span> {q.votes}
            </span>
            <span className="proj-top-text" dir="auto" lang={q.lang}>
              {q.text}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
