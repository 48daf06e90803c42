/**
 * Channels across processes on one Redis: a process with a publisher publishes each packet it
 * forwards on `<prefix>:audio:<eventId>:<channel>` (pub/sub, nothing stored); every process follows
 * `<prefix>:audio:*` and hands what other processes sent to its own listeners (media.ts `inject`).
 * A frame is `[length of source][source][RTP packet]`, the source naming the publisher
 * (`<processId>/<session>`), so a takeover on one process ends the publisher on another.
 * At 50 packets/s per channel on air, every process hears every channel: fine for a venue's
 * dozen channels; a listener-driven subscription would be the next step for many events.
 */
import type { Redis } from 'ioredis';
import type { Keys } from '../store/keys.ts';

export interface AudioRelay {
  send(eventId: string, channel: string, source: string, packet: Buffer): void;
  close(): Promise<void>;
}

export async function createRedisRelay(
  redis: Redis,
  keys: Keys,
  receive: (eventId: string, channel: string, source: string, packet: Buffer) => void,
): Promise<AudioRelay> {
  const base = `${keys.prefix}:audio:`;
  // Its own connection (a subscriber does nothing else), resubscribed by ioredis after a reconnect.
  const sub = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, autoResubscribe: true });
  sub.on('error', () => {});
  await sub.psubscribe(`${base}*`);
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
    async close() {
      sub.disconnect();
    },
  };
}
