/**
 * `npm run bench:audio:latency`: transport latency of interpretation audio, mouth to ear minus the
 * microphone and the speaker. A Chromium page publishes a silent oscillator (WHIP) and opens it in
 * bursts of 200 ms; a listener page (WHEP, its own browser) watches the level of what it plays and
 * notes when each burst arrives. Both pages run on this machine, so one clock: the latency is the
 * difference of `Date.now()`s (no offset to correct). Prints each burst and the median.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend } from '../server/backend.ts';
import { launchChromium } from '../tests/helpers/browser.ts';
import { createTestEvent, startBackendServer } from '../tests/helpers/server.ts';

const BURSTS = 8;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-bench-latency-'));
const backend = await openBackend({ kind: 'memory', dataDir: dir });
const server = await startBackendServer(backend);
const created = await createTestEvent(server.url);
const base = `${server.url}/api/events/${created.event.id}/audio/fr`;
const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
const pubPage = await (await browser.newContext()).newPage();
const lisPage = await (await browser.newContext()).newPage();
await pubPage.goto(`${server.url}/healthz`);
await lisPage.goto(`${server.url}/healthz`);

async function negotiateIn(page: typeof pubPage, url: string, key: string | null, role: 'publish' | 'listen') {
  await page.evaluate(
    async ({ url, key, role }) => {
      const w = window as unknown as Record<string, unknown>;
      const pc = new RTCPeerConnection();
      if (role === 'publish') {
        const ctx = new AudioContext();
        const osc = ctx.createOscillator();
        osc.frequency.value = 1000;
        const gain = ctx.createGain();
        gain.gain.value = 0;
        const dest = ctx.createMediaStreamDestination();
        osc.connect(gain).connect(dest);
        osc.start();
        w.burst = () => {
          gain.gain.setValueAtTime(0.8, ctx.currentTime);
          gain.gain.setValueAtTime(0, ctx.currentTime + 0.2);
          return Date.now();
        };
        pc.addTransceiver(dest.stream.getAudioTracks()[0]!, { direction: 'sendonly' });
      } else {
        pc.addTransceiver('audio', { direction: 'recvonly' });
        const onsets: number[] = [];
        w.onsets = onsets;
        pc.ontrack = (e) => {
          const stream = e.streams[0] ?? new MediaStream([e.track]);
          // Chromium gives Web Audio a remote track's samples only while an element plays it.
          const el = new Audio();
          el.srcObject = stream;
          el.muted = true;
          void el.play();
          const ctx = new AudioContext();
          const analyser = ctx.createAnalyser();
          analyser.fftSize = 256;
          ctx.createMediaStreamSource(stream).connect(analyser);
          const buf = new Float32Array(analyser.fftSize);
          let loud = false;
          setInterval(() => {
            analyser.getFloatTimeDomainData(buf);
            let peak = 0;
            for (const v of buf) peak = Math.max(peak, Math.abs(v));
            if (!loud && peak > 0.2) onsets.push(Date.now());
            loud = peak > 0.05;
          }, 2);
        };
      }
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise<void>((r) => {
        if (pc.iceGatheringState === 'complete') return r();
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r();
      });
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp', ...(key ? { Authorization: `Bearer ${key}` } : {}) }, body: pc.localDescription!.sdp });
      await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
      await new Promise<void>((r) => {
        if (pc.connectionState === 'connected') return r();
        pc.onconnectionstatechange = () => pc.connectionState === 'connected' && r();
      });
    },
    { url, key, role },
  );
}

await negotiateIn(pubPage, `${base}/whip`, created.secrets.interpreters.fr!, 'publish');
await negotiateIn(lisPage, `${base}/whep`, null, 'listen');
await new Promise((r) => setTimeout(r, 2000));
const results: number[] = [];
for (let i = 0; i < BURSTS; i++) {
  const before = (await lisPage.evaluate(() => (window as unknown as { onsets: number[] }).onsets.length)) as number;
  const sent = (await pubPage.evaluate(() => (window as unknown as { burst(): number }).burst())) as number;
  let heard: number | null = null;
  for (let t = 0; t < 100 && heard === null; t++) {
    await new Promise((r) => setTimeout(r, 20));
    heard = await lisPage.evaluate((n) => (window as unknown as { onsets: number[] }).onsets[n] ?? null, before);
  }
  if (heard !== null) results.push(heard - sent);
  console.log(`burst ${i + 1}: ${heard === null ? 'not heard within 2 s' : `${heard - sent} ms`}`);
  await new Promise((r) => setTimeout(r, 800));
}
results.sort((a, b) => a - b);
console.log(`transport latency (WebAudio in → WebRTC → Tribune → WebRTC → WebAudio out, one machine): median ${results[Math.floor(results.length / 2)] ?? '—'} ms, min ${results[0] ?? '—'} ms, max ${results.at(-1) ?? '—'} ms over ${results.length} bursts`);
await browser.close();
await server.close();
await backend.close();
fs.rmSync(dir, { recursive: true, force: true });
process.exit(0);
