/**
 * The moderator's tablet: running order on the left, controls on the right (stacked in
 * portrait, with Next and the timer kept on screen). Every command shows its outcome.
 */
import { useEffect } from 'react';
import { ConnBanner, ConnDot } from '../../components/Conn.tsx';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect } from '../../net/socket.ts';
import { fragmentKey } from '../../router.ts';
import { useStore } from '../../store/store.ts';
import { AgendaList } from './AgendaList.tsx';
import { AudioChannels } from './AudioChannels.tsx';
import { Audience } from './Audience.tsx';
import { CaptionsPanel } from './CaptionsPanel.tsx';
import { EvaluationPanel } from './EvaluationPanel.tsx';
import { PollsPanel } from './PollsPanel.tsx';
import { FloorPanel } from './FloorPanel.tsx';
import { QuestionsPanel } from './QuestionsPanel.tsx';
import { ReportPanel } from './ReportPanel.tsx';
import { Dock, OnStage, Secondary, TimerControls } from './Controls.tsx';
import './moderator.css';

export default function Moderator({ eventId }: { eventId: string }) {
  const token = fragmentKey();
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const ready = useStore((s) => s.live !== null);
  const title = useStore((s) => s.live?.event.title);
  const t = useT();
  useDocumentTitle(t('mod.brand'), title);
  useEffect(() => void applyReaderUiLanguage(), []);

  useEffect(() => {
    if (!token) return;
    connect({ eventId, token });
    return () => disconnect();
  }, [eventId, token]);

  if (!token || refused) return <KeyProblem code={token ? refused : 'AUTH_FAILED'} role="moderator" />;

  return (
    <div className="mod-shell">
      <div className="mod">
        <header className="mod-top">
          <h1 className="mod-title">
            <span className="mod-brand">{t('mod.brand')}</span>
            {title && (
              <>
                <span aria-hidden="true"> · </span>
                <bdi dir="auto">{title}</bdi>
              </>
            )}
          </h1>
          <ConnDot showLabel />
          <Audience />
          <AudioChannels />
        </header>
        <ConnBanner />
        {ready ? (
          <div className="mod-body">
            <section className="mod-order" aria-labelledby="mod-order-h">
              <h2 id="mod-order-h" className="mod-h">
                {t('mod.runningOrder')}
              </h2>
              <AgendaList />
            </section>
            <div className="mod-controls">
              <OnStage />
              <Dock />
              <TimerControls />
              <Secondary />
              <FloorPanel />
              <QuestionsPanel />
              <PollsPanel />
              <EvaluationPanel />
              <CaptionsPanel />
              <ReportPanel eventId={eventId} token={token} />
            </div>
          </div>
        ) : (
          <p className="page-loading">{t('common.connecting')}</p>
        )}
      </div>
    </div>
  );
}
