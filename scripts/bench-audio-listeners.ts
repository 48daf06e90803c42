/**
 * Listeners for `npm run bench:audio`, in a process of their own (their CPU is not the server's):
 * `N` node-datachannel WHEP sessions on `url`, opened one after another. Prints JSON lines:
 * `{"connected": n, "ms": t}` once all are connected, then `{"packets": total}` every second.
 */
import nodeDataChannel from 'node-datachannel';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
let connected = 0;
let packets = 0;
let retries = 0;
const keep: unknown[] = [];
const started = performance.now();

async function listener(): Promise<void> {
  const pc = new nodeDataChannel.PeerConnection(`bench-listener-${keep.length}-${Math.random()}`, { iceServers: [] });
  const audio = new nodeDataChannel.Audio('0', 'RecvOnly');
  audio.addOpusCodec(111);
  const track = pc.addTrack(audio);
  track.onMessage(() => (packets += 1));
  pc.onStateChange((s) => {
    if (s === 'connected' && ++connected === count) console.log(JSON.stringify({ connected, ms: Math.round(performance.now() - started), retries }));
  });
  const gathered = new Promise<void>((resolve) => pc.onGatheringStateChange((s) => s === 'complete' && resolve()));
  pc.setLocalDescription();
  await gathered;
  const post = () => fetch(url!, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription()!.sdp });
  // A kept-alive connection the server closed as this request went out (ECONNRESET): once more.
  const res = await post().catch(() => ((retries += 1), post()));
  if (res.status !== 201) throw new Error(`refused ${res.status}`);
  const answer = await res.text();
  try {
    pc.setRemoteDescription(answer, 'answer');
  } catch {
    // Seen here: a client connection (not the server's) sometimes closes itself before its answer
    // is applied ("remote candidate without ICE transport"). This listener tries again.
    retries += 1;
    void fetch(new URL(res.headers.get('location')!, url).href, { method: 'DELETE' });
    return listener();
  }
  keep.push(pc, track);
}

for (let i = 0; i < count; i++) await listener();
// Every offer answered: report once all connected, or 20 s on with those that did (a bench on a
// loaded machine must end with a figure, not wait for one connection forever).
const answered = performance.now();
await new Promise<void>((resolve) => {
  const check = setInterval(() => {
    if (connected < count && performance.now() - answered < 20_000) return;
    clearInterval(check);
    resolve();
  }, 100);
});
if (connected < count) console.log(JSON.stringify({ connected, ms: Math.round(performance.now() - started), retries }));
setInterval(() => console.log(JSON.stringify({ packets })), 1000);
