/**
 * The events on this server, newest first, each with "New links": secrets are stored only as
 * hashes, so an organiser who lost (or leaked) a moderator, projector or interpreter link gets
 * new ones here; the old links stop working at once. Asks before replacing. "Report" opens the
 * tablet's Report panel for that event (read with the admin token), one event at a time.
 */
import { useCallback, useEffect, useState } from 'react';
import type { EventSummary } from '../../../../shared/schemas.ts';
import { t as translate, useT, useUiLanguage } from '../../i18n/index.ts';
import { listEvents, replaceSecrets, type CreatedEvent } from '../../net/api.ts';
import { explain } from '../../lib/explain.ts';
import { ReportContent } from '../moderator/ReportPanel.tsx';
import { Problem } from './Problem.tsx';

interface Props {
  token: string;
  /** Changes when an event was created: the list is read again. */
  refresh: number;
  onRenewed(created: CreatedEvent): void;
  onTokenRefused(): void;
}

export function EventsSection({ token, refresh, onRenewed, onTokenRefused }: Props) {
  const t = useT();
  const ui = useUiLanguage();
  const [events, setEvents] = useState<EventSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reportFor, setReportFor] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await listEvents(token);
    if (r.ok) {
      setEvents(r.data.events);
      setProblem(null);
    } else if (r.error.code === 'AUTH_FAILED') onTokenRefused();
    else setProblem(translate('admin.eventsFailed', { message: explain(r.error) }));
  }, [token, onTokenRefused]);
  useEffect(() => void load(), [load, refresh]);

  async function renew(id: string) {
    setBusy(id);
    const r = await replaceSecrets(token, id);
    setBusy(null);
    setConfirming(null);
    if (r.ok) onRenewed(r.data);
    else setProblem(translate('admin.newLinksFailed', { message: explain(r.error) }));
  }

  const date = new Intl.DateTimeFormat(ui, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="events" aria-labelledby="events-h" data-testid="admin-events">
      <h2 id="events-h" className="events-h">
        {t('admin.events')}
      </h2>
      <p className="field-help">{t('admin.eventsHelp')}</p>
      <Problem text={problem} onRetry={() => void load()} />
      {events?.length === 0 && <p className="field-help">{t('admin.eventsNone')}</p>}
      {events && events.length > 0 && (
        <ul className="events-list">
          {events.map((e) => (
            <li key={e.id} className="events-item surface-box" data-testid={`event-${e.code}`}>
              <div className="events-what">
                <p className="events-title">
                  <bdi dir="auto">{e.title}</bdi>
                </p>
                {/* Each piece isolated: the code, the date and the codes of the languages never run together. */}
                <p className="events-meta">
                  <bdi className="events-code" dir="ltr">
                    {e.code}
                  </bdi>
                  {' · '}
                  <bdi>{date.format(e.createdAt)}</bdi>
                  {' · '}
                  <bdi>{t('admin.eventItems', { n: e.items })}</bdi>
                  {' · '}
                  <bdi dir="ltr">{e.languages.map((l) => l.toUpperCase()).join(' ')}</bdi>
                  {' · '}
                  <bdi>{t(`phase.${e.phase}`)}</bdi>
                </p>
              </div>
              {confirming === e.id ? (
                <div className="events-confirm" role="group" aria-label={t('admin.newLinks')}>
                  <p className="events-warn">{t('admin.newLinksConfirm')}</p>
                  <button
                    type="button"
                    className="btn btn-primary"
                    data-testid={`renew-yes-${e.code}`}
                    disabled={busy === e.id}
                    aria-busy={busy === e.id || undefined}
                    onClick={() => void renew(e.id)}
                  >
                    {t('admin.newLinksYes')}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(null)}>
                    {t('common.cancel')}
                  </button>
                </div>
              ) : (
                <div className="events-actions">
                  <button
                    type="button"
                    className="btn"
                    aria-expanded={reportFor === e.id}
                    aria-controls={`events-report-${e.id}`}
                    data-testid={`report-${e.code}`}
                    onClick={() => setReportFor(reportFor === e.id ? null : e.id)}
                  >
                    {t('rep.panel')}
                  </button>
                  <button type="button" className="btn" data-testid={`renew-${e.code}`} onClick={() => setConfirming(e.id)}>
                    {t('admin.newLinks')}
                  </button>
                </div>
              )}
              {reportFor === e.id && (
                <section id={`events-report-${e.id}`} className="events-report" aria-label={t('rep.panel')} data-testid="report-panel">
                  <ReportContent eventId={e.id} token={token} />
                </section>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
