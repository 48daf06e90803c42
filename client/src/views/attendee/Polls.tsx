/**
 * The guest's polls, as cards above NOW: an open poll takes one tap (several choices: tick, then
 * Vote); the ballot can be changed while the poll is open; results appear once the moderator
 * reveals them. With a machine translation into the reader's language (`Poll.translation`), the
 * question and answers are shown translated, labelled machine, the original one tap away. A chunk of
 * its own, loaded when the first poll reaches the phone.
 */
import { useId, useState } from 'react';
import type { Poll } from '../../../../shared/polls.ts';
import { PollResults } from '../../components/polls/PollResults.tsx';
import { pluralKey, useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { phonePolls, usePolls, vote } from '../../store/polls.ts';
import { useStore } from '../../store/store.ts';
import '../../components/question-text.css';
import './polls.css';

export default function Polls() {
  const byId = usePolls((s) => s.byId);
  const shown = phonePolls(byId);
  return (
    <>
      {shown.map((p) => (
        <PollCard key={p.id} poll={p} />
      ))}
    </>
  );
}

function PollCard({ poll: asSent }: { poll: Poll }) {
  const t = useT();
  const ui = useUiLanguage();
  const headingId = useId();
  // The poll's language is the floor language (PROTOCOL "Machine translation on the box").
  const floor = useStore((s) => s.live?.event.languages[0]);
  const [original, setOriginal] = useState(false);
  const tr = asSent.translation ?? null;
  // Answers keep their order: a ballot names the same indexes, translated or not.
  const poll = tr && !original ? { ...asSent, question: tr.question, options: tr.options } : asSent;
  const textLang = tr && !original ? tr.lang : floor;
  const voting = usePolls((s) => !!s.voting[poll.id]);
  const refused = usePolls((s) => s.refused[poll.id]);
  const open = poll.status === 'open';
  const voted = !!poll.mine?.length;
  return (
    <section className="att-poll" aria-labelledby={headingId} data-testid={`poll-${poll.id}`} data-status={poll.status}>
      <p className="att-poll-label">
        {t('poll.label')} · {t(pluralKey('poll.ballots', poll.total), { n: poll.total })}
      </p>
      <h2 id={headingId} className="att-poll-question" dir="auto" lang={textLang} data-testid={`poll-question-${poll.id}`}>
        {poll.question}
      </h2>
      {tr && (
        <p className="qt-second att-poll-mt">
          {!original && <span className="qt-machine">{t('poll.machine')}</span>}{' '}
          <button type="button" className="btn-link qt-toggle" aria-pressed={original} onClick={() => setOriginal(!original)} data-testid={`poll-toggle-${poll.id}`}>
            {original ? t('mt.showTranslation') : t('mt.showOriginal', { language: floor ? languageName(floor, ui) : '' })}
          </button>
        </p>
      )}
      {poll.results ? (
        <PollResults poll={poll} results={poll.results} mine={poll.mine} />
      ) : open ? (
        poll.multiple ? (
          <ManyChoices poll={poll} busy={voting} lang={textLang} />
        ) : (
          <OneChoice poll={poll} busy={voting} lang={textLang} />
        )
      ) : null}
      {open && poll.results && <OpenAgain poll={poll} busy={voting} lang={textLang} />}
      <p className="att-poll-note" role="status" data-testid={`poll-note-${poll.id}`}>
        {refused ??
          (!open ? t('poll.closed') : voted ? t('poll.counted') : poll.multiple ? t('poll.chooseMany') : t('poll.chooseOne'))}
        {!poll.results && (voted || !open) && ` ${t('poll.resultsLater')}`}
      </p>
    </section>
  );
}

/** Revealed while still open: the results, and the choice can still change. */
function OpenAgain({ poll, busy, lang }: Choices) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  if (!editing) {
    return (
      <button type="button" className="btn att-poll-change" onClick={() => setEditing(true)}>
        {t('poll.change')}
      </button>
    );
  }
  return poll.multiple ? <ManyChoices poll={poll} busy={busy} lang={lang} /> : <OneChoice poll={poll} busy={busy} lang={lang} />;
}

/** The poll as shown (translated or not), and the language of its words. */
interface Choices {
  poll: Poll;
  busy: boolean;
  lang: string | undefined;
}

/** One tap votes; the chosen option stays pressed. */
function OneChoice({ poll, busy, lang }: Choices) {
  return (
    <div className="att-poll-options" role="group" aria-label={poll.question}>
      {poll.options.map((option, n) => {
        const chosen = poll.mine?.includes(n) ?? false;
        return (
          <button
            key={n}
            type="button"
            className={`btn att-poll-option${chosen ? ' is-chosen' : ''}`}
            aria-pressed={chosen}
            disabled={busy}
            onClick={() => void vote(poll.id, [n])}
            data-testid={`poll-option-${n}`}
          >
            <span aria-hidden="true" className="att-poll-tick">
              {chosen ? '●' : '○'}
            </span>
            <span dir="auto" lang={lang}>
              {option}
            </span>
          </button>
        );
      })}
    </div>
  );
}

/** Several choices: tick, then Vote. */
function ManyChoices({ poll, busy, lang }: Choices) {
  const t = useT();
  const [picked, setPicked] = useState<number[]>(poll.mine ?? []);
  const toggle = (n: number) => setPicked((p) => (p.includes(n) ? p.filter((x) => x !== n) : [...p, n]));
  return (
    <form
      className="att-poll-options"
      onSubmit={(e) => {
        e.preventDefault();
        if (picked.length) void vote(poll.id, picked);
      }}
    >
      <fieldset className="att-poll-fieldset">
        <legend className="visually-hidden">{poll.question}</legend>
        {poll.options.map((option, n) => (
          <label key={n} className={`att-poll-check${picked.includes(n) ? ' is-chosen' : ''}`}>
            <input type="checkbox" checked={picked.includes(n)} onChange={() => toggle(n)} data-testid={`poll-check-${n}`} />
            <span dir="auto" lang={lang}>
              {option}
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="btn btn-primary att-poll-submit" disabled={busy || picked.length === 0} data-testid="poll-submit">
        {t('poll.vote')}
      </button>
    </form>
  );
}
