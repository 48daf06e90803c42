/**
 * The projector: read from the back of the room. No controls, no cursor, no scrollbars.
 * One screen per projector mode (`screens`).
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { AgendaItem, ProjectorMode } from '../../../../shared/schemas.ts';
import { ConnDot } from '../../components/Conn.tsx';
import { KeyProblem } from '../../components/KeyProblem.tsx';
import { StageItem } from '../../components/StageItem.tsx';
import { useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { shownSlidePage, upcoming, usePhaseLabel } from '../../lib/agenda.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { fetchJoinLink, qrSrc } from '../../net/api.ts';
import { connect, disconnect } from '../../net/socket.ts';
import { fragmentKey } from '../../router.ts';
import { useStore } from '../../store/store.ts';
import { CaptionsScreen } from './CaptionsScreen.tsx';
import { PollScreen } from './PollScreen.tsx';
import { FloorScreen } from './FloorScreen.tsx';
import { SlideScreen } from './SlideScreen.tsx';
import { QuestionScreen, TopQuestions, useTopQuestionsKey } from './QuestionScreen.tsx';
import './projector.css';

export default function Projector({ eventId }: { eventId: string }) {
  const token = fragmentKey();
  const refused = useStore((s) => (s.conn.status === 'refused' ? s.conn.code : null));
  const ready = useStore((s) => s.live !== null);
  const mode = useStore((s) => s.live?.projector.mode ?? 'queue');
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const title = useStore((s) => s.live?.event.title);
  const t = useT();
  useDocumentTitle(t('role.projector'), title);
  useEffect(() => void applyReaderUiLanguage(), []);

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
      <div className="proj theme-stage proj-problem">
        <KeyProblem code={token ? refused : 'AUTH_FAILED'} role="projector" />
      </div>
    );
  }
  if (!ready) {
    return (
      <div className="proj theme-stage proj-center">
        <p className="proj-wait">{t('common.connecting')}</p>
      </div>
    );
  }
  const Screen = mode === 'join' ? JoinScreen : ended ? EndScreen : screens[mode];
  return (
    <div className="proj theme-stage" data-mode={mode}>
      {/* One h1 whatever the mode shows (the queue shows the title large, the other modes do not). */}
      <h1 className="visually-hidden">
        <bdi dir="auto">{title}</bdi>
      </h1>
      <Screen />
      <OfflineMark />
    </div>
  );
}

const noItems: AgendaItem[] = [];

/**
 * What the queue screen gives up, in order, when the speaker block would not fit: the room's
 * questions (3 → 0), then the running order (3 → 1), then the speaker's type shrinks a little.
 * The speaker, delegation and timer are never clipped.
 */
const FIT_STEPS = [
  { questions: 3, next: 3, tight: false },
  { questions: 2, next: 3, tight: false },
  { questions: 1, next: 3, tight: false },
  { questions: 0, next: 3, tight: false },
  { questions: 0, next: 2, tight: false },
  { questions: 0, next: 1, tight: false },
  { questions: 0, next: 1, tight: true },
] as const;

/**
 * The first step of FIT_STEPS at which `ref`'s content fits its box, measured before paint.
 * Starts over at step 0 whenever `key` (what is shown), the window or the timer row's height changes.
 */
function useFitStep(ref: RefObject<HTMLElement | null>, key: string): number {
  const [size, setSize] = useState(0);
  useEffect(() => {
    const bump = () => setSize((n) => n + 1);
    window.addEventListener('resize', bump);
    // The timer row grows when its words ("over time", "paused") make it wrap.
    const meta = ref.current?.querySelector('.proj-meta');
    let height = meta?.getBoundingClientRect().height ?? 0;
    const observer = new ResizeObserver(() => {
      const h = meta?.getBoundingClientRect().height ?? 0;
      if (Math.abs(h - height) > 1) {
        height = h;
        bump();
      }
    });
    if (meta) observer.observe(meta);
    return () => {
      window.removeEventListener('resize', bump);
      observer.disconnect();
    };
  }, [ref, key]);
  const full = `${key}|${size}`;
  const [fit, setFit] = useState({ key: full, step: 0 });
  const step = fit.key === full ? fit.step : 0;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || step >= FIT_STEPS.length - 1) return;
    if (el.scrollHeight > el.clientHeight + 1) setFit({ key: full, step: step + 1 });
  });
  return step;
}

/** Long names and titles get somewhat smaller type (and are clamped to two lines in the CSS). */
const lengthClass = (text: string, long: number) => (text.length > long ? 'long' : 'short');

