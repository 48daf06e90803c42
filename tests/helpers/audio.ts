/**
 * Interpretation audio in tests: a tone the test writes as a WAV (Chromium's fake microphone reads
 * it), WHIP/WHEP clients in a real page, and SDP offers made by node-datachannel for tests that need
 * a valid offer without a browser (capacity, error codes, state over both stores).
 */
import fs from 'node:fs';
import nodeDataChannel from 'node-datachannel';
import type { Page } from 'playwright-core';

/** Writes `seconds` of a mono 16-bit 48 kHz sine at `hz` (amplitude ~ -8 dBFS). */
export function writeToneWav(file: string, hz: number, seconds: number): void {
  const rate = 48_000;
  const frames = rate * seconds;
  const b = Buffer.alloc(44 + frames * 2);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + frames * 2, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16); // fmt chunk size
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28); // bytes per second
  b.writeUInt16LE(2, 32); // block align
  b.writeUInt16LE(16, 34); // bits per sample
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames; i++) b.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 13_000), 44 + i * 2);
  fs.writeFileSync(file, b);
}

/** Chromium's flags for a fake microphone playing `wav`, and sound without a tap. */
export const fakeMicrophoneArgs = (wav: string) => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-audio-capture=${wav}`,
  '--autoplay-policy=no-user-gesture-required',
];

export interface PostResult {
  status: number;
  location: string | null;
  contentType: string | null;
  /** The offer the page sent. */
  offer: string;
}

/**
 * In the page: the microphone published to `whipUrl` with `key` (WHIP, candidates gathered first).
 * The connection is kept as `window.tribunePc`.
 */
export function publishFromPage(page: Page, whipUrl: string, key: string): Promise<PostResult> {
  return page.evaluate(
    async ({ whipUrl, key }) => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const pc = new RTCPeerConnection();
      pc.addTransceiver(stream.getAudioTracks()[0]!, { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      });
      const res = await fetch(whipUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${key}` },
        body: pc.localDescription!.sdp,
      });
      if (res.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
      (window as unknown as { tribunePc: RTCPeerConnection }).tribunePc = pc;
      return { status: res.status, location: res.headers.get('Location'), contentType: res.headers.get('Content-Type'), offer: pc.localDescription!.sdp };
    },
    { whipUrl, key },
  );
}

/** In the page: a listener of `whepUrl` (WHEP), playing what it receives; kept as `window.tribunePc`. */
export function listenFromPage(page: Page, whepUrl: string): Promise<PostResult> {
  return page.evaluate(async (whepUrl) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (e) => {
      const audio = new Audio();
      audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      void audio.play();
    });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
    const res = await fetch(whepUrl, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription!.sdp });
    if (res.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    (window as unknown as { tribunePc: RTCPeerConnection }).tribunePc = pc;
    return { status: res.status, location: res.headers.get('Location'), contentType: res.headers.get('Content-Type'), offer: pc.localDescription!.sdp };
  }, whepUrl);
}

/** The page's inbound audio: packets received and the current level (0 when none yet). */
export function inboundAudio(page: Page): Promise<{ packets: number; level: number; state: string }> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { tribunePc: RTCPeerConnection }).tribunePc;
    let packets = 0;
    let level = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number; audioLevel?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        packets += s.packetsReceived ?? 0;
        level = Math.max(level, s.audioLevel ?? 0);
      }
    });
    return { packets, level, state: pc.connectionState };
  });
}

/** The page's connection state (`window.tribunePc`). */
export const connectionState = (page: Page) =>
  page.evaluate(() => (window as unknown as { tribunePc: RTCPeerConnection }).tribunePc.connectionState);

/**
 * A valid offer without a browser: node-datachannel as the client, one audio section that sends
 * (`publish`) or receives (`listen`), candidates gathered. `close` ends the connection.
 */
export async function nativeOffer(role: 'publish' | 'listen'): Promise<{ sdp: string; close(): void }> {
  const pc = new nodeDataChannel.PeerConnection(`test-${role}`, { iceServers: [] });
  const audio = new nodeDataChannel.Audio('0', role === 'publish' ? 'SendOnly' : 'RecvOnly');
  audio.addOpusCodec(111);
  if (role === 'publish') audio.addSSRC(1234, 'test', 'test', 'test-audio');
  const track = pc.addTrack(audio);
  const done = new Promise<void>((resolve) => {
    pc.onGatheringStateChange((s) => s === 'complete' && resolve());
  });
  pc.setLocalDescription();
  await done;
  const sdp = pc.localDescription()!.sdp;
  return {
    sdp,
    close: () => {
      track.close();
      pc.close();
    },
  };
}

/**
 * A listener without a browser: node-datachannel offers, posts to `whepUrl`, applies the answer.
 * `opened` resolves true once its track is open (DTLS done, packets may come), false if it closes
 * first or `openMs` passes. `close` ends the connection (DTLS close: the server hears it).
 */
export async function nativeListener(whepUrl: string, openMs = 15_000): Promise<{ status: number; location: string | null; opened: Promise<boolean>; close(): void }> {
  const pc = new nodeDataChannel.PeerConnection('test-listener', { iceServers: [] });
  const audio = new nodeDataChannel.Audio('0', 'RecvOnly');
  audio.addOpusCodec(111);
  const track = pc.addTrack(audio);
  const close = () => {
    try {
      track.close();
      pc.close();
    } catch {
      // Closed already.
    }
  };
  const opened = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), openMs);
    track.onOpen(() => (clearTimeout(timer), resolve(true)));
    track.onClosed(() => (clearTimeout(timer), resolve(false)));
  });
  const gathered = new Promise<void>((resolve) => pc.onGatheringStateChange((s) => s === 'complete' && resolve()));
  pc.setLocalDescription();
  await gathered;
  const res = await fetch(whepUrl, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription()!.sdp });
  const answer = await res.text();
  if (res.status === 201) {
    try {
      pc.setRemoteDescription(answer, 'answer');
    } catch {
      // Seen with node-datachannel as a client (native-publisher.ts): it closed itself first.
    }
  }
  return { status: res.status, location: res.headers.get('location'), opened, close };
}
