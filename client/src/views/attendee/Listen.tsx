/**
 * Listen: the interpreter of the reader's language (or the floor, or another channel on air) in
 * their earphones. Shown beside the captions while a channel is on air, or while the phone listens.
 * One tap starts sound; the WebRTC code (audio/listen.ts) is a chunk of its own, fetched when a
 * channel goes on air, so the first screen does not carry it. The state is honest: connecting,
 * playing, off air (the connection waits for the next interpreter), reconnecting.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { FLOOR_CHANNEL } from '../../../../shared/audio.ts';
import { HeadphonesIcon } from '../../components/Icon.tsx';
import { useT } from '../../i18n/index.ts';
import { nativeName } from '../../lib/lang.ts';
import { readJson, writeJson } from '../../lib/storage.ts';
import { useStore } from '../../store/store.ts';
import type { ListenStatus, Listener } from '../../audio/listen.ts';

const VOLUME_KEY = 'tribune.listenVolume';
const loadListen = () => import('../../audio/listen.ts');

export function Listen({ lang }: { lang: string }) {
  const t = useT();
  const id = useId();
  const eventId = useStore((s) => s.live?.event.id);
  const audio = useStore((s) => s.live?.audio);
  const speaker = useStore((s) => {
    const item = s.live?.agenda.find((i) => i.id === s.live?.stage.itemId);
    return item ? item.speaker || item.delegation : '';
  });
  const title = useStore((s) => s.live?.event.title ?? '');
  const onAir = Object.entries(audio ?? {})
    .filter(([, c]) => c.onAir)
    .map(([ch]) => ch);
  const [chosen, setChosen] = useState<string | null>(null);
  const channel = chosen ?? (onAir.includes(lang) || !onAir.length ? lang : onAir[0]!);
  const [status, setStatus] = useState<ListenStatus | null>(null);
  const [volume, setVolume] = useState(() => {
    const v = readJson<number>(VOLUME_KEY);
    return typeof v === 'number' && v >= 0 && v <= 1 ? v : 1;
  });
  const listener = useRef<Listener | null>(null);
  const channelName = (ch: string) => (ch === FLOOR_CHANNEL ? t('listen.floor') : nativeName(ch));

  // Fetched ahead, once something is on air: the tap then starts sound within its gesture.
  const anyOnAir = onAir.length > 0;
  useEffect(() => {
    if (anyOnAir) void loadListen();
  }, [anyOnAir]);

  const stop = () => {
    listener.current?.stop();
    listener.current = null;
    setStatus(null);
  };
  useEffect(() => stop, []);

  const start = async (ch: string) => {
    if (!eventId) return;
    stop();
    setStatus('connecting');
    const { startListening } = await loadListen();
    // Statuses of this listener only (it reports its first one before it is returned).
    const run = { current: true };
    const l = startListening({ eventId, channel: ch, volume, onStatus: (s) => run.current && setStatus(s) });
    const stopListener = l.stop;
    l.stop = () => {
      run.current = false;
      stopListener();
    };
    listener.current = l;
  };

  // Speaker and channel on the lock screen.
  useEffect(() => {
    listener.current?.setMetadata({ title: channelName(channel), artist: speaker, album: title });
  });

  const listening = status !== null;
  if (!listening && !anyOnAir) return null;
  const live = audio?.[channel]?.onAir ?? false;
  const shown: string = !listening
    ? ''
    : status === 'playing'
      ? live
        ? t('listen.playing', { channel: channelName(channel) })
        : t('listen.offAir', { channel: channelName(channel) })
      : status === 'full'
        ? t('listen.full')
        : status === 'gone'
          ? t('listen.gone')
          : status === 'reconnecting'
            ? t('listen.reconnecting')
            : t('listen.connecting');

  return (
    <section className="listen" aria-labelledby={`${id}-h`} data-testid="listen">
      <h2 id={`${id}-h`} className="visually-hidden">
        {t('listen.heading')}
      </h2>
      <div className="listen-row">
        <button
          type="button"
          className={`btn listen-btn${listening ? ' is-on' : ''}`}
          aria-pressed={listening}
          onClick={() => (listening ? stop() : void start(channel))}
          data-testid="listen-button"
        >
          <HeadphonesIcon /> {listening ? t('listen.stop') : t('listen.start', { channel: channelName(channel) })}
        </button>
        {onAir.length + (onAir.includes(channel) ? 0 : 1) > 1 && (
          <select
            className="input listen-channel"
            aria-label={t('listen.channel')}
            value={channel}
            onChange={(e) => {
              setChosen(e.target.value);
              if (listening) void start(e.target.value);
            }}
            data-testid="listen-channel"
          >
            {[...new Set([channel, ...onAir])].map((ch) => (
              <option key={ch} value={ch}>
                {channelName(ch)}
              </option>
            ))}
          </select>
        )}
      </div>
      {listening && (
        <div className="listen-row">
          <p className={`listen-status is-${status}${live ? '' : ' is-off'}`} role="status" data-testid="listen-status" data-status={live ? status : 'offAir'}>
            {shown}
          </p>
          <label className="listen-volume">
            <span>{t('listen.volume')}</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={volume}
              onChange={(e) => {
                const v = Number(e.target.value);
                setVolume(v);
                writeJson(VOLUME_KEY, v);
                listener.current?.setVolume(v);
              }}
            />
          </label>
        </div>
      )}
    </section>
  );
}
