/**
 * The phone's questions: ask (text box at the bottom, within thumb reach; an outbox keeps what
 * was typed offline), the live list by votes or newest with one-tap votes, and the panels'
 * buttons for the bottom bar. Text the audience wrote is text, never HTML, with dir="auto".
 * The phone joins with the head of the list (50 questions, PROTOCOL v2) and loads the rest as
 * the guest scrolls to its end (components/MoreQuestions.tsx).
 */
import { QuestionText } from '../../components/QuestionText.tsx';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Question } from '../../../../shared/questions.ts';
import { isolate, pluralKey, useT, useUiLanguage, type Translate } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { readJson, writeJson } from '../../lib/storage.ts';
import { ask, byVotes, newestFirst, toggleVote, useQuestions, type OutboxEntry } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import { MoreQuestions } from '../../components/MoreQuestions.tsx';
import type { AudiencePanelName } from './AudienceButtons.tsx';
import { RateSheet } from './Rate.tsx';
import { Sheet } from './Sheet.tsx';
import './questions.css';


const TEXT_MAX = 500;
const AUTHOR_MAX = 60;
const AUTHOR_KEY = 'tribune.author';

/** The three sheets of the bottom bar's Ask / Questions / Rate buttons (a chunk of its own, loaded when one opens). */
export default function AudiencePanel({ panel, lang, onClose }: { panel: AudiencePanelName; lang: string; onClose(): void }) {
  const t = useT();
  const title = panel === 'ask' ? t('q.askTitle') : panel === 'questions' ? t('q.questions') : t('q.rate');
  return (
    <Sheet title={title} onClose={onClose} headingId="aq-sheet-h" className={`aq-sheet aq-${panel}`} focusHeading={panel !== 'ask'} focusKey={title}>
      <Notice />
      {panel === 'ask' && <AskSheet lang={lang} />}
      {panel === 'questions' && <QuestionList lang={lang} />}
      {panel === 'rate' && <RateSheet />}
    </Sheet>
  );
}

function Notice() {
  const notice = useQuestions((s) => s.notice);
  const [shown, setShown] = useState<number | null>(null);
  useEffect(() => {
    if (!notice) return;
    setShown(notice.seq);
    const timer = setTimeout(() => setShown(null), 8000);
    return () => clearTimeout(timer);
  }, [notice]);
  return (
    <p className="aq-notice" role="status" aria-live="polite">
      {notice && shown === notice.seq ? notice.text : ''}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// Ask

function AskSheet({ lang }: { lang: string }) {
  const t = useT();
  const stageItem = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId) ?? null);
  const connected = useStore((s) => s.conn.status === 'connected');
  const [text, setText] = useState('');
  const [author, setAuthor] = useState(() => readJson<string>(AUTHOR_KEY) ?? '');
  const [toAll, setToAll] = useState(false);
  const [lastId, setLastId] = useState<string | null>(null);
  const last = useQuestions((s) => (lastId ? s.byId[lastId] : undefined));
  const lastWaiting = useQuestions((s) => (lastId ? s.outbox.some((e) => e.id === lastId) : false));
  const textRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => textRef.current?.focus({ preventScroll: true }), []);

  const trimmed = text.trim();
  const over = text.length - TEXT_MAX;
  const target = toAll || !stageItem ? null : stageItem.id;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!trimmed || over > 0) return;
    writeJson(AUTHOR_KEY, author.trim());
    setLastId(ask(trimmed, target, author.slice(0, AUTHOR_MAX)));
    setText('');
  }

  return (
    <div className="aq-ask">
      <MyQuestions lang={lang} />
      <form className="aq-form surface-box" onSubmit={submit} data-testid="ask-form">
        <label htmlFor="aq-text" className="aq-label">
          {t('q.yourQuestion')}
        </label>
        <textarea
          id="aq-text"
          ref={textRef}
          className="input aq-text"
          dir="auto"
          rows={3}
          value={text}
          placeholder={t('q.placeholder')}
          onChange={(e) => {
            setText(e.target.value);
            setLastId(null);
          }}
          aria-describedby="aq-count"
          aria-invalid={over > 0 || undefined}
          data-testid="ask-text"
        />
        <p id="aq-count" className={`aq-count${over > 0 ? ' is-over' : ''}`}>
          {over > 0 ? t('q.tooLong', { n: over }) : t('q.charsLeft', { n: TEXT_MAX - text.length })}
        </p>
        {stageItem && (
          <fieldset className="aq-about">
            <legend className="aq-label">{t('q.about')}</legend>
            <label className="aq-choice">
              <input type="radio" name="aq-about" checked={!toAll} onChange={() => setToAll(false)} />
              <bdi dir="auto">{stageItem.speaker || stageItem.delegation || stageItem.title}</bdi>
            </label>
            <label className="aq-choice">
              <input type="radio" name="aq-about" checked={toAll} onChange={() => setToAll(true)} data-testid="ask-to-all" />
              {t('q.wholeDebate')}
            </label>
          </fieldset>
        )}
        <label htmlFor="aq-author" className="aq-label">
          {t('q.yourName')}
        </label>
        <input
          id="aq-author"
          className="input"
          dir="auto"
          maxLength={AUTHOR_MAX}
          value={author}
          onChange={(e) => setAuthor(e.target.value)}
          autoComplete="name"
        />
        <button type="submit" className="btn btn-primary btn-block aq-send" disabled={!trimmed || over > 0} data-testid="ask-send">
          {connected ? t('q.send') : t('q.sendLater')}
        </button>
        <p className="aq-sent" role="status" aria-live="polite" data-testid="ask-status">
          {last ? (last.status === 'pending' ? t('q.sentPending') : t('q.sentLive')) : lastWaiting ? (connected ? t('q.sending') : t('q.savedOffline')) : ''}
        </p>
      </form>
    </div>
  );
}

