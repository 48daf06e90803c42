/**
 * The attendee's phone: first the one-step join (table, caption language), remembered per event;
 * then NOW, the captions area and a bottom bar within thumb reach (LiveScreen, its own chunk). The
 * interface itself speaks the reader's language (lib/readerLanguage.ts), not the captions'.
 */
import { lazy, useEffect, useState } from 'react';
import type { PublicEvent } from '../../../../shared/schemas.ts';
import { useT } from '../../i18n/index.ts';
import { defaultLanguage } from '../../lib/lang.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useDocumentTitle } from '../../lib/title.ts';
import { JoinStep } from './JoinStep.tsx';
import { UnknownCode } from './UnknownCode.tsx';
import { loadPref, savePref, type JoinPref } from './prefs.ts';
import { joinSnapshot, loadLiveScreen } from './start.ts';
import './attendee.css';

const LiveScreen = lazy(() => loadLiveScreen().then((m) => ({ default: m.LiveScreen })));

type Loading =
  | { kind: 'loading' }
  | { kind: 'join'; event: PublicEvent }
  | { kind: 'notFound' }
  | { kind: 'offline'; message: string };

export default function Attendee({ code }: { code: string }) {
  const [pref, setPref] = useState<JoinPref | null>(() => loadPref(code));
  const [load, setLoad] = useState<Loading>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const t = useT();

  useEffect(() => {
    if (pref) return;
    let cancelled = false;
    setLoad({ kind: 'loading' });
    joinSnapshot(code).then((r) => {
      if (cancelled) return;
      if (r.ok) {
        const event = r.data;
        // Nothing to choose: skip the step.
        if (event.tables.length === 0 && event.languages.length <= 1) {
          choose({ table: null, lang: event.languages[0] ?? 'en' });
        } else setLoad({ kind: 'join', event });
      } else if (r.error.code === 'NOT_FOUND') setLoad({ kind: 'notFound' });
      else setLoad({ kind: 'offline', message: r.error.message });
    });
    return () => {
      cancelled = true;
    };
  }, [code, pref, attempt]);

  function choose(next: JoinPref) {
    savePref(code, next);
    setPref(next);
  }

  if (pref) return <LiveScreen code={code} pref={pref} onPref={choose} />;
  switch (load.kind) {
    case 'loading':
      return <p className="page-loading">{t('common.loading')}</p>;
    case 'notFound':
      return <UnknownCode code={code} />;
    case 'offline':
      return (
        <main className="page-message">
          <h1>{t('att.cannotReach')}</h1>
          <p>{t('att.cannotReachText', { message: load.message })}</p>
          <button type="button" className="btn btn-primary" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.tryAgain')}
          </button>
        </main>
      );
    case 'join':
      return <JoinScreen event={load.event} onJoin={choose} />;
  }
}

function JoinScreen({ event, onJoin }: { event: PublicEvent; onJoin(pref: JoinPref): void }) {
  const t = useT();
  useDocumentTitle(t('att.joinTitle'), event.title);
  const lang = defaultLanguage(event.languages);
  // The interface speaks the reader's language, whichever captions they choose.
  useEffect(() => void applyReaderUiLanguage(), []);
  return (
    <main className="join-screen">
      <p className="join-brand">Tribune</p>
      <h1 className="join-title" dir="auto">
        {event.title}
      </h1>
      {event.theme && (
        <p className="join-theme" dir="auto">
          {event.theme}
        </p>
      )}
      <p className="join-lead">{t('att.chooseOnce')}</p>
      <JoinStep event={event} initial={{ table: null, lang }} submitLabel={t('att.joinButton')} onSubmit={onJoin} />
    </main>
  );
}
