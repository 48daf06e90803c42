/**
 * A question's text as its reader sees it (PROTOCOL "Machine translation on the box"): with a
 * machine translation into the reader's language, that translation, labelled machine, and the
 * original one tap away; without one, the original. `layout="both"` (moderators, the projector)
 * shows both at once: the translation first, the original below (`moderator`: the original first).
 * User text is rendered as text, never HTML.
 */
import { useState } from 'react';
import type { Question } from '../../../shared/questions.ts';
import { useT, useUiLanguage } from '../i18n/index.ts';
import { languageName } from '../lib/lang.ts';
import './question-text.css';

interface Props {
  q: Pick<Question, 'id' | 'text' | 'lang' | 'translation'>;
  /** The class of the main text's paragraph (each view styles its own). */
  className: string;
  /** `tap`: the translation, the original a tap away (phones); `moderator`: original, then translation; `projector`: translation, original below. */
  layout: 'tap' | 'moderator' | 'projector';
  testId?: string;
}

export function QuestionText({ q, className, layout, testId }: Props) {
  const t = useT();
  const ui = useUiLanguage();
  const [original, setOriginal] = useState(false);
  const tr = q.translation ?? null;
  const originalLine = (cls: string, tid?: string) => (
    <p className={cls} dir="auto" lang={q.lang} data-testid={tid}>
      {q.text}
    </p>
  );
  if (!tr) return originalLine(className, testId);
  const translated = (cls: string, tid?: string) => (
    <p className={cls} dir="auto" lang={tr.lang} data-testid={tid}>
      {tr.text}
    </p>
  );
  const label = <span className="qt-machine">{t('mt.machine')}</span>;

  if (layout === 'moderator') {
    return (
      <>
        {originalLine(className, testId)}
        <p className="qt-second" data-testid={testId ? `${testId}-translation` : undefined}>
          {label} <bdi dir="auto" lang={tr.lang}>{tr.text}</bdi>
        </p>
      </>
    );
  }
  if (layout === 'projector') {
    return (
      <div className="qt-stack">
        {translated(className, testId)}
        <p className="qt-projector-original" dir="auto" lang={q.lang} data-testid={testId ? `${testId}-original` : undefined}>
          {q.text}
        </p>
        <p className="qt-projector-label">{label}</p>
      </div>
    );
  }
  return (
    <>
      {original ? originalLine(className, testId) : translated(className, testId)}
      <p className="qt-second">
        {!original && label}{' '}
        <button type="button" className="btn-link qt-toggle" aria-pressed={original} onClick={() => setOriginal(!original)} data-testid={testId ? `${testId}-toggle` : undefined}>
          {original ? t('mt.showTranslation') : t('mt.showOriginal', { language: languageName(q.lang, ui) })}
        </button>
      </p>
    </>
  );
}
