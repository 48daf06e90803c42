/**
 * The evening's evaluation grid, live on the moderator's tablet: relevance per speaker (mean,
 * count, distribution), the event-level indicators, participation by table, and speaking time
 * planned vs. spoken per speaker and per delegation. The tables are the report's too
 * (components/evaluation); here they are fed by the socket.
 */
import { useMemo } from 'react';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { elapsedMs } from '../../../../shared/time.ts';
import { ParticipationTable } from '../../components/evaluation/ParticipationTable.tsx';
import { RatingsTable } from '../../components/evaluation/RatingsTable.tsx';
import { SpeakingTimeTables } from '../../components/evaluation/SpeakingTime.tsx';
import { useServerNow } from '../../components/useNow.ts';
import { useT } from '../../i18n/index.ts';
import { useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import './questions-panel.css';

const NO_ITEMS: AgendaItem[] = [];

export function EvaluationPanel() {
  const t = useT();
  return (
    <section className="mod-card mq-panel mq-eval" aria-labelledby="mq-eval-h" data-testid="evaluation-panel">
      <h2 id="mq-eval-h" className="mod-h">
        {t('eval.title')}
      </h2>
      <details className="mq-group mq-fold" open>
        <summary className="mq-h mq-summary">{t('eval.ratings')}</summary>
        <Ratings />
      </details>
      <details className="mq-group mq-fold">
        <summary className="mq-h mq-summary">{t('eval.participation')}</summary>
        <LiveParticipation />
      </details>
      <details className="mq-group mq-fold">
        <summary className="mq-h mq-summary">{t('eval.time')}</summary>
        <SpeakingTime />
      </details>
    </section>
  );
}

function Ratings() {
  const ratings = useQuestions((s) => s.ratings);
  const agenda = useStore((s) => s.live?.agenda ?? NO_ITEMS);
  const indicators = useStore((s) => s.live?.event.indicators);
  return (
    <div className="mq-ratings">
      <RatingsTable items={agenda} indicators={indicators} ratings={ratings} />
    </div>
  );
}

function LiveParticipation() {
  const participation = useQuestions((s) => s.participation);
  const tables = useStore((s) => s.live?.event.tables);
  const audience = useStore((s) => s.live?.audience);
  const t = useT();
  if (!tables || !audience) return null;
  const seated = tables.reduce((n, x) => n + (audience.byTable[x.id] ?? 0), 0);
  return (
    <ParticipationTable
      tables={tables}
      participation={participation}
      phones={audience.byTable}
      unseated={Math.max(0, audience.connected - seated)}
      phonesLabel={t('eval.phones')}
    />
  );
}

function SpeakingTime() {
  const agenda = useStore((s) => s.live?.agenda ?? NO_ITEMS);
  const timer = useStore((s) => s.live?.stage.timer);
  const stageId = useStore((s) => s.live?.stage.itemId ?? null);
  const now = useServerNow(1000, timer?.running ?? false);
  // The item on stage counts its running timer; the others what they spoke.
  const items = useMemo(
    () => agenda.map((i) => (i.id === stageId && i.status === 'live' && timer ? { ...i, spokenMs: elapsedMs(timer, now) } : i)),
    [agenda, stageId, timer, now],
  );
  return <SpeakingTimeTables items={items} />;
}
