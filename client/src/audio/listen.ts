/**
 * A phone listening to a channel (WHEP): one connection, played through an <audio> element, kept
 * alive by itself — when the Wi-Fi drops or the server restarts it connects again, with a growing
 * pause; while the channel is off air the connection stays (sound comes back when someone is on
 * air). Media Session metadata lets it play on with the screen locked.
 */
import { SignalError, audioUrl, endSession, negotiate } from './whep.ts';

export type ListenStatus = 'connecting' | 'playing' | 'reconnecting' | 'full' | 'gone';

export interface Listener {
  setVolume(v: number): void;
  setMetadata(meta: { title: string; artist: string; album: string }): void;
  stop(): void;
}

export function startListening(opts: { eventId: string; channel: string; volume: number; onStatus(s: ListenStatus): void }): Listener {
  const audio = new Audio();
  audio.autoplay = true;
  audio.volume = opts.volume;
  let pc: RTCPeerConnection | null = null;
  let location: string | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let downSince: number | null = null;

  const retry = (seconds: number) => {
    if (stopped) return;
    timer = setTimeout(() => void connect(), seconds * 1000);
  };

  const drop = () => {
    if (pc) {
      pc.onconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    endSession(location);
    location = null;
  };

  async function connect() {
    if (stopped) return;
    opts.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    drop();
    const mine = new RTCPeerConnection();
    pc = mine;
    mine.addTransceiver('audio', { direction: 'recvonly' });
    mine.ontrack = (e) => {
      audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      void audio.play().catch(() => {});
    };
    mine.onconnectionstatechange = () => {
      if (stopped || pc !== mine) return;
      const s = mine.connectionState;
      if (s === 'connected') {
        attempt = 0;
        downSince = null;
        opts.onStatus('playing');
      } else if (s === 'failed' || s === 'closed') {
        attempt += 1;
        opts.onStatus('reconnecting');
        retry(Math.min(5, attempt));
      } else if (s === 'disconnected') {
        downSince = Date.now();
        opts.onStatus('reconnecting');
        // ICE may recover by itself within a few seconds; if not, a new session.
        setTimeout(() => {
          if (pc === mine && downSince !== null && mine.connectionState === 'disconnected') {
            attempt += 1;
            void connect();
          }
        }, 4000);
      }
    };
    try {
      location = await negotiate(mine, audioUrl(opts.eventId, opts.channel, 'whep'));
    } catch (err) {
      if (stopped || pc !== mine) return;
      attempt += 1;
      if (err instanceof SignalError && err.status === 404) {
        opts.onStatus('gone');
        return;
      }
      opts.onStatus(err instanceof SignalError && err.status === 503 && err.retryAfter ? 'full' : 'reconnecting');
      retry(err instanceof SignalError && err.retryAfter ? err.retryAfter : Math.min(5, attempt));
    }
  }

  // Back from sleep or a new network: try at once rather than at the next pause's end.
  const online = () => {
    if (!stopped && pc?.connectionState !== 'connected') {
      if (timer) clearTimeout(timer);
      void connect();
    }
  };
  window.addEventListener('online', online);
  void connect();

  return {
    setVolume(v) {
      audio.volume = Math.min(1, Math.max(0, v));
    },
    setMetadata(meta) {
      if (!('mediaSession' in navigator) || typeof MediaMetadata === 'undefined') return;
      navigator.mediaSession.metadata = new MediaMetadata(meta);
      navigator.mediaSession.playbackState = 'playing';
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      window.removeEventListener('online', online);
      drop();
      audio.pause();
      audio.srcObject = null;
      if ('mediaSession' in navigator) navigator.mediaSession.playbackState = 'none';
    },
  };
}
