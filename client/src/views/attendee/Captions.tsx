/**
 * The phone's captions: the largest area, newest at the bottom. It follows live unless the reader
 * scrolled back ("Back to live" returns). Final text in full contrast, the segment being typed
 * visibly provisional. Text size is kept on the device. When nobody captions the chosen language,
 * it says so (or, when the speaker on stage speaks it, that the reader can follow them as they are)
 * and offers the languages that are captioned meanwhile (translated on the device, labelled as
 * machine translation, where the browser can).
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Caption } from '../../../../shared/captions.ts';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { sections } from '../../lib/captions.ts';
import { languageName, nativeName } from '../../lib/lang.ts';
import { readJson, writeJson } from '../../lib/storage.ts';
import { updateAuth } from '../../net/socket.ts';
import { send } from '../../net/transport.ts';
import { forgetLanguage, resumeAfter, useCaptions, useLangCaptions } from '../../store/captions.ts';
import { useStore } from '../../store/store.ts';
import { useDeviceTranslation } from './deviceTranslation.ts';
import './captions.css';

/** Caption text sizes (rem), from the default to very large. */
export const CAPTION_SIZES = [1.1, 1.35, 1.65, 2, 2.5, 3.1] as const;
const SIZE_KEY = 'tribune.captionSize';

function loadSize(): number {
  const n = readJson<number>(SIZE_KEY);
  return typeof n === 'number' && n >= 0 && n < CAPTION_SIZES.length ? n : 1;
}

/**
 * The language whose captions this phone follows: its own, or meanwhile another one the reader
 * picked among those captioned (the floor language first).
 */
function useFollowedLanguage(lang: string) {
  const languages = useStore((s) => s.live?.event.languages);
  const status = useCaptions((s) => s.status);
  const [other, setOther] = useState<string | null>(null);
  const captioned = (l: string) => !status || status.human.includes(l) || status.machine.includes(l);
  const covered = captioned(lang);
  const followed = other && !covered ? other : lang;
  const previous = useRef({ lang: followed, instead: false });

  // The language chosen changed: follow it (LiveScreen sends `lang:set` for it).
  useEffect(() => setOther(null), [lang]);

  useEffect(() => {
    const before = previous.current;
    const instead = followed !== lang;
    previous.current = { lang: followed, instead };
    if (before.lang === followed) return;
    forgetLanguage(before.lang);
    updateAuth({ lang: followed });
    // Switching back to the chosen language after a change of `lang` is LiveScreen's job.
    if (instead || before.instead) void send('lang:set', { lang: followed, ...resumeAfter(followed) });
  }, [followed, lang]);

  // What can be shown instead: the event's languages someone captions now, the floor language first.
  const offered = status ? (languages ?? []).filter((l) => l !== lang && captioned(l)) : [];
  return { followed, covered, instead: followed !== lang, follow: setOther, offered };
}

