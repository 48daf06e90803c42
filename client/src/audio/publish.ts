/**
 * The interpreter's microphone on a channel (WHIP): the chosen input, its level, on air and off,
 * the cough key (the track muted: silence goes out, the connection stays), and what ended the
 * session when the interpreter did not (a partner took over, the network).
 */
import { audioUrl, endSession, negotiate } from './whep.ts';

export interface Microphone {
  stream: MediaStream;
  /** 0..1, the input's current peak (for a meter). */
  level(): number;
  close(): void;
}

/** Opens an input (`deviceId`, or the default), with the browser's voice processing off for an interpreter's headset. */
export async function openMicrophone(deviceId?: string): Promise<Microphone> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), echoCancellation: false, noiseSuppression: true, autoGainControl: true },
  });
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  ctx.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  return {
    stream,
    level() {
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const v of samples) peak = Math.max(peak, Math.abs(v));
      return Math.min(1, peak);
    },
    close() {
      for (const t of stream.getTracks()) t.stop();
      void ctx.close();
    },
  };
}

export interface Publication {
  /** Swaps the microphone on air without a new session. */
  replaceTrack(track: MediaStreamTrack): Promise<void>;
  stop(): void;
}

/**
 * Publishes `track` on the channel; `onEnded` hears when the session ends without `stop` (its
 * connection closed or failed: a partner took over, or the network dropped).
 */
export async function publish(opts: {
  eventId: string;
  channel: string;
  key: string;
  track: MediaStreamTrack;
  onConnected(): void;
  onEnded(): void;
}): Promise<Publication> {
  const pc = new RTCPeerConnection();
  const transceiver = pc.addTransceiver(opts.track, { direction: 'sendonly' });
  let stopped = false;
  pc.onconnectionstatechange = () => {
    if (stopped) return;
    if (pc.connectionState === 'connected') opts.onConnected();
    if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
      stopped = true;
      pc.close();
      opts.onEnded();
    }
  };
  let location: string;
  try {
    location = await negotiate(pc, audioUrl(opts.eventId, opts.channel, 'whip'), opts.key);
  } catch (err) {
    stopped = true;
    pc.close();
    throw err;
  }
  return {
    replaceTrack: (track) => transceiver.sender.replaceTrack(track),
    stop() {
      if (stopped) return;
      stopped = true;
      pc.close();
      endSession(location, opts.key);
    },
  };
}
