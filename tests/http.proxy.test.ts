/**
 * TRUST_PROXY: behind a reverse proxy every reader arrives from the proxy's address, so the report
 * routes' per-address bound (a burst of 120, then 20/s) must see the forwarded client — and only
 * when the proxy is trusted, or anyone could pick a fresh address per request. Real servers on
 * port 0, both stores; requests from loopback with X-Forwarded-For, as a proxy on the box sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../server/backend.ts';
import { parseTrustProxy, readConfig, type TrustProxy } from '../server/config.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { createTestEvent, startBackendServer, type TestServer } from './helpers/server.ts';
import { storeKinds } from './helpers/stores.ts';

describe('TRUST_PROXY', () => {
  it('reads what Express accepts: true/false, a hop count, addresses and subnets; absent: false', () => {
    expect(readConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8 ,fd00::/8')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(() => parseTrustProxy('the proxy')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow(/TRUST_PROXY/);
  });
});

/** One status per request, all sent at once. */
async function statuses(n: number, url: string, headers: Record<string, string>): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () => fetch(url, { headers }).then(async (r) => (await r.arrayBuffer(), r.status))));
}

for (const kind of storeKinds) {
  for (const trust of ['loopback', ''] as const) {
    describe.skipIf(!kind.available)(`report readers behind a proxy, ${trust ? `TRUST_PROXY=${trust}` : 'no TRUST_PROXY'}, ${kind.name} store`, () => {
      let location: string;
      let backend: Backend;
      let server: TestServer;
      let ev: CreatedEvent;
      beforeAll(async () => {
        location = kind.newLocation();
        backend = await kind.openBackend(location);
        const trustProxy: TrustProxy = readConfig({ TRUST_PROXY: trust }).trustProxy;
        server = await startBackendServer(backend, { trustProxy });
        ev = await createTestEvent(server.url);
      });
      afterAll(async () => {
        await server.close();
        await backend.close();
        await kind.cleanup(location);
      });

      it(trust ? "each forwarded reader has its own allowance: 14 readers served while one address over its burst is refused" : 'X-Forwarded-For is ignored: the readers share the proxy’s allowance', async () => {
        const url = `${server.url}/api/events/${ev.event.id}/report/speaking-time.csv`;
        const auth = { authorization: `Bearer ${ev.secrets.report}` };
        // At once: one address sends 300 (all would pass only if answering took 9 s at 20/s past
        // the burst of 120); 14 offices send 8 each, well within a burst of their own.
        const [flood, ...readers] = await Promise.all([
          statuses(300, url, { ...auth, 'x-forwarded-for': '203.0.113.7' }),
          ...Array.from({ length: 14 }, (_, n) => statuses(8, url, { ...auth, 'x-forwarded-for': `198.51.100.${n + 1}` })),
        ]);
        expect(flood.filter((s) => s === 429).length).toBeGreaterThan(0);
        expect(new Set([...flood, ...readers.flat()])).toEqual(new Set([200, 429]));
        const refusedReaders = readers.flat().filter((s) => s === 429).length;
        if (trust) expect(refusedReaders).toBe(0);
        // 412 requests on one allowance: all would pass only if answering took 14 s.
        else expect(refusedReaders).toBeGreaterThan(0);
      });
    });
  }
}
