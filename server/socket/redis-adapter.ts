/**
 * The Socket.IO adapter for several processes on one Redis: `@socket.io/redis-streams-adapter`
 * (a stream keeps connection-state recovery working), with its own ioredis client and its keys,
 * stream and channels under the prefix (keys.ts).
 *
 * The adapter duplicates the client for its blocking XREAD loop and its subscriptions, and only
 * stops them when every namespace adapter it made is closed. So the adapter is created on first use
 * (nothing runs if Socket.IO never asks for it) and `close()` closes whatever it made, then the
 * connections. Calling `close()` after `io.close()` (which closes the namespace adapters) is fine.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis, type RedisOptions } from 'ioredis';
import { createKeys } from '../store/keys.ts';
import { connectOrFail } from '../store/redis.ts';

type AdapterFactory = ReturnType<typeof createAdapter>;
type NamespaceAdapter = ReturnType<AdapterFactory>;

export interface StreamsAdapter {
  /** Pass to `io.adapter(…)` (or `createApp({ adapter })`). */
  adapter: AdapterFactory;
  close(): Promise<void>;
}

export async function createStreamsAdapter(url: string, prefix: string): Promise<StreamsAdapter> {
  const keys = createKeys(prefix);
  // No commandTimeout/socketTimeout here: XREAD blocks for `blockTimeInMs` by design, and the
  // duplicates the adapter makes inherit these options. The offline queue stays on so that the
  // polling loop waits for a reconnect instead of spinning on instant failures.
  const options: RedisOptions = {
    connectTimeout: 2_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  };
  const client = new Redis(url, options);
  client.on('error', () => {});

  // Keep the duplicates (stream reader, subscriber) to close them on shutdown.
  const duplicates: Redis[] = [];
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((override?: Partial<RedisOptions>) => {
    const copy = duplicate(override);
    duplicates.push(copy);
    // Both the adapter and close() may disconnect a copy; ioredis arms a 2 s timer on each call
    // that a closed socket never clears, which would hold the process open.
    const disconnect = copy.disconnect.bind(copy);
    let disconnected = false;
    copy.disconnect = (reconnect?: boolean) => {
      if (!reconnect) {
        if (disconnected) return;
        disconnected = true;
      }
      disconnect(reconnect);
    };
    return copy;
  }) as typeof client.duplicate;

  await connectOrFail(client, url);

  let factory: AdapterFactory | null = null;
  const open = new Set<NamespaceAdapter>();
  // A plain function, not an arrow: Socket.IO calls it with `new` (the object returned wins).
  const adapter: AdapterFactory = function (nsp: Parameters<AdapterFactory>[0]) {
    factory ??= createAdapter(client, {
      streamName: keys.adapter.streamName,
      channelPrefix: keys.adapter.channelPrefix,
      sessionKeyPrefix: keys.adapter.sessionKeyPrefix,
    });
    const made = factory(nsp);
    const closeMade = made.close.bind(made);
    made.close = () => {
      if (!open.delete(made)) return;
      return closeMade();
    };
    open.add(made);
    return made;
  };

  return {
    adapter,
    async close() {
      // Closing the last namespace adapter aborts the adapter's loops; only then may their
      // connections go (a closed connection under a live loop would make it spin).
      for (const made of [...open]) await made.close();
      for (const d of duplicates) d.disconnect();
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
