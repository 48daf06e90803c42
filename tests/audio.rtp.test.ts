/** The channel's RTP rewriting (server/audio/rtp.ts) and offer reading (sdp.ts): pure units. */
import { describe, expect, it } from 'vitest';
import { RtpRewriter, rtpHeader, seqAfter, withPayloadType } from '../server/audio/rtp.ts';
import { announceAddress, readAudioOffer } from '../server/audio/sdp.ts';

function packet(seq: number, timestamp: number, ssrc: number, pt = 111, marker = false): Buffer {
  const b = Buffer.alloc(12 + 20);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

describe('RtpRewriter', () => {
  it('gives one SSRC and continuous numbers across a takeover', () => {
    const r = new RtpRewriter(0xabcdef01, () => 0.5);
    const out: { seq: number; timestamp: number; ssrc: number }[] = [];
    let now = 1000;
    for (let i = 0; i < 5; i++) out.push(rtpHeader(r.rewrite(packet((65533 + i) & 0xffff, 4294966000 + i * 960, 111), 'a', (now += 20))!)!);
    // The partner's laptop: another SSRC, sequence and clock, 100 ms after the last packet.
    now += 100;
    for (let i = 0; i < 5; i++) out.push(rtpHeader(r.rewrite(packet(17 + i, 5000 + i * 960, 222), 'b', (now += 20))!)!);
    expect(new Set(out.map((h) => h.ssrc))).toEqual(new Set([0xabcdef01]));
    for (let i = 1; i < out.length; i++) expect(out[i]!.seq).toBe((out[i - 1]!.seq + 1) & 0xffff);
    for (let i = 1; i < 5; i++) expect((out[i]!.timestamp - out[i - 1]!.timestamp) >>> 0).toBe(960);
    // Across the takeover the clock moved on by the time that passed (120 ms = 5760 ticks).
    expect((out[5]!.timestamp - out[4]!.timestamp) >>> 0).toBe(120 * 48);
    for (let i = 6; i < 10; i++) expect((out[i]!.timestamp - out[i - 1]!.timestamp) >>> 0).toBe(960);
  });

  it('keeps a late packet in its place and ignores what is not RTP', () => {
    const r = new RtpRewriter(7, () => 0);
    const a = rtpHeader(r.rewrite(packet(100, 0, 1), 's', 0)!)!;
    const c = rtpHeader(r.rewrite(packet(102, 1920, 1), 's', 40)!)!;
    const b = rtpHeader(r.rewrite(packet(101, 960, 1), 's', 41)!)!;
    expect([a.seq, b.seq, c.seq]).toEqual([a.seq, (a.seq + 1) & 0xffff, (a.seq + 2) & 0xffff]);
    const d = rtpHeader(r.rewrite(packet(103, 2880, 1), 's', 60)!)!;
    expect(d.seq).toBe((a.seq + 3) & 0xffff);
    const rtcp = Buffer.from([0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(r.rewrite(rtcp, 's', 61)).toBeNull();
    expect(r.rewrite(Buffer.alloc(4), 's', 61)).toBeNull();
  });

  it('changes the payload type on a copy, marker kept', () => {
    const p = packet(1, 2, 3, 111, true);
    const q = withPayloadType(p, 109);
    expect(q[1]).toBe(0x80 | 109);
    expect(p[1]).toBe(0x80 | 111);
    expect(seqAfter(0, 65535)).toBe(true);
    expect(seqAfter(65535, 0)).toBe(false);
  });
});

const chromeOffer = (direction: string, extra = '') =>
  [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=fingerprint:sha-256 AB:CD',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 0',
    'c=IN IP4 0.0.0.0',
    'a=ice-ufrag:abcd',
    'a=ice-pwd:abcdefghijklmnopqrstuv',
    'a=mid:0',
    `a=${direction}`,
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:0 PCMU/8000',
    extra,
    '',
  ].join('\r\n');

describe('readAudioOffer', () => {
  it('reads the mid, the Opus payload type and the direction', () => {
    expect(readAudioOffer(chromeOffer('sendonly'), 'publish')).toEqual({ mid: '0', opusPayloadType: 111, direction: 'sendonly' });
    expect(readAudioOffer(chromeOffer('recvonly'), 'listen')).toEqual({ mid: '0', opusPayloadType: 111, direction: 'recvonly' });
  });
  it('refuses what is not an offer this route takes', () => {
    expect(typeof readAudioOffer('hello', 'publish')).toBe('string');
    expect(typeof readAudioOffer(chromeOffer('recvonly'), 'publish')).toBe('string');
    expect(typeof readAudioOffer(chromeOffer('sendonly'), 'listen')).toBe('string');
    expect(typeof readAudioOffer(chromeOffer('sendonly').replace('opus/48000/2', 'G722/8000'), 'publish')).toBe('string');
    expect(typeof readAudioOffer(chromeOffer('sendonly', 'm=video 9 UDP/TLS/RTP/SAVPF 96'), 'publish')).toBe('string');
    // A rejected video section (port 0) is fine.
    expect(readAudioOffer(chromeOffer('sendonly', 'm=video 0 UDP/TLS/RTP/SAVPF 96'), 'publish')).toMatchObject({ mid: '0' });
  });
  it('announces MEDIA_HOST instead of the gathered addresses, once per port', () => {
    const sdp = ['a=candidate:1 1 UDP 2114977791 192.0.2.2 40000 typ host', 'a=candidate:2 1 UDP 2116026111 fd00::2 40000 typ host', 'a=end-of-candidates'].join('\r\n');
    expect(announceAddress(sdp, 'tribune.lan')).toBe(['a=candidate:1 1 UDP 2114977791 tribune.lan 40000 typ host', 'a=end-of-candidates'].join('\r\n'));
  });
});
