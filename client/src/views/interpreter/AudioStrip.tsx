/**
 * The channel strip on top of the interpreter's desk: the microphone and its level, a big
 * On air / Off air, the cough key (hold F9, or the button), how many phones listen, and when the
 * booth partner takes over, a clear word. The WebRTC code is loaded when the strip is first used.
 */
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/index.ts';
import { useStore } from '../../store/store.ts';
import type { Microphone, Publication } from '../../audio/publish.ts';
import type { Listener } from '../../audio/listen.ts';
import { FLOOR_CHANNEL } from '../../../../shared/audio.ts';
import { nativeName } from '../../lib/lang.ts';
import './audio-strip.css';

type Phase = 'off' | 'starting' | 'onAir' | 'takenOver' | 'lost' | 'refused';
const COUGH_KEY = 'F9';

export function AudioStrip({
  eventId,
  lang,
  token,
  heading,
  blurAfterClick = false,
}: {
  eventId: string;
  /** The channel: the interpreter's language, or `floor` (the podium). */
  lang: string;
  token: string;
  heading?: string;
  /** On the podium a clicker sends Space: a focused button must not be pressed again by it. */
  blurAfterClick?: boolean;
}) {
  const t = useT();
  const channel = useStore((s) => s.live?.audio?.[lang]);
  const [phase, setPhase] = useState<Phase>('off');
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [micId, setMicId] = useState<string>('');
  const [muted, setMuted] = useState(false);
  const [level, setLevel] = useState(0);
  const mic = useRef<Microphone | null>(null);
  const pub = useRef<Publication | null>(null);

  const listDevices = async () => {
    const all = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []);
    setMics((all ?? []).filter((d) => d.kind === 'audioinput'));
  };
  useEffect(() => void listDevices(), []);

  const openMic = async (deviceId: string) => {
    const { openMicrophone } = await import('../../audio/publish.ts');
    const next = await openMicrophone(deviceId || undefined);
    mic.current?.close();
    mic.current = next;
    const track = next.stream.getAudioTracks()[0]!;
    track.enabled = !muted;
    await pub.current?.replaceTrack(track);
    void listDevices();
    return next;
  };

  // The level meter, while a microphone is open.
  useEffect(() => {
    let frame = 0;
    const tick = () => {
      setLevel(mic.current ? mic.current.level() : 0);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, []);

  useEffect(
    () => () => {
      pub.current?.stop();
      mic.current?.close();
    },
    [],
  );

  // Cough: held F9 mutes (silence goes out; the listeners stay connected).
  useEffect(() => {
    const down = (e: KeyboardEvent) => e.key === COUGH_KEY && !e.repeat && (e.preventDefault(), setMuted(true));
    const up = (e: KeyboardEvent) => e.key === COUGH_KEY && (e.preventDefault(), setMuted(false));
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, []);
  useEffect(() => {
    for (const track of mic.current?.stream.getAudioTracks() ?? []) track.enabled = !muted;
  }, [muted]);

  const goOnAir = async () => {
    setPhase('starting');
    try {
      const m = mic.current ?? (await openMic(micId));
      const { publish } = await import('../../audio/publish.ts');
      pub.current = await publish({
        eventId,
        channel: lang,
        key: token,
        track: m.stream.getAudioTracks()[0]!,
        onConnected: () => setPhase('onAir'),
        onEnded: () => {
          pub.current = null;
          // The channel still on air without us: the partner took it.
          setPhase(useStore.getState().live?.audio?.[lang]?.onAir ? 'takenOver' : 'lost');
        },
      });
    } catch {
      setPhase('refused');
    }
  };
  const goOffAir = () => {
    pub.current?.stop();
    pub.current = null;
    setPhase('off');
  };

  const onAirHere = phase === 'onAir' || phase === 'starting';
  const partnerOnAir = !onAirHere && (channel?.onAir ?? false);
  const message =
    phase === 'takenOver'
      ? t('ia.takenOver')
      : phase === 'lost'
        ? t('ia.lost')
        : phase === 'refused'
          ? t('ia.refused')
          : partnerOnAir
            ? t('ia.partnerOnAir')
            : null;

  return (
    <section className="int-audio" aria-labelledby="int-audio-h" data-testid="audio-strip">
      <h2 id="int-audio-h" className="int-h">
        {heading ?? t('ia.heading')}
      </h2>
      <div className="int-audio-row">
        <button
          type="button"
          className={`btn int-onair${onAirHere ? ' is-on' : ''}`}
          aria-pressed={onAirHere}
          onClick={(e) => {
            if (blurAfterClick) e.currentTarget.blur();
            if (onAirHere) goOffAir();
            else void goOnAir();
          }}
          data-testid="onair-button"
        >
          {phase === 'starting' ? t('ia.starting') : onAirHere ? t('ia.onAir') : partnerOnAir ? t('ia.takeOver') : t('ia.goOnAir')}
        </button>
        <button
          type="button"
          className={`btn int-cough${muted ? ' is-on' : ''}`}
          aria-pressed={muted}
          onClick={(e) => {
            if (blurAfterClick) e.currentTarget.blur();
            setMuted((m) => !m);
          }}
          aria-keyshortcuts={COUGH_KEY}
          data-testid="cough-button"
        >
          {muted ? t('ia.muted') : t('ia.cough', { key: COUGH_KEY })}
        </button>
        <label className="int-mic">
          <span>{t('ia.microphone')}</span>
          <select
            className="input"
            value={micId}
            onChange={(e) => {
              if (blurAfterClick) e.currentTarget.blur();
              setMicId(e.target.value);
              void openMic(e.target.value).catch(() => setPhase('refused'));
            }}
            onFocus={() => void listDevices()}
            data-testid="mic-select"
          >
            <option value="">{t('ia.defaultMic')}</option>
            {mics
              .filter((m) => m.deviceId && m.deviceId !== 'default')
              .map((m, n) => (
                <option key={m.deviceId} value={m.deviceId}>
                  {m.label || t('ia.micN', { n: n + 1 })}
                </option>
              ))}
          </select>
        </label>
        <meter className="int-level" min={0} max={1} low={0.6} high={0.9} optimum={0.3} value={level} aria-label={t('ia.level')} />
        <p className="int-listeners">
          {t('ia.listeners')} <strong data-testid="audio-listeners">{channel?.listeners ?? 0}</strong>
        </p>
        {lang !== FLOOR_CHANNEL && <RelaySource eventId={eventId} own={lang} />}
      </div>
      {message && (
        <p className="int-audio-note" role="status" data-testid="audio-note">
          {message}
        </p>
      )}
    </section>
  );
}

/**
 * Relay: another channel in the interpreter's own headphones (a Portuguese interpreter follows the
 * Spanish channel while the speaker talks Hebrew). A WHEP listener like a phone's.
 */
function RelaySource({ eventId, own }: { eventId: string; own: string }) {
  const t = useT();
  const audio = useStore((s) => s.live?.audio);
  const [source, setSource] = useState('');
  const listener = useRef<Listener | null>(null);
  const others = Object.entries(audio ?? {})
    .filter(([ch, c]) => ch !== own && (c.onAir || ch === source))
    .map(([ch]) => ch);
  useEffect(() => () => listener.current?.stop(), []);
  const choose = async (ch: string) => {
    setSource(ch);
    listener.current?.stop();
    listener.current = null;
    if (!ch) return;
    const { startListening } = await import('../../audio/listen.ts');
    listener.current = startListening({ eventId, channel: ch, volume: 1, onStatus: () => {} });
  };
  if (!others.length && !source) return null;
  return (
    <label className="int-mic">
      <span>{t('ia.relay')}</span>
      <select className="input" value={source} onChange={(e) => void choose(e.target.value)} data-testid="relay-select">
        <option value="">{t('ia.relayNone')}</option>
        {others.map((ch) => (
          <option key={ch} value={ch}>
            {ch === FLOOR_CHANNEL ? t('listen.floor') : nativeName(ch)}
          </option>
        ))}
      </select>
    </label>
  );
}
