/**
 * The evening's evaluation grid, live on the moderator's tablet: relevance per speaker (mean,
 * count, distribution), the event-level indicators, participation by table, and speaking time
 * planned vs. spoken per speaker and per delegation. Numbers are always written out: a bar is
 * never the only carrier of a value.
 */
import { useMemo } from 'react';
import type { IndicatorSummary } from '../../../../shared/questions.ts';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { elapsedMs } from '../../../../shared/time.ts';
import { useServerNow } from '../../components/useNow.ts';
import { mmss } from '../../lib/agenda.ts';
import { useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import './questions-panel.css';

const NO_ITEMS: AgendaItem[] = [];

export function EvaluationPanel() {
  return (
    <section className="mod-card mq-panel mq-eval" aria-labelledby="mq-eval-h" data-testid="evaluation-panel">
      <h2 id="mq-eval-h" className="mod-h">
        Evaluation
      </h2>
      <details className="mq-group mq-fold" open>
        <summary className="mq-h mq-summary">Ratings</summary>
        <Ratings />
      </details>
      <details className="mq-group mq-fold">
        <summary className="mq-h mq-summary">Participation by table</summary>
        <ParticipationTable />
      </details>
      <details className="mq-group mq-fold">
        <summary className="mq-h mq-summary">Speaking time</summary>
        <SpeakingTime />
      </details>
    </section>
  );
}

function Ratings() {
  const ratings = useQuestions((s) => s.ratings);
  const agenda = useStore((s) => s.live?.agenda ?? NO_ITEMS);
  const indicators = useStore((s) => s.live?.event.indicators);
  const itemIndicators = indicators?.filter((i) => i.scope === 'item') ?? [];
  const eventIndicators = indicators?.filter((i) => i.scope === 'event') ?? [];
  return (
    <div className="mq-ratings">
      <table className="mq-table" data-testid="ratings-table">
        <caption className="visually-hidden">Ratings per speaker</caption>
        <thead>
          <tr>
            <th scope="col">Speaker</th>
            <th scope="col">Indicator</th>
            <th scope="col">Mean</th>
            <th scope="col">Count</th>
            <th scope="col">1 · 2 · 3 · 4 · 5</th>
          </tr>
        </thead>
        <tbody>
          {agenda.flatMap((item) =>
            itemIndicators.map((ind) => (
              <RatingRow
                key={`${item.id}-${ind.id}`}
                testId={`rating-${item.id}-${ind.id}`}
                who={item.speaker || item.delegation || item.title}
                sub={item.speaker ? item.delegation : ''}
                label={ind.label}
                summary={ratings?.[item.id]?.[ind.id]}
                live={item.status === 'live'}
              />
            )),
          )}
          {eventIndicators.map((ind) => (
            <RatingRow
              key={`event-${ind.id}`}
              testId={`rating-event-${ind.id}`}
              who="The evening"
              sub=""
              label={ind.label}
              summary={ratings?.event?.[ind.id]}
              live={false}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RatingRow(props: { testId: string; who: string; sub: string; label: string; summary: IndicatorSummary | undefined; live: boolean }) {
  const { summary } = props;
  const max = summary ? Math.max(1, ...summary.histogram) : 1;
  return (
    <tr data-testid={props.testId} className={props.live ? 'is-live' : undefined}>
      <th scope="row">
        <bdi dir="auto">{props.who}</bdi>
        {props.sub && (
          <small>
            {' '}
            · <bdi dir="auto">{props.sub}</bdi>
          </small>
        )}
      </th>
      <td className="mq-ind">{props.label}</td>
      <td className="mq-num" data-testid={`${props.testId}-mean`}>
        {summary ? summary.mean.toFixed(1) : '—'}
      </td>
      <td className="mq-num" data-testid={`${props.testId}-count`}>
        {summary?.count ?? 0}
      </td>
      <td>
        {summary ? (
          <span className="mq-hist" aria-label={summary.histogram.map((n, i) => `${n} gave ${i + 1}`).join(', ')}>
            {summary.histogram.map((n, i) => (
              <span key={i} className="mq-bar" aria-hidden="true">
                <span className="mq-bar-fill" style={{ blockSize: `${(n / max) * 100}%` }} />
                <span className="mq-bar-n">{n}</span>
              </span>
            ))}
          </span>
        ) : (
          <span className="mq-muted">no ratings</span>
        )}
      </td>
    </tr>
  );
}

function ParticipationTable() {
  const participation = useQuestions((s) => s.participation);
  const tables = useStore((s) => s.live?.event.tables);
  const audience = useStore((s) => s.live?.audience);
  if (!tables || !audience) return null;
  const seated = tables.reduce((n, t) => n + (audience.byTable[t.id] ?? 0), 0);
  const rows = [
    ...tables.map((t) => ({ id: t.id, name: t.name, phones: audience.byTable[t.id] ?? 0, acts: participation?.byTable[t.id] })),
    { id: '', name: 'No table', phones: Math.max(0, audience.connected - seated), acts: participation?.noTable },
  ];
  return (
    <table className="mq-table" data-testid="participation-table">
      <caption className="visually-hidden">Participation by table</caption>
      <thead>
        <tr>
          <th scope="col">Table</th>
          <th scope="col">Phones</th>
          <th scope="col">Questions</th>
          <th scope="col">Votes</th>
          <th scope="col">Ratings</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id || 'none'} data-testid={`participation-${r.id || 'none'}`}>
            <th scope="row">
              <bdi dir="auto">{r.name}</bdi>
            </th>
            <td className="mq-num">{r.phones}</td>
            <td className="mq-num">{r.acts?.questions ?? 0}</td>
            <td className="mq-num">{r.acts?.votes ?? 0}</td>
            <td className="mq-num">{r.acts?.ratings ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "+01:20 over" / "−00:40 under": the sign and the word, not colour alone. */
function Diff({ ms }: { ms: number }) {
  if (Math.abs(ms) < 1000) return <span className="mq-muted">on time</span>;
  return ms > 0 ? <span className="mq-over">+{mmss(ms)} over</span> : <span className="mq-under">−{mmss(-ms)} under</span>;
}

function SpeakingTime() {
  const agenda = useStore((s) => s.live?.agenda ?? NO_ITEMS);
  const timer = useStore((s) => s.live?.stage.timer);
  const stageId = useStore((s) => s.live?.stage.itemId ?? null);
  const now = useServerNow(1000, timer?.running ?? false);
  const rows = useMemo(
    () =>
      agenda.map((i) => ({
        item: i,
        planned: i.plannedSeconds * 1000,
        spoken: i.id === stageId && i.status === 'live' && timer ? elapsedMs(timer, now) : i.spokenMs,
      })),
    [agenda, stageId, timer, now],
  );
  const delegations = useMemo(() => {
    // The difference only counts interventions that have started: the rest is still to come.
    const by = new Map<string, { planned: number; plannedStarted: number; spoken: number; started: number }>();
    for (const r of rows) {
      const key = r.item.delegation || '—';
      const d = by.get(key) ?? { planned: 0, plannedStarted: 0, spoken: 0, started: 0 };
      const started = r.item.status !== 'planned';
      d.planned += r.planned;
      d.plannedStarted += started ? r.planned : 0;
      d.spoken += started ? r.spoken : 0;
      d.started += started ? 1 : 0;
      by.set(key, d);
    }
    return [...by];
  }, [rows]);
  return (
    <div className="mq-time">
      <table className="mq-table" data-testid="speaking-time">
        <caption className="mq-caption">Per speaker</caption>
        <thead>
          <tr>
            <th scope="col">Speaker</th>
            <th scope="col">Planned</th>
            <th scope="col">Spoken</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ item, planned, spoken }) => (
            <tr key={item.id} className={item.status === 'live' ? 'is-live' : undefined} data-testid={`time-${item.id}`}>
              <th scope="row">
                <bdi dir="auto">{item.speaker || item.delegation || item.title}</bdi>
              </th>
              <td className="mq-num">{mmss(planned)}</td>
              <td className="mq-num">{item.status === 'planned' ? '—' : mmss(spoken)}</td>
              <td>{item.status === 'planned' ? <span className="mq-muted">not yet</span> : <Diff ms={spoken - planned} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="mq-table" data-testid="speaking-time-delegations">
        <caption className="mq-caption">Per delegation</caption>
        <thead>
          <tr>
            <th scope="col">Delegation</th>
            <th scope="col">Planned</th>
            <th scope="col">Spoken</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {delegations.map(([name, d]) => (
            <tr key={name}>
              <th scope="row">
                <bdi dir="auto">{name}</bdi>
              </th>
              <td className="mq-num">{mmss(d.planned)}</td>
              <td className="mq-num">{mmss(d.spoken)}</td>
              <td>{d.started ? <Diff ms={d.spoken - d.plannedStarted} /> : <span className="mq-muted">not yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
