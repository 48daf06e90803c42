/**
 * The media engine: per event and channel, at most one publisher whose packets reach the listeners
 * (more may be connecting: the newest to send takes over) and any number of listeners. Packets are
 * forwarded, never decoded: each is rewritten once per channel (rtp.ts: one SSRC, continuous
 * sequence numbers and timestamps across takeovers) and sent to every listener.
 *
 * Built on node-datachannel (libdatachannel: ICE, DTLS-SRTP, in native threads; its prebuilt binary
 * comes from npm, see docs/PROTOCOL.md "Interpretation audio (as built)"). One PeerConnection per
 * session; candidates are gathered before the answer goes out (WHIP/WHEP without trickle).
 */
import { randomBytes } from 'node:crypto';
import nodeDataChannel from 'node-datachannel';
import type { PeerConnection, RtcConfig, Track } from 'node-datachannel';
import { RtpRewriter, rtpHeader, withPayloadType } from './rtp.ts';
import { announceAddress, type AudioOffer } from './sdp.ts';

const { Audio, PeerConnection: NativePeerConnection, RtcpReceivingSession } = nodeDataChannel;

export interface MediaOptions {
  /** The address the UDP sockets bind to (HOST when it names one); absent: every address. */
  bindAddress?: string;
  /** MEDIA_HOST: the address the answers announce instead of the gathered ones. */
  announce?: string;
  /** MEDIA_PORTS: the UDP ports the sessions use (each takes one), inclusive. */
  portRange?: [number, number];
  /** AUDIO_MAX_LISTENERS: listener sessions this process holds at most (then 503). */
  maxListeners: number;
  /** A publisher that sent nothing for this long is gone (its network dropped): off air. */
  publisherSilenceMs?: number;
  /** A listener that sent no RTCP this long while packets went to it is gone. */
  listenerSilenceMs?: number;
  /** A session not connected this long after its answer is dropped. */
  connectTimeoutMs?: number;
  /** A session whose connection stays `disconnected` this long is dropped. */
  disconnectedMs?: number;
  /** The answer goes out with what was gathered by then, at the latest. */
  gatherTimeoutMs?: number;
  /**
   * This process's name among those sharing channels (relay.ts): 12 hex digits, default random.
   * Every session id begins with it, so any process can tell which one holds a session (DELETE).
   */
  processId?: string;
  /** Sends a publisher's rewritten packet to the other processes (relay.ts); absent: one process. */
  relay?: (eventId: string, channel: string, source: string, packet: Buffer) => void;
}

/** The payload type relayed packets carry between processes (each listener then gets its own). */
const OPUS_RELAY_PT = 111;

export type SessionKind = 'publisher' | 'listener';

export interface SessionInfo {
  id: string;
  kind: SessionKind;
  eventId: string;
  channel: string;
}

export interface ChannelCounts {
  onAir: boolean;
  listeners: number;
}

interface Session extends SessionInfo {
  pc: PeerConnection;
  track: Track | null;
  /** The Opus payload type this session's offer chose. */
  payloadType: number;
  createdAt: number;
  connected: boolean;
  disconnectedAt: number | null;
  /** Publishers: the last RTP packet received; listeners: the last RTCP heard from them (ms). */
  lastPacketAt: number;
  /** Listeners: the track is open (DTLS done): packets may go. */
  open: boolean;
  ended: boolean;
  /** Listeners: packets sent (tests and figures), and when the last one went (ms). */
  sent: number;
  lastSentAt: number;
}

interface Channel {
  eventId: string;
  channel: string;
  rewriter: RtpRewriter;
  /**
   * The source whose packets reach the listeners: `<processId>/<session id>`, a publisher here
   * (`session`) or on another process (relayed); null: none sent yet.
   */
  active: { key: string; session: Session | null } | null;
  /** Sources a newer one replaced (or that ended): their late packets are dropped, never followed. */
  retired: Set<string>;
  publishers: Set<Session>;
  listeners: Set<Session>;
}

export class CapacityError extends Error {}
export class OfferError extends Error {}