function QueueScreen() {
  const phase = useStore((s) => s.live?.stage.phase ?? 'waiting');
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const timer = useStore((s) => s.live?.stage.timer);
  const page = useStore((s) => shownSlidePage(s.live));
  const title = useStore((s) => s.live?.event.title ?? '');
  const theme = useStore((s) => s.live?.event.theme);
  const agenda = useStore((s) => s.live?.agenda ?? noItems);
  const stageId = useStore((s) => s.live?.stage.itemId ?? null);
  const questionsKey = useTopQuestionsKey();
  const t = useT();
  const phaseLabel = usePhaseLabel();
  const ref = useRef<HTMLDivElement>(null);
  const all = upcoming(agenda, stageId, 3);
  const fitKey = [
    phase,
    title,
    theme,
    page !== null,
    item ? [item.id, item.speaker, item.delegation, item.title].join('\u0000') : '',
    all.map((i) => `${i.id}:${i.speaker}:${i.delegation}`).join(','),
    questionsKey,
  ].join('|');
  const fit = FIT_STEPS[useFitStep(ref, fitKey)]!;
  const coming = all.slice(0, fit.next);

  return (
    <div className={`proj-queue${fit.tight ? ' is-tight' : ''}`} ref={ref}>
      <header className="proj-head">
        <p className="proj-event" dir="auto">
          {title}
        </p>
        {phase !== 'speaking' && <p className={`proj-phase phase-${phase}`}>{phaseLabel[phase]}</p>}
      </header>
      <main
        className="proj-now"
        data-speaker={item ? lengthClass(item.speaker || item.delegation, 36) : undefined}
        data-title={item ? lengthClass(item.title, 110) : undefined}
      >
        {item && timer ? (
          <>
            <p className="proj-label">{phase === 'speaking' ? t('proj.nowSpeaking') : t('common.onStage')}</p>
            <StageItem prefix="proj" item={item} timer={timer} page={page} />
          </>
        ) : (
          <>
            <p className="proj-label">{phase === 'break' ? phaseLabel.break : t('proj.welcome')}</p>
            <p className="proj-speaker proj-welcome" dir="auto">
              {title}
            </p>
            {theme && (
              <p className="proj-title" dir="auto">
                {theme}
              </p>
            )}
            <p className="proj-soon">{t('proj.startSoon')}</p>
          </>
        )}
      </main>
      {coming.length > 0 && (
        <section className="proj-next" aria-label={t('proj.next')}>
          <p className="proj-next-label">{t('proj.next')}</p>
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
      <TopQuestions max={fit.questions} />
      <JoinCorner />
    </div>
  );
}

/** PUBLIC_URL's attendee address (what the QR code encodes); this page's origin until it arrives. */
function useJoinAddress(code: string): string {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!code) return;
    let live = true;
    void fetchJoinLink(code).then((r) => live && r.ok && setUrl(r.data.url));
    return () => {
      live = false;
    };
  }, [code]);
  return url ?? `${location.origin}/e/${code}`;
}

function JoinCorner() {
  const code = useStore((s) => s.live?.event.code ?? '');
  const address = useJoinAddress(code);
  const t = useT();
  return (
    <aside className="proj-corner" aria-label={t('proj.followPhone')}>
      <img className="proj-qr" src={qrSrc(code)} alt="" />
      <div className="proj-corner-text">
        <p className="proj-corner-label">{t('proj.followPhone')}</p>
        <p className="proj-code" data-testid="join-code" dir="ltr">
          {code}
        </p>
        <p className="proj-url" dir="ltr">
          {address.replace(/^https?:\/\//, '')}
        </p>
      </div>
    </aside>
  );
}

function JoinScreen() {
  const code = useStore((s) => s.live?.event.code ?? '');
  const title = useStore((s) => s.live?.event.title ?? '');
  const address = useJoinAddress(code);
  const listen = useStore((s) => Object.values(s.live?.audio ?? {}).some((c) => c.onAir));
  const t = useT();
  return (
    <div className="proj-join">
      <p className="proj-event" dir="auto">
        {title}
      </p>
      <p className="proj-join-lead">{t('proj.joinLead')}</p>
      {listen && (
        <p className="proj-join-lead" data-testid="join-listen">
          {t('proj.listenLead')}
        </p>
      )}
      <div className="proj-join-body">
        <img className="proj-join-qr" src={qrSrc(code)} alt={t('proj.qrAlt')} />
        <div className="proj-join-text">
          <p className="proj-join-step">{t('proj.scan')}</p>
          <p className="proj-join-url" dir="ltr">
            {address}
          </p>
          <p className="proj-join-step">{t('proj.typeCode')}</p>
          <p className="proj-join-code" data-testid="join-code" dir="ltr">
            {code}
          </p>
        </div>
      </div>
    </div>
  );
}

function EndScreen() {
  const title = useStore((s) => s.live?.event.title ?? '');
  const t = useT();
  return (
    <div className="proj-center proj-end">
      <p className="proj-thanks">{t('proj.thanks')}</p>
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
  slide: () => <SlideScreen fallback={QueueScreen} />,
  question: () => <QuestionScreen fallback={QueueScreen} />,
  captions: CaptionsScreen,
  join: JoinScreen,
  poll: () => <PollScreen fallback={QueueScreen} joinCorner={JoinCorner} />,
  floor: FloorScreen,
};
