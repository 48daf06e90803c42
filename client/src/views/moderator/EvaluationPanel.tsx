/**
 * The evening's evaluation grid, live on the moderator's tablet: relevance per speaker (mean,
 * count, distribution), the event-level indicators, participation by table, and speaking time
 * planned vs. spoken per speaker and per delegation. Numbers are always written out: a bar is
 * never the only carrier of a value.
 */
import { useMemo, type ReactNode } from 'react';
import type { IndicatorSummary } from '../../../../shared/questions.ts';
import type { AgendaItem } from '../../../../shared/schemas.ts';
import { elapsedMs } from '../../../../shared/time.ts';
import { useServerNow } from '../../components/useNow.ts';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { mmss } from '../../lib/agenda.ts';
import { indicatorLabel } from '../../lib/indicators.ts';
import { useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';
import { usePageDir, whoClass } from './who.ts';
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
        <ParticipationTable />
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
  const itemIndicators = indicators?.filter((i) => i.scope === 'item') ?? [];
  const eventIndicators = indicators?.filter((i) => i.scope === 'event') ?? [];
  const t = useT();
  return (
    <div className="mq-ratings">
      <table className="mq-table" data-testid="ratings-table">
        <caption className="visually-hidden">{t('eval.perSpeakerCaption')}</caption>
        <Head cols={[t('eval.speaker'), t('eval.indicator'), t('eval.mean'), t('eval.count'), '1 · 2 · 3 · 4 · 5']} />
        <tbody>
          {agenda.flatMap((item) =>
            itemIndicators.map((ind) => (
              <RatingRow
                key={`${item.id}-${ind.id}`}
                testId={`rating-${item.id}-${ind.id}`}
                who={item.speaker || item.delegation || item.title}
                sub={item.speaker ? item.delegation : ''}
                label={indicatorLabel(t, ind)}
                summary={ratings?.[item.id]?.[ind.id]}
                live={item.status === 'live'}
              />
            )),
          )}
          {eventIndicators.map((ind) => (
            <RatingRow
              key={`event-${ind.id}`}
              testId={`rating-event-${ind.id}`}
              who={t('rate.evening')}
              sub=""
              label={indicatorLabel(t, ind)}
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
  const t = useT();
  const ui = useUiLanguage();
  const page = usePageDir();
  return (
    <tr data-testid={props.testId} className={props.live ? 'is-live' : undefined}>
      <th scope="row">
        <span className={whoClass(page, props.who, props.sub)}>
          <span>
            <bdi dir="auto">{props.who}</bdi>
            {props.sub && ' · '}
          </span>
          {props.sub && (
            <small>
              <bdi dir="auto">{props.sub}</bdi>
            </small>
          )}
        </span>
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
          <span className="mq-hist" aria-label={list(ui, summary.histogram.map((n, i) => t('eval.gave', { n, score: i + 1 })))}>
            {summary.histogram.map((n, i) => (
              <span key={i} className="mq-bar" aria-hidden="true">
                <span className="mq-bar-fill" style={{ blockSize: `${(n / max) * 100}%` }} />
                <span className="mq-bar-n">{n}</span>
              </span>
            ))}
          </span>
        ) : (
          <span className="mq-muted">{t('eval.noRatings')}</span>
        )}
      </td>
    </tr>
  );
}

function ParticipationTable() {
  const participation = useQuestions((s) => s.participation);
  const tables = useStore((s) => s.live?.event.tables);
  const audience = useStore((s) => s.live?.audience);
  const t = useT();
  if (!tables || !audience) return null;
  const seated = tables.reduce((n, x) => n + (audience.byTable[x.id] ?? 0), 0);
  const rows = [
    ...tables.map((x) => ({ id: x.id, name: x.name, phones: audience.byTable[x.id] ?? 0, acts: participation?.byTable[x.id] })),
    { id: '', name: t('eval.noTable'), phones: Math.max(0, audience.connected - seated), acts: participation?.noTable },
  ];
  return (
    <table className="mq-table" data-testid="participation-table">
      <caption className="visually-hidden">{t('eval.participation')}</caption>
      <Head cols={[t('eval.table'), t('eval.phones'), t('eval.questions'), t('eval.votes'), t('eval.ratings')]} />
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
  const t = useT();
  if (Math.abs(ms) < 1000) return <span className="mq-muted">{t('eval.onTime')}</span>;
  return ms > 0 ? (
    <span className="mq-over">{t('eval.over', { time: mmss(ms) })}</span>
  ) : (
    <span className="mq-under">{t('eval.under', { time: mmss(-ms) })}</span>
  );
}

/** "4 gave 1, 0 gave 2 and 1 gave 5", with the language's own separators. */
function list(lang: string, parts: string[]): string {
  try {
    return new Intl.ListFormat(lang, { style: 'narrow', type: 'unit' }).format(parts);
  } catch {
    return parts.join(', ');
  }
}

function SpeakingTime() {
  const agenda = useStore((s) => s.live?.agenda ?? NO_ITEMS);
  const timer = useStore((s) => s.live?.stage.timer);
  const stageId = useStore((s) => s.live?.stage.itemId ?? null);
  const now = useServerNow(1000, timer?.running ?? false);
  const t = useT();
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
      <TimeTable testId="speaking-time" caption={t('eval.perSpeaker')} who={t('eval.speaker')}>
        {rows.map(({ item, planned, spoken }) => (
          <TimeRow
            key={item.id}
            className={item.status === 'live' ? 'is-live' : undefined}
            testId={`time-${item.id}`}
            name={item.speaker || item.delegation || item.title}
            planned={planned}
            spoken={item.status === 'planned' ? null : spoken}
            diff={item.status === 'planned' ? null : spoken - planned}
          />
        ))}
      </TimeTable>
      <TimeTable testId="speaking-time-delegations" caption={t('eval.perDelegation')} who={t('eval.delegation')}>
        {delegations.map(([name, d]) => (
          <TimeRow key={name} name={name} planned={d.planned} spoken={d.spoken} diff={d.started ? d.spoken - d.plannedStarted : null} />
        ))}
      </TimeTable>
    </div>
  );
}

/** A table's header row: one column header per entry. */
function Head({ cols }: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) => (
          <th key={i} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function TimeTable(props: { testId: string; caption: string; who: string; children: ReactNode }) {
  const t = useT();
  return (
    <table className="mq-table" data-testid={props.testId}>
      <caption className="mq-caption">{props.caption}</caption>
      <Head cols={[props.who, t('eval.planned'), t('eval.spoken'), t('eval.difference')]} />
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** Planned, spoken ("—" while null) and the difference ("not yet" while null). */
function TimeRow(props: { name: string; planned: number; spoken: number | null; diff: number | null; className?: string; testId?: string }) {
  const t = useT();
  return (
    <tr className={props.className} data-testid={props.testId}>
      <th scope="row">
        <bdi dir="auto">{props.name}</bdi>
      </th>
      <td className="mq-num">{mmss(props.planned)}</td>
      <td className="mq-num">{props.spoken === null ? '—' : mmss(props.spoken)}</td>
      <td>{props.diff === null ? <span className="mq-muted">{t('eval.notYet')}</span> : <Diff ms={props.diff} />}</td>
    </tr>
  );
}
