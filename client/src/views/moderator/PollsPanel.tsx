/**
 * Polls on the moderator's tablet: create one in a few seconds (a question, 2–10 answers, one or
 * several choices), then open, close, reveal it to the room and put it on the projector; the live
 * bars are the moderator's from the first ballot (the room sees them once revealed). Every action
 * reports through the outcome line.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Poll } from '../../../../shared/polls.ts';
import { POLL_LIMITS } from '../../../../shared/poll-limits.ts';
import { PollResults } from '../../components/polls/PollResults.tsx';
import { QuestionText } from '../../components/QuestionText.tsx';
import { pluralKey, useT, type MessageKey } from '../../i18n/index.ts';
import { createPoll, setPollStatus, showPoll } from '../../store/poll-commands.ts';
import { inOrder, usePolls } from '../../store/polls.ts';
import { useStore } from '../../store/store.ts';
import './polls-panel.css';

const statusWords: Record<Poll['status'], MessageKey> = { draft: 'mp.status.draft', open: 'mp.status.open', closed: 'mp.status.closed' };

export function PollsPanel() {
  const t = useT();
  const byId = usePolls((s) => s.byId);
  const polls = inOrder(byId).reverse();
  return (
    <section className="mod-card mp-panel" aria-labelledby="mp-h" data-testid="polls-panel">
      <h2 id="mp-h" className="mod-h">
        {t('mp.polls')}
      </h2>
      <NewPoll />
      {polls.length === 0 ? (
        <p className="mp-empty">{t('mp.none')}</p>
      ) : (
        <ol className="mp-list">
          {polls.map((p) => (
            <PollRow key={p.id} poll={p} />
          ))}
        </ol>
      )}
    </section>
  );
}

function NewPoll() {
  const t = useT();
  const id = useId();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [multiple, setMultiple] = useState(false);
  const busy = useStore((s) => (s.pending['poll:create'] ?? 0) > 0);
  const filled = options.map((o) => o.trim()).filter(Boolean);
  const ready = question.trim().length > 0 && filled.length >= POLL_LIMITS.minOptions;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    if (await createPoll(question.trim(), filled, multiple)) {
      setQuestion('');
      setOptions(['', '']);
      setMultiple(false);
    }
  }

  return (
    <form className="mp-new" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-h`} data-testid="poll-new">
      <h3 id={`${id}-h`} className="mp-h">
        {t('mp.new')}
      </h3>
      <label className="mp-field">
        <span>{t('mp.question')}</span>
        <input
          className="input"
          value={question}
          maxLength={POLL_LIMITS.questionChars}
          onChange={(e) => setQuestion(e.target.value)}
          dir="auto"
          data-testid="poll-question"
        />
      </label>
      <ol className="mp-options">
        {options.map((o, n) => (
          <li key={n} className="mp-option">
            <label className="mp-field">
              <span>{t('mp.option', { n: n + 1 })}</span>
              <input
                className="input"
                value={o}
                maxLength={POLL_LIMITS.optionChars}
                onChange={(e) => setOptions((all) => all.map((x, i) => (i === n ? e.target.value : x)))}
                dir="auto"
                data-testid={`poll-option-input-${n}`}
              />
            </label>
            {options.length > POLL_LIMITS.minOptions && (
              <button
                type="button"
                className="btn mp-remove"
                aria-label={t('mp.removeOption', { n: n + 1 })}
                onClick={() => setOptions((all) => all.filter((_, i) => i !== n))}
              >
                <span aria-hidden="true">✕</span>
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="mp-row">
        {options.length < POLL_LIMITS.maxOptions && (
          <button type="button" className="btn" onClick={() => setOptions((all) => [...all, ''])} data-testid="poll-add-option">
            <span aria-hidden="true">+</span> {t('mp.addOption')}
          </button>
        )}
        <label className="mp-check">
          <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.target.checked)} data-testid="poll-multiple" />
          <span>{t('mp.multiple')}</span>
        </label>
      </div>
      <button type="submit" className="btn btn-primary" disabled={!ready || busy} data-testid="poll-create">
        {t('mp.create')}
      </button>
    </form>
  );
}

function PollRow({ poll }: { poll: Poll }) {
  const t = useT();
  const busy = useStore((s) => (s.pending[`poll:${poll.id}`] ?? 0) > 0);
  const shown = useStore((s) => s.live?.projector.mode === 'poll' && s.live.projector.pollId === poll.id);
  // Written in the floor language; a tablet reading another gets a machine translation below it.
  const floor = useStore((s) => s.live?.event.languages[0] ?? '');
  const tr = poll.translation ?? null;
  return (
    <li className={`mp-row-poll is-${poll.status}`} data-testid={`mp-poll-${poll.id}`} data-status={poll.status}>
      <QuestionText
        q={{ id: poll.id, text: poll.question, lang: floor, translation: tr ? { lang: tr.lang, text: tr.question } : null }}
        className="mp-question"
        layout="moderator"
        testId={`mp-text-poll-${poll.id}`}
      />
      <p className="mp-meta">
        <span className={`mp-status is-${poll.status}`}>{t(statusWords[poll.status])}</span>
        <span>{poll.multiple ? t('mp.multiple') : t('mp.single')}</span>
        <span>{t(pluralKey('poll.ballots', poll.total), { n: poll.total })}</span>
        <span>{poll.revealed ? t('mp.revealed') : t('mp.hidden')}</span>
      </p>
      {poll.results && <PollResults poll={poll} results={poll.results} />}
      <div className="mp-actions">
        {poll.status !== 'open' && (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void setPollStatus(poll.id, 'open')} data-testid={`poll-open-${poll.id}`}>
            {t('mp.open')}
          </button>
        )}
        {poll.status === 'open' && (
          <button type="button" className="btn" disabled={busy} onClick={() => void setPollStatus(poll.id, 'close')} data-testid={`poll-close-${poll.id}`}>
            {t('mp.close')}
          </button>
        )}
        {!poll.revealed && (
          <button type="button" className="btn" disabled={busy} onClick={() => void setPollStatus(poll.id, 'reveal')} data-testid={`poll-reveal-${poll.id}`}>
            {t('mp.reveal')}
          </button>
        )}
        <button
          type="button"
          className={`btn mp-show${shown ? ' is-shown' : ''}`}
          aria-pressed={shown}
          onClick={() => void showPoll(poll.id)}
          data-testid={`poll-show-${poll.id}`}
        >
          <span aria-hidden="true">▣</span> {shown ? t('mq.shown') : t('mq.show')}
        </button>
      </div>
    </li>
  );
}
