/**
 * Channels across processes on one Redis: a process with a publisher publishes each packet it
 * forwards on `<prefix>:audio:<eventId>:<channel>` (pub/sub, nothing stored); every process follows
 * `<prefix>:audio:*` and hands what other processes sent to its own listeners (media.ts `inject`).
 * A frame is `[length of source][source][RTP packet]`, the source naming the publisher
 * (`<processId>/<session>`), so a takeover on one process ends the publisher on another.
 * At 50 packets/s per channel on air, every process hears every channel: fine for a venue's
 * dozen channels; a listener-driven subscription would be the next step for many events.
 *
 * `DELETE <Location>` may reach a process that does not hold the session (a load balancer, a
 * client that kept a Location): a session id begins with its process's id (media.ts
 * `sessionOwner`), so the receiving process sends the request to that process alone, on
 * `<prefix>:audio-end:<processId>`, and waits for its answer on `<prefix>:audio-ended:<its own
 * id>`. PUBLISH says how many heard it: none, the process is gone and its sessions with it.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.ts';
import type { EndOutcome, EndRequest } from './media.ts';

/** How long a process waits for the holder of a session to answer a DELETE (then 503). */
export const END_TIMEOUT_MS = 2_000;

export interface AudioRelay {
  send(eventId: string, channel: string, source: string, packet: Buffer): void;
  /** Asks process `owner` to end a session it holds; 'unanswered' when it did not answer in time. */
  end(owner: string, request: EndRequest): Promise<EndOutcome | 'unanswered'>;
  close(): Promise<void>;
}

export interface RelayOptions {
  /** This process's id (media.ts `MediaOptions.processId`). */
  processId: string;
  /** A packet another process relayed. */
  receive(eventId: string, channel: string, source: string, packet: Buffer): void;
  /** Another process's DELETE of a session this process holds. */
  endHere(request: EndRequest): EndOutcome;
  endTimeoutMs?: number;
}

const OUTCOMES = new Set<string>(['ended', 'missing', 'refused']);

export async function createRedisRelay(redis: Redis, keys: Keys, options: RelayOptions): Promise<AudioRelay> {
  const { processId, receive, endHere } = options;
  const base = `${keys.prefix}:audio:`;
  // Not under `base`: the packets' pattern does not match them.
  const endChannel = (id: string) => `${keys.prefix}:audio-end:${id}`;
  const endedChannel = (id: string) => `${keys.prefix}:audio-ended:${id}`;
  const waiting = new Map<string, (outcome: EndOutcome | 'unanswered') => void>();
  // Its own connection (a subscriber does nothing else), resubscribed by ioredis after a reconnect.
  const sub = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, autoResubscribe: true });
  sub.on('error', () => {});
  await sub.psubscribe(`${base}*`);
  await sub.subscribe(endChannel(processId), endedChannel(processId));
  sub.on('message', (name: string, text: string) => {
    let message: { id?: unknown; from?: unknown; request?: EndRequest; outcome?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.id !== 'string') return;
    if (name === endChannel(processId) && typeof message.from === 'string' && message.request) {
      let outcome: EndOutcome = 'missing';
      try {
        outcome = endHere(message.request);
      } catch {
        // A malformed request names no session of ours.
      }
      redis.publish(endedChannel(message.from), JSON.stringify({ id: message.id, outcome })).catch(() => {});
    } else if (name === endedChannel(processId) && typeof message.outcome === 'string' && OUTCOMES.has(message.outcome)) {
      waiting.get(message.id)?.(message.outcome as EndOutcome);
    }
  });
  sub.on('pmessageBuffer', (_pattern: Buffer, name: Buffer, frame: Buffer) => {
    const rest = name.toString('utf8').slice(base.length);
    const colon = rest.lastIndexOf(':');
    if (colon < 1 || frame.length < 2) return;
    const length = frame[0]!;
    if (frame.length < 1 + length + 12) return;
    receive(rest.slice(0, colon), rest.slice(colon + 1), frame.subarray(1, 1 + length).toString('latin1'), frame.subarray(1 + length));
  });
  return {
    send(eventId, channel, source, packet) {
      const src = Buffer.from(source, 'latin1');
      // Fire and forget: a packet late or lost is what RTP expects; the store connection pipelines.
      redis.publish(`${base}${eventId}:${channel}`, Buffer.concat([Buffer.from([src.length]), src, packet])).catch(() => {});
    },
    async end(owner, request) {
      const id = randomBytes(8).toString('hex');
      return new Promise<EndOutcome | 'unanswered'>((resolve) => {
        const done = (outcome: EndOutcome | 'unanswered') => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(outcome);
        };
        const timer = setTimeout(() => done('unanswered'), options.endTimeoutMs ?? END_TIMEOUT_MS);
        waiting.set(id, done);
        redis
          .publish(endChannel(owner), JSON.stringify({ id, from: processId, request }))
          // Nobody subscribed: that process is gone, and its sessions with it.
          .then((heard) => heard === 0 && done('missing'))
          .catch(() => done('unanswered'));
      });
    },
    async close() {
      for (const done of [...waiting.values()]) done('unanswered');
      sub.disconnect();
    },
  };
}
