/**
 * The interpreter's laptop — a placeholder for now: what is on stage. Captioning (the input,
 * the fixed segments, the glossary) arrives in a later version.
 */
import { useEffect } from 'react';
import { ConnBanner, ConnDot } from '../../components/Conn.tsx';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { Timer } from '../../components/Timer.tsx';
import { englishName, nativeName } from '../../lib/lang.ts';
import { phaseLabel } from '../../lib/agenda.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { connect, disconnect } from '../../net/socket.ts';
import { fragmentKey } from '../../router.ts';
import { useStore } from '../../store/store.ts';
import './interpreter.css';

export default function Interpreter({ eventId }: { eventId: string }) {
  const token = fragmentKey();
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const title = useStore((s) => s.live?.event.title);
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const phase = useStore((s) => s.live?.stage.phase);
  const timer = useStore((s) => s.live?.stage.timer);
  const page = useStore((s) => s.live?.stage.slide?.page ?? null);
  useDocumentTitle('Interpreter', title);

  useEffect(() => {
    if (!token) return;
    connect({ eventId, token });
    return () => disconnect();
  }, [eventId, token]);

  if (!token || refused) return <KeyProblem code={token ? refused : 'AUTH_FAILED'} role="interpreter" />;

  return (
    <div className="int">
      <header className="int-top">
        <p className="int-title">
          <span className="int-brand">Interpreter</span>
          {title && (
            <>
              <span aria-hidden="true"> · </span>
              <bdi dir="auto">{title}</bdi>
            </>
          )}
        </p>
        <ConnDot showLabel />
      </header>
      <ConnBanner />
      <main className="int-main">
        <section className="int-stage" aria-labelledby="int-stage-h">
          <h1 id="int-stage-h" className="int-h">
            On stage{phase && phase !== 'speaking' ? ` · ${phaseLabel[phase]}` : ''}
          </h1>
          {item ? (
            <>
              <p className="int-speaker" data-testid="now-speaker" dir="auto">
                {item.speaker || item.delegation}
              </p>
              {item.speaker && item.delegation && (
                <p className="int-delegation" data-testid="now-delegation" dir="auto">
                  {item.delegation}
                </p>
              )}
              {item.title && (
                <p className="int-item-title" dir="auto">
                  {item.title}
                </p>
              )}
              <dl className="int-facts">
                <div>
                  <dt>Spoken in</dt>
                  <dd data-testid="stage-language">
                    <span lang={item.language}>{nativeName(item.language)}</span> ({englishName(item.language)})
                  </dd>
                </div>
                <div>
                  <dt>Slide</dt>
                  <dd data-testid="slide-page">{page !== null ? `slide ${page}` : '—'}</dd>
                </div>
                <div>
                  <dt>Time</dt>
                  <dd>{timer && <Timer timer={timer} />}</dd>
                </div>
              </dl>
            </>
          ) : (
            <p className="int-empty">Nobody on stage yet.</p>
          )}
        </section>
        <p className="int-later">Captioning arrives in a later version.</p>
      </main>
    </div>
  );
}
