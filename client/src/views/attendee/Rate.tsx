/**
 * The phone's ratings: the intervention on stage (relevance 1–5, one tap, changeable), earlier
 * speakers, and the event-level indicators (a tab, and on the main screen once the evening
 * has `ended`). The phone shows what it rated; the server keeps it (`ratings:mine` on connect).
 */
import { useState } from 'react';
import type { AgendaItem, Indicator } from '../../../../shared/schemas.ts';
import { useT, type Translate } from '../../i18n/index.ts';
import { indicatorLabel } from '../../lib/indicators.ts';
import { rate, useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import './questions.css';

const SCORES = [1, 2, 3, 4, 5] as const;
const EVENT = 'event';
// Stable empties: a selector must not return a new array on every call.
const NO_ITEMS: AgendaItem[] = [];
const NO_INDICATORS: Indicator[] = [];

export function RateSheet() {
  const t = useT();
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const [tab, setTab] = useState<'speaker' | 'evening'>(ended ? 'evening' : 'speaker');
  return (
    <div className="ar-rate">
      <div className="aq-tabs" role="group" aria-label={t('q.rate')}>
        {(['speaker', 'evening'] as const).map((name) => (
          <button key={name} type="button" className="btn aq-tab" aria-pressed={tab === name} onClick={() => setTab(name)} data-testid={`rate-tab-${name}`}>
            {name === 'speaker' ? t('rate.speaker') : t('rate.evening')}
          </button>
        ))}
      </div>
      {tab === 'speaker' ? <SpeakerRatings /> : <EveningRatings />}
    </div>
  );
}

function SpeakerRatings() {
  const t = useT();
  const agenda = useStore((s) => s.live?.agenda ?? NO_ITEMS);
  const stageId = useStore((s) => s.live?.stage.itemId ?? null);
  const indicators = useStore((s) => s.live?.event.indicators ?? NO_INDICATORS).filter((i) => i.scope === 'item');
  const onStage = agenda.find((i) => i.id === stageId);
  const earlier = agenda.filter((i) => i.status === 'done' && i.id !== stageId).reverse();
  // Nothing on stage: the last speaker is the one people want to rate.
  const main = onStage ?? earlier.shift();
  return (
    <div className="ar-speaker">
      {main ? (
        <ItemRatings item={main} indicators={indicators} t={t} big />
      ) : (
        <p className="aq-empty">{t('rate.nobody')}</p>
      )}
      {earlier.length > 0 && (
        <details className="ar-earlier">
          <summary className="btn ar-earlier-toggle">{t('rate.earlier')}</summary>
          {earlier.map((item) => (
            <ItemRatings key={item.id} item={item} indicators={indicators} t={t} />
          ))}
        </details>
      )}
    </div>
  );
}

function ItemRatings({ item, indicators, t, big = false }: { item: AgendaItem; indicators: Indicator[]; t: Translate; big?: boolean }) {
  return (
    <section className={`ar-item surface-box${big ? ' is-main' : ''}`} aria-label={item.speaker || item.delegation}>
      <p className="ar-who">
        <bdi dir="auto">{item.speaker || item.delegation}</bdi>
        {/* Its own line: a city in another script never lands inside the speaker's name. */}
        {item.speaker && item.delegation && (
          <bdi dir="auto" className="ar-delegation">
            {item.delegation}
          </bdi>
        )}
      </p>
      {indicators.map((ind) => (
        <ScoreRow
          key={ind.id}
          target={item.id}
          indicator={ind.id}
          question={ind.id === 'relevance' ? t('rate.relevanceQ') : indicatorLabel(t, ind)}
          t={t}
        />
      ))}
    </section>
  );
}

function EveningRatings() {
  const t = useT();
  const indicators = useStore((s) => s.live?.event.indicators ?? NO_INDICATORS).filter((i) => i.scope === 'event');
  return (
    <div className="ar-evening">
      <p className="ar-lead">{t('rate.lead')}</p>
      {indicators.map((ind) => (
        <ScoreRow key={ind.id} target={EVENT} indicator={ind.id} question={indicatorLabel(t, ind)} t={t} />
      ))}
    </div>
  );
}

/** On the main screen once the evening has ended: the event-level indicators, right there. */
export function EveningPrompt() {
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const t = useT();
  if (!ended) return null;
  return (
    <section className="ar-prompt" aria-labelledby="ar-prompt-h" data-testid="evening-prompt">
      <h2 id="ar-prompt-h" className="ar-prompt-h">
        {t('rate.ended')}
      </h2>
      <EveningRatings />
    </section>
  );
}

function ScoreRow({ target, indicator, question, t }: { target: string; indicator: string; question: string; t: Translate }) {
  const mine = useQuestions((s) => s.myRatings[target]?.[indicator]);
  const name = `${target}-${indicator}`;
  return (
    <fieldset className="ar-row" data-testid={`rate-${name}`}>
      <legend className="ar-question">{question}</legend>
      <div className="ar-scores">
        {SCORES.map((n) => (
          <button
            key={n}
            type="button"
            className={`btn ar-score${mine !== undefined && n <= mine ? ' is-filled' : ''}`}
            aria-pressed={mine === n}
            aria-label={t('rate.score', { n })}
            onClick={() => void rate(target, indicator, n)}
            data-testid={`rate-${name}-${n}`}
          >
            <span aria-hidden="true">{mine !== undefined && n <= mine ? '★' : '☆'}</span>
            <span className="ar-score-n" aria-hidden="true">
              {n}
            </span>
          </button>
        ))}
      </div>
      <p className="ar-mine" data-testid={`rate-${name}-mine`}>
        {mine !== undefined ? t('rate.mine', { n: mine }) : t('rate.notYet')}
      </p>
    </fieldset>
  );
}
