/**
 * Where the interpreter writes: the last fixed segments (the last few correctable in place), then
 * a large input for the current segment. Keyboard first: typing sends interim text a few times a
 * second, Enter fixes the segment, Esc clears it, Alt+↑ corrects the last fixed one. Dictation
 * feeds the same input, so recognised text stays editable until Enter.
 * Enter empties the input at once (what is typed next is the next segment, even before the server
 * answers); a refused segment comes back into the empty input under its own id, or, when new text
 * is already there, waits beside it with "Try again" and "Put back". A segment keeps its id, so a
 * retry can only replace it, never send it twice.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { CAPTION_LIMITS } from '../../../../shared/caption-limits.ts';
import type { Caption } from '../../../../shared/captions.ts';
import type { Ack, WireError } from '../../../../shared/errors.ts';
import { MicIcon } from '../../components/Icon.tsx';
import { useT } from '../../i18n/index.ts';
import { newSegmentId } from '../../lib/captions.ts';
import { send } from '../../net/transport.ts';
import { useLangCaptions } from '../../store/captions.ts';
import { useDictation } from './dictation.ts';
import { explain } from '../../lib/explain.ts';

/** Interim updates: at most one per this many ms (a few per second). */
export const INTERIM_EVERY_MS = 250;
const SHOWN_FIXED = 8;

type Problem = WireError | null;

/** A fixed segment the server refused while the interpreter was already typing the next one. */
interface Held {
  id: string;
  text: string;
  error: WireError;
}

function usePush() {
  return (id: string, text: string, final: boolean): Promise<Ack> => send('caption:push', { id, text, final });
}

