/**
 * A WHIP publisher in a process of its own (node-datachannel), for tests that kill it the way a
 * laptop's network drops: no DTLS close, no DELETE, the packets just stop. Usage:
 * `node --import tsx tests/helpers/native-publisher.ts <whip url> <key>`; prints `sending` once its
 * packets (Opus-shaped RTP, payload type 111, every 20 ms) go out.
 */
import nodeDataChannel from 'node-datachannel';

const [url, key] = process.argv.slice(2);
const keep: unknown[] = [];

async function publish(attempt: number): Promise<void> {
  const pc = new nodeDataChannel.PeerConnection(`native-publisher-${attempt}`, { iceServers: [] });
  const audio = new nodeDataChannel.Audio('0', 'SendOnly');
  audio.addOpusCodec(111);
  audio.addSSRC(0x5eed, 'native', 'native', 'native-audio');
  const track = pc.addTrack(audio);
  const gathered = new Promise<void>((resolve) => pc.onGatheringStateChange((s) => s === 'complete' && resolve()));
  pc.setLocalDescription();
  await gathered;
  const res = await fetch(url!, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', authorization: `Bearer ${key}` },
    body: pc.localDescription()!.sdp,
  });
  if (res.status !== 201) {
    console.log(`refused ${res.status}`);
    process.exit(1);
  }
  const answer = await res.text();
  try {
    pc.setRemoteDescription(answer, 'answer');
  } catch (err) {
    // Seen with node-datachannel as a client: a connection sometimes closes itself before its
    // answer is applied ("remote candidate without ICE transport"). Try again with a new one.
    if (attempt >= 5) throw err;
    await fetch(new URL(res.headers.get('location')!, url).href, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    return publish(attempt + 1);
  }
  keep.push(pc, track);
  let seq = 1;
  let ts = 1000;
  let announced = false;
  // A connection whose track never opens (seen on a loaded machine) is dropped and made again.
  const retry = setTimeout(() => {
    if (announced || attempt >= 5) return;
    pc.close();
    void fetch(new URL(res.headers.get('location')!, url).href, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } })
      .catch(() => {})
      .then(() => publish(attempt + 1));
  }, 8_000);
  track.onOpen(() => {
    clearTimeout(retry);
    setInterval(() => {
      const p = Buffer.alloc(12 + 40, 0x5a);
      p[0] = 0x80;
      p[1] = 111;
      p.writeUInt16BE(seq++ & 0xffff, 2);
      p.writeUInt32BE(ts >>> 0, 4);
      p.writeUInt32BE(0x5eed, 8);
      ts += 960;
      track.sendMessageBinary(p);
      if (!announced) {
        announced = true;
        console.log('sending');
      }
    }, 20);
  });
}

await publish(1);
