/** Rate bounds shared by the domains: token buckets, alone or one per client. */

/** A token bucket: `size` at once, refilled at `perSecond`; the function takes one token if any. */
export function tokenBucket(size: number, perSecond: number): () => boolean {
  let tokens = size;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(size, tokens + ((now - last) * perSecond) / 1000);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/**
 * One bucket per client key (an address). The map is forgotten whole past `maxClients` (a flood of
 * addresses must not grow memory; at worst a client gets a fresh burst).
 */
export function bucketsPerClient(size: number, perSecond: number, maxClients = 10_000): (client: string) => boolean {
  const buckets = new Map<string, () => boolean>();
  return (client) => {
    let take = buckets.get(client);
    if (!take) {
      if (buckets.size >= maxClients) buckets.clear();
      buckets.set(client, (take = tokenBucket(size, perSecond)));
    }
    return take();
  };
}