export function CaptionDesk({ lang, insert }: { lang: string; insert: { term: string; n: number } | null }) {
  const t = useT();
  const push = usePush();
  const [text, setText] = useState('');
  const [heard, setHeard] = useState('');
  const [problem, setProblem] = useState<Problem>(null);
  const [held, setHeld] = useState<Held[]>([]);
  const segId = useRef(newSegmentId());
  const lastSent = useRef({ at: 0, text: '' });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef('');
  const input = useRef<HTMLTextAreaElement>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const composed = (base: string, speech: string) => [base.trimEnd(), speech].filter(Boolean).join(' ');

  /** Sends the current interim text now, or as soon as the rate allows. */
  function scheduleInterim(value: string) {
    latest.current = value;
    if (timer.current) return;
    const wait = Math.max(0, lastSent.current.at + INTERIM_EVERY_MS - performance.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      const v = latest.current;
      if (v === lastSent.current.text) return;
      lastSent.current = { at: performance.now(), text: v };
      void push(segId.current, v, false).then((ack) => {
        if (!ack.ok && ack.error.code !== 'RATE_LIMITED') setProblem(ack.error);
      });
    }, wait);
  }

  function cancelInterim() {
    clearTimeout(timer.current);
    timer.current = undefined;
  }

  function nextSegment() {
    segId.current = newSegmentId();
    lastSent.current = { at: lastSent.current.at, text: '' };
    latest.current = '';
  }

  /** The input's text, kept current between renders (keys can arrive faster than React renders). */
  const textRef = useRef(text);
  textRef.current = text;
  const heardRef = useRef(heard);
  heardRef.current = heard;
  const setInput = (value: string) => {
    textRef.current = value;
    setText(value);
  };

  /** Enter: the segment leaves the input now; the server's answer only matters if it refuses. */
  function fix() {
    const value = composed(textRef.current, heardRef.current).trim().slice(0, CAPTION_LIMITS.textChars);
    if (!value) return;
    cancelInterim();
    const id = segId.current;
    setInput('');
    heardRef.current = '';
    setHeard('');
    setProblem(null);
    nextSegment();
    void push(id, value, true).then((ack) => {
      if (!ack.ok) refused({ id, text: value, error: ack.error });
    });
  }

  function refused(h: Held) {
    if (!textRef.current.trim() && !heardRef.current) {
      // Nothing typed since: back into the input, under its own id (Enter again replaces it).
      setInput(h.text);
      segId.current = h.id;
      lastSent.current = { at: lastSent.current.at, text: h.text };
      latest.current = h.text;
      setProblem(h.error);
    } else {
      setHeld((list) => [...list.filter((x) => x.id !== h.id), h]);
    }
  }

  async function retry(h: Held) {
    setHeld((list) => list.filter((x) => x.id !== h.id));
    const ack = await push(h.id, h.text, true);
    if (!ack.ok) setHeld((list) => [...list.filter((x) => x.id !== h.id), { ...h, error: ack.error }]);
  }

  /** A held segment goes back before what is in the input, and the input takes its id. */
  function putBack(h: Held) {
    setHeld((list) => list.filter((x) => x.id !== h.id));
    cancelInterim();
    if (lastSent.current.text) void push(segId.current, '', false); // withdraw the newer provisional line
    const next = [h.text, textRef.current.trim()].filter(Boolean).join(' ');
    segId.current = h.id;
    lastSent.current = { at: lastSent.current.at, text: h.text };
    setInput(next);
    scheduleInterim(composed(next, heardRef.current));
    input.current?.focus();
  }

  function clear() {
    cancelInterim();
    if (lastSent.current.text) void push(segId.current, '', false); // withdraw the provisional line
    setInput('');
    heardRef.current = '';
    setHeard('');
    setProblem(null);
    nextSegment();
  }

  const dictation = useDictation(lang, {
    onInterim: (speech) => {
      setHeard(speech);
      scheduleInterim(composed(textRef.current, speech));
    },
    onFinal: (speech) => {
      const next = composed(textRef.current, speech);
      setInput(next);
      setHeard('');
      scheduleInterim(next);
    },
  });
  // A glossary term chosen beside: insert it at the caret.
  useEffect(() => {
    if (!insert) return;
    const el = input.current;
    const at = el?.selectionStart ?? text.length;
    const before = text.slice(0, at);
    const spacer = before && !/\s$/.test(before) ? ' ' : '';
    const next = `${before}${spacer}${insert.term}${text.slice(at)}`;
    setInput(next);
    scheduleInterim(composed(next, heard));
    el?.focus();
  }, [insert]);

  useEffect(() => () => cancelInterim(), []);

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      fix();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      clear();
    } else if (e.key === 'ArrowUp' && e.altKey) {
      e.preventDefault();
      const last = fixedRef.current.at(-1);
      if (last) setEditing(last.id);
    }
  };

  const all = useLangCaptions(lang);
  const fixed = all.filter((c) => c.final && c.source === 'human');
  const fixedRef = useRef(fixed);
  fixedRef.current = fixed;
  const shown = fixed.slice(-SHOWN_FIXED);
  const correctable = new Set(fixed.slice(-CAPTION_LIMITS.correctableSegments).map((c) => c.id));
  const left = CAPTION_LIMITS.textChars - composed(text, heard).length;

  return (
    <section className="int-desk" aria-labelledby="int-desk-h">
      <h2 id="int-desk-h" className="int-h">
        {t('int.captions')}
      </h2>
      <ol className="int-fixed" aria-label={t('int.fixed')} data-testid="fixed-segments">
        {shown.length === 0 && <li className="int-fixed-empty">{t('int.noFixed')}</li>}
        {shown.map((c) => (
          <FixedSegment
            key={c.id}
            c={c}
            lang={lang}
            correctable={correctable.has(c.id)}
            editing={editing === c.id}
            onEdit={(on) => {
              setEditing(on ? c.id : null);
              if (!on) input.current?.focus();
            }}
          />
        ))}
      </ol>

      <div className="int-input-wrap">
        <label htmlFor="int-input" className="visually-hidden">
          {t('int.inputLabel')}
        </label>
        <textarea
          id="int-input"
          ref={input}
          className="int-input"
          lang={lang}
          dir="auto"
          rows={3}
          value={text}
          maxLength={CAPTION_LIMITS.textChars}
          placeholder={t('int.placeholder')}
          onChange={(e) => {
            setInput(e.target.value);
            scheduleInterim(composed(e.target.value, heard));
          }}
          onKeyDown={onKey}
          autoFocus
          spellCheck
          aria-describedby="int-keys"
          data-testid="caption-input"
        />
        {heard && (
          <p className="int-heard" dir="auto" lang={lang} aria-live="off">
            <span className="int-heard-label">{t('int.hearing')}</span> {heard}
          </p>
        )}
        <div className="int-input-bar">
          <p id="int-keys" className="int-keys">
            {t('int.keys')}
          </p>
          <span className={`int-left${left < 100 ? ' is-low' : ''}`} aria-live="polite">
            {left < 100 ? t('int.charsLeft', { n: left }) : ''}
          </span>
          <button type="button" className="btn" onClick={clear} data-testid="caption-clear">
            {t('int.clear')}
          </button>
          <button type="button" className="btn btn-primary" onClick={fix} data-testid="caption-fix">
            {t('int.fix')}
          </button>
        </div>
        <Mic dictation={dictation} />
        {problem && (
          <p className="int-problem" role="alert">
            {t('int.notSent', { reason: explain(problem) })}
          </p>
        )}
        {held.map((h) => (
          <div key={h.id} className="int-held" role="alert" data-testid="caption-held">
            <p className="int-problem">{t('int.notSentHeld', { reason: explain(h.error) })}</p>
            <p className="int-held-text" dir="auto" lang={lang}>
              {h.text}
            </p>
            <div className="int-held-actions">
              <button type="button" className="btn" onClick={() => void retry(h)} data-testid="caption-held-retry">
                {t('common.tryAgain')}
              </button>
              <button type="button" className="btn" onClick={() => putBack(h)} data-testid="caption-held-put-back">
                {t('int.putBack')}
              </button>
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}

function Mic({ dictation }: { dictation: ReturnType<typeof useDictation> }) {
  const t = useT();
  const why =
    dictation.problem === 'unsupported'
      ? t('int.micUnsupported')
      : dictation.problem === 'insecure'
        ? t('int.micInsecure')
        : dictation.problem === 'denied'
          ? t('int.micDenied')
          : dictation.problem === 'failed'
            ? t('int.micFailed')
            : null;
  const unavailable = dictation.problem === 'unsupported' || dictation.problem === 'insecure';
  const [installFailed, setInstallFailed] = useState(false);
  // Whether dictation works without the internet (the venue has none), said plainly.
  const local = unavailable
    ? null
    : dictation.local === 'available'
      ? t('int.micLocal')
      : dictation.local === 'downloadable'
        ? t('int.micLocalInstall')
        : dictation.local === 'downloading'
          ? t('int.micLocalDownloading')
          : t('int.micRemote');
  return (
    <div className="int-mic">
      <button
        type="button"
        className={`btn int-mic-btn${dictation.on ? ' is-on' : ''}`}
        aria-pressed={dictation.on}
        aria-disabled={unavailable || undefined}
        aria-describedby={why ? 'int-mic-why' : undefined}
        onClick={() => !unavailable && dictation.toggle()}
        data-testid="mic-toggle"
      >
        <MicIcon /> {dictation.on ? t('int.micOn') : t('int.micOff')}
      </button>
      {why && (
        <p id="int-mic-why" className="int-mic-why" data-testid="mic-why">
          {why}
        </p>
      )}
      {local && (
        <p className="int-mic-why" data-testid="mic-local" data-local={dictation.local}>
          {local}{' '}
          {dictation.local === 'downloadable' && (
            <button
              type="button"
              className="btn-link"
              data-testid="mic-install"
              onClick={() => void dictation.install().then((ok) => setInstallFailed(!ok))}
            >
              {t('int.micInstall')}
            </button>
          )}
        </p>
      )}
      {installFailed && (
        <p className="int-mic-why" role="alert">
          {t('int.micInstallFailed')}
        </p>
      )}
    </div>
  );
}

function FixedSegment({
  c,
  lang,
  correctable,
  editing,
  onEdit,
}: {
  c: Caption;
  lang: string;
  correctable: boolean;
  editing: boolean;
  onEdit(on: boolean): void;
}) {
  const t = useT();
  const [draft, setDraft] = useState(c.text);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) {
      setDraft(c.text);
      setProblem(null);
      ref.current?.focus();
    }
  }, [editing, c.text]);

  async function save() {
    const value = draft.trim();
    if (!value || value === c.text) return onEdit(false);
    const ack = await send('caption:push', { id: c.id, text: value, final: true });
    if (ack.ok) onEdit(false);
    else setProblem(explain(ack.error));
  }

  if (editing && correctable) {
    return (
      <li className="int-fixed-item is-editing">
        <input
          ref={ref}
          className="input int-fix-input"
          value={draft}
          lang={lang}
          dir="auto"
          maxLength={CAPTION_LIMITS.textChars}
          aria-label={t('int.correcting')}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void save();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onEdit(false);
            }
          }}
          data-testid="correct-input"
        />
        {problem && <p className="int-problem">{problem}</p>}
      </li>
    );
  }
  return (
    <li className="int-fixed-item" data-testid="fixed-segment">
      <span className="int-fixed-text" dir="auto" lang={lang}>
        {c.text}
      </span>
      {correctable && (
        <button type="button" className="btn int-fix-btn" onClick={() => onEdit(true)} aria-label={t('int.correctThis', { text: c.text.slice(0, 40) })}>
          {t('int.correct')}
        </button>
      )}
    </li>
  );
}
