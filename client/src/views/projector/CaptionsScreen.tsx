/**
 * Projector `captions` mode: the live captions of one or two languages the moderator chose
 * (`captions:display`), very large, newest at the bottom; the speaker and timer in a corner.
 * Read from the back of the room: only the last lines of each language are kept on screen.
 */
import { useLayoutEffect, useRef } from 'react';
import { Timer } from '../../components/Timer.tsx';
import { useT } from '../../i18n/index.ts';
import { nativeName } from '../../lib/lang.ts';
import { useCaptions, useLangCaptions } from '../../store/captions.ts';
import { useStore } from '../../store/store.ts';
import './captions-screen.css';

/** Segments drawn per language; the box clips from the top, so the newest lines always show. */
const SHOWN = 12;

export function CaptionsScreen() {
  const languages = useStore((s) => s.live?.event.languages ?? []);
  const chosen = useCaptions((s) => s.display?.langs);
  const langs = (chosen?.length ? chosen : languages.slice(0, 1)).slice(0, 2);
  return (
    <div className={`proj-captions proj-captions-${langs.length}`} data-testid="projector-captions">
      <Corner />
      <div className="proj-cap-columns">
        {langs.map((l) => (
          <CaptionColumn key={l} lang={l} showName={langs.length > 1} />
        ))}
      </div>
    </div>
  );
}

function CaptionColumn({ lang, showName }: { lang: string; showName: boolean }) {
  const t = useT();
  const list = useLangCaptions(lang);
  const box = useRef<HTMLDivElement>(null);
  const shown = list.slice(-SHOWN);
  useLayoutEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [list]);
  return (
    <section className="proj-cap-col" lang={lang} data-lang={lang}>
      {showName && <p className="proj-cap-lang">{nativeName(lang)}</p>}
      <div className="proj-cap-box" ref={box}>
        {shown.length === 0 ? (
          <p className="proj-cap-empty">{t('proj.noCaptions')}</p>
        ) : (
          shown.map((c) => (
            <p key={c.id} className={`proj-cap-seg${c.final ? '' : ' is-interim'}`} dir="auto" data-testid="projector-caption">
              {c.text}
            </p>
          ))
        )}
      </div>
    </section>
  );
}

function Corner() {
  const item = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId));
  const timer = useStore((s) => s.live?.stage.timer);
  const title = useStore((s) => s.live?.event.title ?? '');
  return (
    <header className="proj-cap-corner">
      {item ? (
        <p className="proj-cap-who">
          <bdi dir="auto">{item.speaker || item.delegation}</bdi>
          {item.speaker && item.delegation && (
            <span className="proj-cap-del">
              {' · '}
              <bdi dir="auto">{item.delegation}</bdi>
            </span>
          )}
        </p>
      ) : (
        <p className="proj-cap-who" dir="auto">
          {title}
        </p>
      )}
      {item && timer && <Timer timer={timer} className="proj-cap-timer" />}
    </header>
  );
}