export function Captions({ lang }: { lang: string }) {
  const t = useT();
  const ui = useUiLanguage();
  // Inside a sentence, a language is named as the sentence's language writes it ("en español",
  // "en français", "auf Deutsch"); the heading names it in its own language, as a label.
  const inSentence = (l: string) => languageName(l, ui);
  const { followed, covered, instead, follow, offered } = useFollowedLanguage(lang);
  const list = useLangCaptions(followed);
  const items = useStore((s) => s.live?.agenda);
  // The language spoken on stage now: a guest whose language it is needs no captions to follow it.
  const spoken = useStore((s) => s.live?.agenda.find((i) => i.id === s.live?.stage.itemId)?.language);
  const [size, setSize] = useState(loadSize);
  const device = useDeviceTranslation(instead ? followed : null, lang);

  const changeSize = (delta: number) => {
    const next = Math.max(0, Math.min(CAPTION_SIZES.length - 1, size + delta));
    setSize(next);
    writeJson(SIZE_KEY, next);
  };

  const { boxRef, following, backToLive, onScroll } = useFollowLive(list);
  const who = (itemId: string | null) => {
    const item = items?.find((i) => i.id === itemId);
    return item ? item.speaker || item.delegation : null;
  };

  return (
    <section className="captions cap" aria-labelledby="captions-h" data-testid="captions" data-lang={followed}>
      <div className="cap-head">
        <h2 id="captions-h" className="cap-h">
          {t('captions.heading')} · <span lang={followed}>{nativeName(followed)}</span>
        </h2>
        <div className="cap-size" role="group" aria-label={t('captions.textSize')}>
          {/* The name is the words, not an aria-label the visible "A−" is no part of (axe: label-content-name-mismatch). */}
          <button type="button" className="btn cap-size-btn" onClick={() => changeSize(-1)} disabled={size === 0} data-testid="caption-smaller">
            <span aria-hidden="true">A−</span>
            <span className="visually-hidden">{t('captions.smaller')}</span>
          </button>
          <button
            type="button"
            className="btn cap-size-btn cap-size-big"
            onClick={() => changeSize(1)}
            disabled={size === CAPTION_SIZES.length - 1}
            data-testid="caption-larger"
          >
            <span aria-hidden="true">A+</span>
            <span className="visually-hidden">{t('captions.larger')}</span>
          </button>
        </div>
      </div>

      {!covered && (
        <div className="cap-notice" role="status" data-testid="captions-nobody" data-spoken={spoken === lang || undefined}>
          <p>{t(spoken === lang ? 'captions.speakerSpeaks' : 'captions.nobody', { language: inSentence(lang) })}</p>
          {!instead && offered.length > 0 && (
            <div className="cap-notice-actions">
              {offered.map((l) => (
                <button key={l} type="button" className="btn" onClick={() => follow(l)} data-testid="captions-fallback" data-lang={l}>
                  {t('captions.showLanguage', { language: inSentence(l) })}
                </button>
              ))}
            </div>
          )}
          {instead && (
            <>
              <p className="cap-notice-small">{t('captions.showingOther', { language: inSentence(followed) })}</p>
              <div className="cap-notice-actions">
                {device.offer && !device.on && (
                  <button type="button" className="btn" onClick={device.enable} data-testid="captions-device-translate">
                    {t('captions.translateOnDevice', { language: inSentence(lang) })}
                  </button>
                )}
                {device.on && (
                  <button type="button" className="btn" onClick={device.disable}>
                    {t('captions.showOriginal')}
                  </button>
                )}
                <button type="button" className="btn" onClick={() => follow(null)}>
                  {t('captions.hideFloor')}
                </button>
              </div>
              {device.on && <p className="cap-machine-note">{t('captions.machineNote')}</p>}
              {device.error && <p className="cap-notice-small">{t('captions.deviceUnavailable')}</p>}
            </>
          )}
        </div>
      )}

      <div
        className="cap-box"
        ref={boxRef}
        onScroll={onScroll}
        style={{ fontSize: `${CAPTION_SIZES[size]}rem` }}
        tabIndex={0}
        role="log"
        aria-live="off"
        aria-label={t('captions.heading')}
        data-testid="caption-box"
      >
        {list.length === 0 ? (
          <p className="cap-empty">{covered || instead ? t('captions.waiting') : t('captions.none')}</p>
        ) : (
          sections(list).map((sec, n) => (
            <div className="cap-section" key={`${sec.itemId ?? '-'}-${n}`}>
              {who(sec.itemId) && (
                <p className="cap-who" dir="auto">
                  {who(sec.itemId)}
                </p>
              )}
              {sec.segments.map((c) => (
                <Segment key={c.id} c={c} lang={followed} translated={device.on ? device.translations[c.id] : undefined} />
              ))}
            </div>
          ))
        )}
      </div>
      {!following && (
        <button type="button" className="btn btn-primary cap-live" onClick={backToLive} data-testid="back-to-live">
          <span aria-hidden="true">↓</span> {t('captions.backToLive')}
        </button>
      )}
      <FinalAnnouncer list={list} />
    </section>
  );
}

function Segment({ c, lang, translated }: { c: Caption; lang: string; translated: string | undefined }) {
  const t = useT();
  const machine = c.source === 'machine' || translated !== undefined;
  return (
    <p
      className={`cap-seg${c.final ? '' : ' is-interim'}${machine ? ' is-machine' : ''}`}
      dir="auto"
      lang={translated !== undefined ? undefined : lang}
      data-testid="caption"
      data-final={c.final}
      data-id={c.id}
    >
      {translated ?? c.text}
      {machine && <span className="cap-badge">{t('captions.machineBadge')}</span>}
      {!c.final && <span className="visually-hidden"> ({t('captions.typing')})</span>}
    </p>
  );
}

/** Screen readers hear each final segment once (interim text would be noise). */
function FinalAnnouncer({ list }: { list: readonly Caption[] }) {
  const last = [...list].reverse().find((c) => c.final);
  return (
    <p className="visually-hidden" aria-live="polite">
      {last ? <bdi dir="auto">{last.text}</bdi> : null}
    </p>
  );
}

/** Keeps the newest caption in view unless the reader scrolled back. */
function useFollowLive(list: readonly Caption[]) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const programmatic = useRef(false);

  const toBottom = useCallback(() => {
    const box = boxRef.current;
    if (!box) return;
    programmatic.current = true;
    box.scrollTop = box.scrollHeight;
    requestAnimationFrame(() => (programmatic.current = false));
  }, []);

  useLayoutEffect(() => {
    if (followingRef.current) toBottom();
  }, [list, toBottom]);

  // The text size changes the height too.
  useEffect(() => {
    const box = boxRef.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => followingRef.current && toBottom());
    ro.observe(box);
    return () => ro.disconnect();
  }, [toBottom]);

  const onScroll = () => {
    const box = boxRef.current;
    if (!box || programmatic.current) return;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    followingRef.current = atBottom;
    setFollowing(atBottom);
  };

  const backToLive = () => {
    followingRef.current = true;
    setFollowing(true);
    toBottom();
  };

  return { boxRef, following, backToLive, onScroll };
}

