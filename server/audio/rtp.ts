/**
 * One channel's outgoing RTP stream: whatever publisher feeds it, listeners see one SSRC (the one
 * their answer signalled) with continuous sequence numbers and timestamps. Chromium drops packets
 * of an SSRC it was not told about and plays silence after a sequence number jumps back, so a
 * takeover (a booth partner's laptop, with its own SSRC, sequence and clock) must not show.
 *
 * Pure: no sockets, no clocks of its own (the caller passes `now`), so unit tests drive it directly.
 */

/** Opus over RTP runs a 48 kHz clock (RFC 7587), whatever the capture rate. */
export const OPUS_CLOCK_PER_MS = 48;
/** 20 ms at 48 kHz: the usual Opus frame, the least gap left between two publishers' packets. */
const FRAME_TICKS = 960;

/** The fields an RTP packet (RFC 3550 §5.1) starts with; null when `packet` is not one. */
export function rtpHeader(packet: Uint8Array): { payloadType: number; seq: number; timestamp: number; ssrc: number } | null {
  if (packet.length < 12 || packet[0]! >> 6 !== 2) return null;
  const second = packet[1]!;
  // RTCP shares the port (rtcp-mux): its packet types 192–223 sit where marker + payload type would.
  if (second >= 192 && second <= 223) return null;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return { payloadType: second & 0x7f, seq: view.getUint16(2), timestamp: view.getUint32(4), ssrc: view.getUint32(8) };
}

/** Whether 16-bit sequence number `a` comes after `b` (RFC 1982 serial arithmetic). */
export const seqAfter = (a: number, b: number) => a !== b && ((a - b) & 0xffff) < 0x8000;
const tsAfter = (a: number, b: number) => a !== b && ((a - b) >>> 0) < 0x80000000;

export class RtpRewriter {
  /** The input currently mapped (a publisher session and its SSRC). */
  private source: string | null = null;
  private seqOffset = 0;
  private tsOffset = 0;
  /** The newest packet sent: its rewritten sequence number and timestamp, and when (ms). */
  private lastSeq: number;
  private lastTs: number;
  private lastAt = 0;
  private sent = false;

  /**
   * @param ssrc the SSRC every rewritten packet carries (signalled in each listener's answer)
   * @param random where the first sequence number and timestamp come from (RFC 3550: random)
   */
  constructor(
    readonly ssrc: number,
    random: () => number = Math.random,
  ) {
    this.lastSeq = Math.floor(random() * 0x10000);
    this.lastTs = Math.floor(random() * 0x100000000) >>> 0;
  }

  /**
   * Rewrites `packet` in place (sequence number, timestamp, SSRC) and returns it, or null for what
   * is not RTP. `source` names the input: a new one continues the stream where the last one stopped,
   * one frame later at least, further on by the wall-clock time that passed (`now`, ms).
   */
  rewrite(packet: Uint8Array, source: string, now: number): Uint8Array | null {
    const h = rtpHeader(packet);
    if (!h) return null;
    const key = `${source}/${h.ssrc}`;
    if (key !== this.source) {
      this.source = key;
      const gapTicks = this.sent ? Math.max(FRAME_TICKS, Math.round((now - this.lastAt) * OPUS_CLOCK_PER_MS)) : 0;
      const nextSeq = (this.lastSeq + 1) & 0xffff;
      const nextTs = (this.lastTs + gapTicks) >>> 0;
      this.seqOffset = (nextSeq - h.seq) & 0xffff;
      this.tsOffset = (nextTs - h.timestamp) >>> 0;
    }
    const seq = (h.seq + this.seqOffset) & 0xffff;
    const ts = (h.timestamp + this.tsOffset) >>> 0;
    const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
    view.setUint16(2, seq);
    view.setUint32(4, ts);
    view.setUint32(8, this.ssrc);
    // A late packet (reordered on the way) keeps its place; only newer ones move the stream on.
    if (!this.sent || seqAfter(seq, this.lastSeq)) {
      this.lastSeq = seq;
      if (!this.sent || tsAfter(ts, this.lastTs)) this.lastTs = ts;
      this.lastAt = now;
      this.sent = true;
    }
    return packet;
  }
}

/** `packet` with another payload type (the listener's number for Opus), marker bit kept; a copy. */
export function withPayloadType(packet: Uint8Array, payloadType: number): Buffer {
  const copy = Buffer.from(packet);
  copy[1] = (copy[1]! & 0x80) | (payloadType & 0x7f);
  return copy;
}