/** The device's own questions: waiting in the outbox, awaiting moderation, live, answered. */
function MyQuestions({ lang }: { lang: string }) {
  const t = useT();
  const outbox = useQuestions((s) => s.outbox);
  const byId = useQuestions((s) => s.byId);
  const mine = useMemo(
    () => newestFirst(Object.values(byId).filter((q) => q.mine && q.status !== 'dismissed')),
    [byId],
  );
  const waiting = outbox.filter((e) => !byId[e.id]);
  if (mine.length === 0 && waiting.length === 0) return null;
  return (
    <section className="aq-mine" aria-labelledby="aq-mine-h">
      <h3 id="aq-mine-h" className="aq-h">
        {t('q.yourQuestions')}
      </h3>
      <ul className="aq-list">
        {waiting.map((e) => (
          <OutboxItem key={e.id} entry={e} t={t} />
        ))}
        {mine.map((q) => (
          <QuestionItem key={q.id} q={q} lang={lang} t={t} />
        ))}
      </ul>
    </section>
  );
}

function OutboxItem({ entry, t }: { entry: OutboxEntry; t: Translate }) {
  return (
    <li className="aq-item surface-box is-outbox" data-testid="outbox-item">
      <div className="aq-body">
        <p className="aq-text-line" dir="auto">
          {entry.text}
        </p>
        <p className="aq-meta">
          <span className="aq-tag aq-tag-wait">
            <span aria-hidden="true">◷ </span>
            {t('q.notSentYet')}
          </span>
        </p>
      </div>
    </li>
  );
}

// ---------------------------------------------------------------------------------------------
// The list

