/**
 * The projector: read from the back of the room. No controls, no cursor, no scrollbars.
 * One screen per projector mode; `slide`, `question` and `captions` show the queue until
 * their issues land (add them to `screens`).
 */
import { useEffect, type ReactNode } from 'react';
import type { AgendaItem, ProjectorMode } from '../../../../shared/schemas.ts';
import { ConnDot } from '../../components/Conn.tsx';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { Timer } from '../../components/Timer.tsx';
import { phaseLabel, upcoming } from '../../lib/agenda.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { qrSrc } from '../../net/api.ts';
import { connect, disconnect } from '../../net/socket.ts';
import { fragmentKey } from '../../router.ts';
import { useStore } from '../../store/store.ts';
import './projector.css';

export default function Projector({ eventId }: { eventId: string }) {
  const token = fragmentKey();
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const ready = useStore((s) => s.live !== null);
  const mode = useStore((s) => s.live?.projector.mode ?? 'queue');
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const title = useStore((s) => s.live?.event.title);
  useDocumentTitle('Projector', title);

  useEffect(() => {
    document.body.classList.add('is-projector');
    document.documentElement.classList.add('is-projector');
    return () => {
      document.body.classList.remove('is-projector');
      document.documentElement.classList.remove('is-projector');
    };
  }, []);

  useEffect(() => {
    if (!token) return;
    connect({ eventId, token });
    return () => disconnect();
  }, [eventId, token]);

  if (!token || refused) {
    return (
      <div className="proj proj-problem">
        <KeyProblem code={token ? refused : 'AUTH_FAILED'} role="projector" />
      </div>
    );
  }
  if (!ready) {
    return (
      <div className="proj proj-center">
        <p className="proj-wait">Connecting…</p>
      </div>
    );
  }
  const Screen = mode === 'join' ? JoinScreen : ended ? EndScreen : screens[mode];
  return (
    <div className="proj" data-mode={mode}>
      <Screen />
      <OfflineMark />
    </div>
  );
}

const noItems: AgendaItem[] = [];

function QueueScreen() {
  const phase = useStore((s) => s.live?.stage.phase ?? 'waiting');
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const timer = useStore((s) => s.live?.stage.timer);
  const page = useStore((s) => s.live?.stage.slide?.page ?? null);
  const title = useStore((s) => s.live?.event.title ?? '');
  const theme = useStore((s) => s.live?.event.theme);
  const agenda = useStore((s) => s.live?.agenda ?? noItems);
  const stageId = useStore((s) => s.live?.stage.itemId ?? null);
  const coming = upcoming(agenda, stageId, 3);

  return (
    <div className="proj-queue">
      <header className="proj-head">
        <p className="proj-event" dir="auto">
          {title}
        </p>
        {phase !== 'speaking' && <p className={`proj-phase phase-${phase}`}>{phaseLabel[phase]}</p>}
      </header>
      <main className="proj-now">
        {item && timer ? (
          <>
            <p className="proj-label">{phase === 'speaking' ? 'Now speaking' : 'On stage'}</p>
            <p className="proj-speaker" data-testid="now-speaker" dir="auto" lang={item.language}>
              {item.speaker || item.delegation}
            </p>
            {item.speaker && item.delegation && (
              <p className="proj-delegation" data-testid="now-delegation" dir="auto">
                {item.delegation}
              </p>
            )}
            {item.title && (
              <p className="proj-title" dir="auto" lang={item.language}>
                {item.title}
              </p>
            )}
            <div className="proj-meta">
              <Timer timer={timer} className="proj-timer" />
              {page !== null && (
                <span className="proj-slide" data-testid="slide-page" dir="ltr">
                  slide {page}
                </span>
              )}
            </div>
          </>
        ) : (
          <>
            <p className="proj-label">{phase === 'break' ? 'Break' : 'Welcome'}</p>
            <p className="proj-speaker proj-welcome" dir="auto">
              {title}
            </p>
            {theme && (
              <p className="proj-title" dir="auto">
                {theme}
              </p>
            )}
            <p className="proj-soon">The debate will start soon</p>
          </>
        )}
      </main>
      {coming.length > 0 && (
        <section className="proj-next" aria-label="Next">
          <p className="proj-next-label">Next</p>
          <ol className="proj-next-list">
            {coming.map((i) => (
              <li key={i.id}>
                <bdi dir="auto" className="proj-next-who">
                  {i.speaker || i.delegation}
                </bdi>
                {i.speaker && i.delegation && (
                  <>
                    <span aria-hidden="true"> · </span>
                    <bdi dir="auto">{i.delegation}</bdi>
                  </>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      <JoinCorner />
    </div>
  );
}

function joinAddress(code: string): string {
  return `${location.origin}/e/${code}`;
}

function JoinCorner() {
  const code = useStore((s) => s.live?.event.code ?? '');
  return (
    <aside className="proj-corner" aria-label="Join on your phone">
      <img className="proj-qr" src={qrSrc(code)} alt="" />
      <div className="proj-corner-text">
        <p className="proj-corner-label">Follow on your phone</p>
        <p className="proj-code" data-testid="join-code">
          {code}
        </p>
        <p className="proj-url">{joinAddress(code).replace(/^https?:\/\//, '')}</p>
      </div>
    </aside>
  );
}

function JoinScreen() {
  const code = useStore((s) => s.live?.event.code ?? '');
  const title = useStore((s) => s.live?.event.title ?? '');
  return (
    <div className="proj-join">
      <p className="proj-event" dir="auto">
        {title}
      </p>
      <p className="proj-join-lead">Follow the debate on your phone — captions in your language</p>
      <div className="proj-join-body">
        <img className="proj-join-qr" src={qrSrc(code)} alt="QR code to join" />
        <div className="proj-join-text">
          <p className="proj-join-step">Scan the code, or open</p>
          <p className="proj-join-url">{joinAddress(code)}</p>
          <p className="proj-join-step">and type the code</p>
          <p className="proj-join-code" data-testid="join-code">
            {code}
          </p>
        </div>
      </div>
    </div>
  );
}

function EndScreen() {
  const title = useStore((s) => s.live?.event.title ?? '');
  return (
    <div className="proj-center proj-end">
      <p className="proj-thanks">Thank you</p>
      <p className="proj-title" dir="auto">
        {title}
      </p>
    </div>
  );
}

/** A dim dot in a corner while connected; words beside it when the projector lost the server. */
function OfflineMark() {
  const connected = useStore((s) => s.conn.status === 'connected');
  return (
    <div className={`proj-offline${connected ? ' is-quiet' : ''}`}>
      <ConnDot showLabel={!connected} />
    </div>
  );
}

const screens: Record<ProjectorMode, () => ReactNode> = {
  queue: QueueScreen,
  slide: QueueScreen, // later issue: the current slide, speaker and timer in a corner
  question: QueueScreen, // later issue: the highlighted question
  captions: QueueScreen, // later issue: live captions
  join: JoinScreen,
};
