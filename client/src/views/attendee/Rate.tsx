/**
 * The phone's ratings: the intervention on stage (relevance 1–5, one tap, changeable), earlier
 * speakers, and the event-level indicators (a tab, and on the main screen once the evening
 * has `ended`). The phone shows what it rated; the server keeps it (`ratings:mine` on connect).
 */
import { useState } from 'react';
import type { AgendaItem, Indicator } from '../../../../shared/schemas.ts';
import { indicatorLabel, useQW, type QW } from '../../lib/questions-words.ts';
import { rate, useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';

const SCORES = [1, 2, 3, 4, 5] as const;
const EVENT = 'event';
// Stable empties: a selector must not return a new array on every call.
const NO_ITEMS: AgendaItem[] = [];
const NO_INDICATORS: Indicator[] = [];

export function RateSheet() {
  const w = useQW();
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const [tab, setTab] = useState<'speaker' | 'evening'>(ended ? 'evening' : 'speaker');
  return (
    <div className="ar-rate">
      <div className="aq-tabs" role="group" aria-label={w('rate')}>
        {(['speaker', 'evening'] as const).map((t) => (
          <button key={t} type="button" className="btn aq-tab" aria-pressed={tab === t} onClick={() => setTab(t)} data-testid={`rate-tab-${t}`}>
            {w(t === 'speaker' ? 'speakerTab' : 'eveningTab')}
          </button>
        ))}
      </div>
      {tab === 'speaker' ? <SpeakerRatings /> : <EveningRatings />}
    </div>
  );
}

function SpeakerRatings() {
  const w = useQW();
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
        <ItemRatings item={main} indicators={indicators} w={w} big />
      ) : (
        <p className="aq-empty">{w('nobodyOnStage')}</p>
      )}
      {earlier.length > 0 && (
        <details className="ar-earlier">
          <summary className="btn ar-earlier-toggle">{w('earlier')}</summary>
          {earlier.map((item) => (
            <ItemRatings key={item.id} item={item} indicators={indicators} w={w} />
          ))}
        </details>
      )}
    </div>
  );
}

function ItemRatings({ item, indicators, w, big = false }: { item: AgendaItem; indicators: Indicator[]; w: QW; big?: boolean }) {
  return (
    <section className={`ar-item${big ? ' is-main' : ''}`} aria-label={item.speaker || item.delegation}>
      <p className="ar-who">
        <bdi dir="auto">{item.speaker || item.delegation}</bdi>
        {item.speaker && item.delegation && (
          <>
            {' · '}
            <bdi dir="auto" className="ar-delegation">
              {item.delegation}
            </bdi>
          </>
        )}
      </p>
      {indicators.map((ind) => (
        <ScoreRow
          key={ind.id}
          target={item.id}
          indicator={ind.id}
          question={ind.id === 'relevance' ? w('relevanceQ') : indicatorLabel(w, ind.id, ind.label)}
          w={w}
        />
      ))}
    </section>
  );
}

function EveningRatings() {
  const w = useQW();
  const indicators = useStore((s) => s.live?.event.indicators ?? NO_INDICATORS).filter((i) => i.scope === 'event');
  return (
    <div className="ar-evening">
      <p className="ar-lead">{w('eveningLead')}</p>
      {indicators.map((ind) => (
        <ScoreRow key={ind.id} target={EVENT} indicator={ind.id} question={indicatorLabel(w, ind.id, ind.label)} w={w} />
      ))}
    </div>
  );
}

/** On the main screen once the evening has ended: the event-level indicators, right there. */
export function EveningPrompt() {
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const w = useQW();
  if (!ended) return null;
  return (
    <section className="ar-prompt" aria-labelledby="ar-prompt-h" data-testid="evening-prompt">
      <h2 id="ar-prompt-h" className="ar-prompt-h">
        {w('eveningEnded')}
      </h2>
      <EveningRatings />
    </section>
  );
}

function ScoreRow({ target, indicator, question, w }: { target: string; indicator: string; question: string; w: QW }) {
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
            aria-label={w('scoreOf', { n })}
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
        {mine !== undefined ? w('yourRating', { n: mine }) : w('notRated')}
      </p>
    </fieldset>
  );
}