function QuestionList({ lang }: { lang: string }) {
  const t = useT();
  const [tab, setTab] = useState<'top' | 'newest'>('top');
  const byId = useQuestions((s) => s.byId);
  const loaded = useQuestions((s) => s.loaded);
  const more = useQuestions((s) => s.pagers.public?.done === false);
  // Live and answered together, as the server ranks them (answered ones are marked): loading the
  // next page extends the list at its end.
  const { pending, top, newest } = useMemo(() => {
    const list = Object.values(byId);
    const shown = list.filter((q) => q.status === 'live' || q.status === 'answered');
    return {
      pending: newestFirst(list.filter((q) => q.mine && q.status === 'pending')),
      top: byVotes(shown),
      newest: newestFirst(shown),
    };
  }, [byId]);

  return (
    <div className="aq-questions">
      <div className="aq-tabs" role="group" aria-label={t('q.questions')}>
        {(['top', 'newest'] as const).map((name) => (
          <button
            key={name}
            type="button"
            className="btn aq-tab"
            aria-pressed={tab === name}
            onClick={() => setTab(name)}
            data-testid={`questions-tab-${name}`}
          >
            {name === 'top' ? t('q.top') : t('q.newest')}
          </button>
        ))}
      </div>
      {pending.length > 0 && (
        <ul className="aq-list" aria-label={t('q.awaiting')}>
          {pending.map((q) => (
            <QuestionItem key={q.id} q={q} lang={lang} t={t} />
          ))}
        </ul>
      )}
      {loaded && top.length === 0 && !more ? (
        <p className="aq-empty">{t('q.none')}</p>
      ) : (
        <ul className="aq-list" data-testid="question-list">
          {(tab === 'top' ? top : newest).map((q) => (
            <QuestionItem key={q.id} q={q} lang={lang} t={t} />
          ))}
        </ul>
      )}
      <MoreQuestions list="public" className="aq-more" />
    </div>
  );
}

function QuestionItem({ q, lang, t }: { q: Question; lang: string; t: Translate }) {
  const ui = useUiLanguage();
  const table = useStore((s) => (q.table ? s.live?.event.tables.find((x) => x.id === q.table)?.name : undefined));
  const item = useStore((s) => (q.itemId ? s.live?.agenda.find((i) => i.id === q.itemId) : undefined));
  const busy = useQuestions((s) => s.voting[q.id] === true);
  const votable = q.status === 'live';
  const votes = t(pluralKey('q.votes', q.votes), { n: q.votes });
  return (
    <li
      className={`aq-item surface-box is-${q.status}${q.mine ? ' is-mine' : ''}`}
      data-testid="question-item"
      data-question-id={q.id}
      data-status={q.status}
    >
      <div className="aq-body">
        <QuestionText q={q} className="aq-text-line" layout="tap" testId="question-text" />
        <p className="aq-meta">
          {q.status === 'pending' && q.mine && (
            <span className="aq-tag aq-tag-wait" data-testid="awaiting">
              <span aria-hidden="true">◷ </span>
              {t('q.awaiting')}
            </span>
          )}
          {q.status === 'answered' && (
            <span className="aq-tag aq-tag-answered">
              <span aria-hidden="true">✓ </span>
              {t('q.answered')}
            </span>
          )}
          {q.mine && q.status !== 'pending' && <span className="aq-tag">{t('q.yours')}</span>}
          {q.lang !== lang && (
            <span className="aq-tag aq-lang" title={t('q.inLanguage', { lang: languageName(q.lang, ui) })} lang={q.lang}>
              <span aria-hidden="true">{q.lang.toUpperCase()}</span>
              <span className="visually-hidden">{t('q.inLanguage', { lang: languageName(q.lang, ui) })}</span>
            </span>
          )}
          {q.author && (
            <bdi dir="auto" className="aq-author">
              {q.author}
            </bdi>
          )}
          {table && <span>{t('q.table', { name: isolate(table) })}</span>}
          <span>{item ? t('q.toSpeaker', { name: isolate(item.speaker || item.delegation) }) : t('q.toAll')}</span>
        </p>
      </div>
      {q.status !== 'pending' && (
        <button
          type="button"
          className={`btn aq-vote${q.voted ? ' is-voted' : ''}`}
          aria-pressed={q.voted === true}
          disabled={!votable}
          aria-busy={busy || undefined}
          onClick={() => void toggleVote(q.id)}
          data-testid="vote-button"
        >
          <span aria-hidden="true" className="aq-vote-arrow">
            ▲
          </span>
          {/* Named by its words (which hold the count shown), not by an aria-label the count is no part of. */}
          <span className="aq-vote-n" data-testid="vote-count" aria-hidden="true">
            {q.votes}
          </span>
          <span className="visually-hidden">{q.voted ? t('q.withdraw', { votes }) : t('q.upvote', { votes })}</span>
        </button>
      )}
    </li>
  );
}
