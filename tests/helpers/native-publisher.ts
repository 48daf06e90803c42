/**
 * A WHIP publisher in a process of its own (node-datachannel), for tests that kill it the way a
 * laptop's network drops: no DTLS close, no DELETE, the packets just stop. Usage:
 * `node --import tsx tests/helpers/native-publisher.ts <whip url> <key>`; prints `sending` once its
 * packets (Opus-shaped RTP, payload type 111, every 20 ms) go out.
 */
import nodeDataChannel from 'node-datachannel';

const [url, key] = process.argv.slice(2);
const pc = new nodeDataChannel.PeerConnection('native-publisher', { iceServers: [] });
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
pc.setRemoteDescription(await res.text(), 'answer');
let seq = 1;
let ts = 1000;
let announced = false;
track.onOpen(() => {
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