export interface MediaEngine {
  /** Opens a publisher session on the channel; resolves with its id and SDP answer. */
  publish(eventId: string, channel: string, sdp: string, offer: AudioOffer): Promise<{ id: string; answer: string }>;
  /** Opens a listener session (CapacityError past `maxListeners`). */
  listen(eventId: string, channel: string, sdp: string, offer: AudioOffer): Promise<{ id: string; answer: string }>;
  session(id: string): SessionInfo | undefined;
  /**
   * A connected session's ICE pair as the server sees it: its own address and the client's, with
   * the client's candidate type (`prflx`: learned from its checks, as for a phone hiding behind mDNS).
   */
  path(id: string): { local: string; remote: string; remoteType: string } | null;
  /** Ends a session; false when there is none by that id (ended already). */
  end(id: string): boolean;
  /** The event's channels that have sessions here (others are off air, 0 listeners). */
  counts(eventId: string): Record<string, ChannelCounts>;
  /** Listener sessions open in this process. */
  listenerCount(): number;
  /** A packet another process relayed (`source`: `<processId>/<session>`), for this process's listeners. */
  inject(eventId: string, channel: string, source: string, packet: Buffer): void;
  /** Packets sent to listeners since the engine started (npm run bench:audio). */
  forwardedPackets(): number;
  /** Called when an event's counts here may have changed (a session opened or ended). */
  onChange(listener: (eventId: string) => void): void;
  /** Called when a publisher session ends, with why (a takeover, DELETE, its connection). */
  onPublisherEnded(listener: (info: SessionInfo, why: 'takeover' | 'deleted' | 'connection') => void): void;
  close(): Promise<void>;
}

const channelKey = (eventId: string, channel: string) => `${eventId}\n${channel}`;

const PROCESS_ID = /^[0-9a-f]{12}$/;

/** A process id for `MediaOptions.processId`. */
export const newProcessId = () => randomBytes(6).toString('hex');

/** The process holding the session `id` (its first 12 characters), or null for an id no engine made. */
export function sessionOwner(id: string): string | null {
  const owner = id.slice(0, 12);
  return PROCESS_ID.test(owner) ? owner : null;
}

/** DELETE of a session: which session the URL names, and whether its key may end a publisher. */
export interface EndRequest {
  session: string;
  eventId: string;
  channel: string;
  kind: SessionKind;
  /** The request's key may end a publisher on `channel` (listeners need none). */
  authorized: boolean;
}

/** What became of an EndRequest where the session is held. */
export type EndOutcome = 'ended' | 'missing' | 'refused';

/** Ends the session the request names if this engine holds it and the request may end it. */
export function endRequested(engine: MediaEngine, r: EndRequest): EndOutcome {
  const s = engine.session(r.session);
  if (!s || s.eventId !== r.eventId || s.channel !== r.channel || s.kind !== r.kind) return 'missing';
  if (s.kind === 'publisher' && !r.authorized) return 'refused';
  return engine.end(r.session) ? 'ended' : 'missing';
}

export function createMediaEngine(options: MediaOptions): MediaEngine {
  const silenceMs = options.publisherSilenceMs ?? 5_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
  const disconnectedMs = options.disconnectedMs ?? 5_000;
  const listenerSilenceMs = options.listenerSilenceMs ?? 20_000;
  const gatherTimeoutMs = options.gatherTimeoutMs ?? 5_000;
  const processId = options.processId ?? newProcessId();
  if (!PROCESS_ID.test(processId)) throw new Error('a media engine\'s processId is 12 hex digits');
  const sessions = new Map<string, Session>();
  const channels = new Map<string, Channel>();
  const changeListeners: ((eventId: string) => void)[] = [];
  const endedListeners: ((info: SessionInfo, why: 'takeover' | 'deleted' | 'connection') => void)[] = [];
  let listeners = 0;
  let forwarded = 0;
  let closed = false;

  const rtcConfig: RtcConfig = {
    iceServers: [],
    ...(options.bindAddress ? { bindAddress: options.bindAddress } : {}),
    ...(options.portRange ? { portRangeBegin: options.portRange[0], portRangeEnd: options.portRange[1] } : {}),
  };

  function channelOf(eventId: string, channel: string): Channel {
    const key = channelKey(eventId, channel);
    let c = channels.get(key);
    if (!c) {
      const ssrc = randomBytes(4).readUInt32BE(0) || 1;
      channels.set(key, (c = { eventId, channel, rewriter: new RtpRewriter(ssrc), active: null, retired: new Set(), publishers: new Set(), listeners: new Set() }));
    }
    return c;
  }

  const changed = (eventId: string) => {
    for (const l of changeListeners) l(eventId);
  };

  function endSession(s: Session, why: 'takeover' | 'deleted' | 'connection') {
    if (s.ended) return;
    s.ended = true;
    sessions.delete(s.id);
    const key = channelKey(s.eventId, s.channel);
    const c = channels.get(key);
    if (c) {
      if (s.kind === 'listener') {
        if (c.listeners.delete(s)) listeners -= 1;
      } else {
        c.publishers.delete(s);
        retire(c, `${processId}/${s.id}`);
        if (c.active?.session === s) c.active = null;
      }
      // The channel's rewriter is kept while anyone uses it: a listener stays on one stream.
      if (!c.publishers.size && !c.listeners.size) channels.delete(key);
    }
    try {
      s.track?.close();
      s.pc.close();
    } catch {
      // Closing twice (the connection closed itself) is fine.
    }
    if (s.kind === 'publisher') for (const l of endedListeners) l(info(s), why);
    changed(s.eventId);
  }

  const info = (s: Session): SessionInfo => ({ id: s.id, kind: s.kind, eventId: s.eventId, channel: s.channel });

  function retire(c: Channel, key: string) {
    c.retired.add(key);
    // Bounded: only recent sources can still have packets on the way.
    if (c.retired.size > 32) c.retired.delete(c.retired.values().next().value!);
  }

  /**
   * A packet from `key` (a publisher here, or relayed from another process): the first packet of a
   * new source takes the channel over — the source it replaces is retired, and ended if it is a
   * publisher of this process. Returns the rewritten packet sent to this process's listeners.
   */
  function deliver(c: Channel, key: string, session: Session | null, packet: Buffer, payloadType: number): Buffer | null {
    if (c.retired.has(key)) return null;
    const now = Date.now();
    if (c.active?.key !== key) {
      const previous = c.active;
      c.active = { key, session };
      if (previous) {
        retire(c, previous.key);
        if (previous.session) endSession(previous.session, 'takeover');
      }
    }
    const out = c.rewriter.rewrite(packet, key, now);
    if (!out) return null;
    const asBuffer = Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    let other: Buffer | null = null;
    for (const l of c.listeners) {
      if (!l.open || !l.track) continue;
      // Every browser numbers Opus 111; another listener's number gets its own copy, made once.
      const bytes = l.payloadType === payloadType ? asBuffer : (other ??= withPayloadType(asBuffer, l.payloadType));
      try {
        if (l.track.sendMessageBinary(bytes)) {
          l.sent += 1;
          l.lastSentAt = now;
          forwarded += 1;
        }
      } catch {
        // A track closing under us: its state change ends the session.
      }
    }
    return asBuffer;
  }

  /** A publisher's packet: to this process's listeners, and to the other processes (relay). */
  function forward(s: Session, packet: Buffer) {
    if (s.ended) return;
    const h = rtpHeader(packet);
    if (!h || h.payloadType !== s.payloadType) return;
    s.lastPacketAt = Date.now();
    const c = channels.get(channelKey(s.eventId, s.channel));
    if (!c) return;
    const key = `${processId}/${s.id}`;
    const out = deliver(c, key, s, packet, s.payloadType);
    // Sent on with this process's numbering; each process renumbers for its own listeners.
    if (out && options.relay) options.relay(s.eventId, s.channel, key, withPayloadType(out, OPUS_RELAY_PT));
  }

  async function open(kind: SessionKind, eventId: string, channel: string, sdp: string, offer: AudioOffer) {
    if (closed) throw new CapacityError('the media engine is closed');
    const id = `${processId}${randomBytes(16).toString('base64url')}`;
    const pc = new NativePeerConnection(`${kind}-${id.slice(12, 18)}`, rtcConfig);
    const s: Session = {
      id,
      kind,
      eventId,
      channel,
      pc,
      track: null,
      payloadType: offer.opusPayloadType,
      createdAt: Date.now(),
      connected: false,
      disconnectedAt: null,
      lastPacketAt: 0,
      open: false,
      ended: false,
      sent: 0,
      lastSentAt: 0,
    };
    let gatherTimer: NodeJS.Timeout | undefined;
    const gathered = new Promise<void>((resolve) => {
      pc.onGatheringStateChange((state) => state === 'complete' && resolve());
      gatherTimer = setTimeout(resolve, gatherTimeoutMs).unref();
      // Cleared once gathered: a thousand answers a minute leave no timers behind.
    }).finally(() => clearTimeout(gatherTimer));
    pc.onStateChange((state) => {
      if (s.ended) return;
      if (state === 'connected') {
        s.connected = true;
        s.disconnectedAt = null;
      } else if (state === 'disconnected') {
        s.disconnectedAt ??= Date.now();
      } else if (state === 'failed' || state === 'closed') {
        endSession(s, 'connection');
      }
    });
    const c = channelOf(eventId, channel);
    try {
      if (kind === 'publisher') {
        pc.onTrack((track) => {
          if (s.ended) return track.close();
          s.track = track;
          // Receiver reports and bitrate hints back to the publisher, as a browser receiver sends.
          track.setMediaHandler(new RtcpReceivingSession());
          track.onMessage((packet) => forward(s, packet));
        });
      } else {
        // The answer signals the channel's SSRC (Chromium drops audio of an SSRC it was not told of).
        const audio = new Audio(offer.mid, 'SendOnly');
        audio.addOpusCodec(offer.opusPayloadType);
        audio.addSSRC(c.rewriter.ssrc, `tribune-${channel}`, `tribune-${channel}`, `tribune-${channel}-audio`);
        const track = pc.addTrack(audio);
        s.track = track;
        track.onOpen(() => {
          s.open = true;
          s.lastPacketAt = Date.now();
        });
        track.onClosed(() => {
          s.open = false;
          endSession(s, 'connection');
        });
        // The listener's RTCP (receiver reports) is read and dropped, not queued; it shows the
        // listener is still there (a page closed without a word is noticed by its silence).
        track.onMessage(() => (s.lastPacketAt = Date.now()));
      }
      pc.setRemoteDescription(sdp, 'offer');
    } catch (err) {
      clearTimeout(gatherTimer);
      try {
        pc.close();
      } catch {}
      if (!c.publishers.size && !c.listeners.size) channels.delete(channelKey(eventId, channel));
      throw new OfferError(`the offer could not be applied: ${(err as Error).message ?? String(err)}`);
    }
    sessions.set(id, s);
    if (kind === 'publisher') c.publishers.add(s);
    else {
      c.listeners.add(s);
      listeners += 1;
    }
    changed(eventId);
    await gathered;
    const local = pc.localDescription();
    if (s.ended || !local || local.type !== 'answer') {
      endSession(s, 'connection');
      throw new OfferError('no answer could be made for this offer');
    }
    const answer = options.announce ? announceAddress(local.sdp, options.announce) : local.sdp;
    return { id, answer };
  }

  // One watchdog for every session: silent publishers, connections that never came or went away.
  const watchdog = setInterval(() => {
    const now = Date.now();
    for (const s of [...sessions.values()]) {
      if (!s.connected && now - s.createdAt > connectTimeoutMs) endSession(s, 'connection');
      else if (s.disconnectedAt !== null && now - s.disconnectedAt > disconnectedMs) endSession(s, 'connection');
      else if (s.kind === 'publisher' && s.lastPacketAt && now - s.lastPacketAt > silenceMs) endSession(s, 'connection');
      // A receiving browser reports at least every ~7.5 s (RTCP); none for this long while packets
      // go to it: the listener is gone (its ICE consent would say so only after ~30 s).
      else if (s.kind === 'listener' && s.lastPacketAt && now - s.lastPacketAt > listenerSilenceMs && s.lastSentAt > s.lastPacketAt + listenerSilenceMs)
        endSession(s, 'connection');
    }
  }, 1_000);
  watchdog.unref();

  return {
    async publish(eventId, channel, sdp, offer) {
      return open('publisher', eventId, channel, sdp, offer);
    },
    async listen(eventId, channel, sdp, offer) {
      if (listeners >= options.maxListeners) throw new CapacityError('this server holds as many listeners as it may');
      return open('listener', eventId, channel, sdp, offer);
    },
    session(id) {
      const s = sessions.get(id);
      return s ? info(s) : undefined;
    },
    path(id) {
      const pair = sessions.get(id)?.pc.getSelectedCandidatePair();
      return pair ? { local: pair.local.address, remote: pair.remote.address, remoteType: pair.remote.type } : null;
    },
    end(id) {
      const s = sessions.get(id);
      if (!s) return false;
      endSession(s, 'deleted');
      return true;
    },
    counts(eventId) {
      const out: Record<string, ChannelCounts> = {};
      for (const c of channels.values()) {
        if (c.eventId !== eventId) continue;
        out[c.channel] = { onAir: c.publishers.size > 0, listeners: c.listeners.size };
      }
      return out;
    },
    listenerCount: () => listeners,
    inject(eventId, channel, source, packet) {
      if (source.startsWith(`${processId}/`)) return;
      const c = channels.get(channelKey(eventId, channel));
      // Nobody here listens or publishes on it: nothing to do.
      if (!c || !rtpHeader(packet)) return;
      deliver(c, source, null, packet, OPUS_RELAY_PT);
    },
    forwardedPackets: () => forwarded,
    onChange: (l) => void changeListeners.push(l),
    onPublisherEnded: (l) => void endedListeners.push(l),
    async close() {
      closed = true;
      clearInterval(watchdog);
      for (const s of [...sessions.values()]) endSession(s, 'connection');
    },
  };
}
