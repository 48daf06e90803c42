/**
 * Presence at scale: a change of the audience alone reaches the staff at once, and the phones
 * (which do not show it) at most once per spacing; any other change carries the latest audience to
 * everyone. The spacing here is an hour, so what the phone receives does not depend on timing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../server/store/memory.ts';
import { eventually } from './helpers/eventually.ts';
import { connect, createTestEvent, startServer, type Client, type TestServer } from './helpers/server.ts';

describe('audience-only states to phones', () => {
  let server: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startServer(createMemoryStore(), { attendeeAudienceSpacing: () => 3_600_000 });
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });
  const open = async (auth: Record<string, unknown>) => {
    const c = await connect(server.url, auth);
    clients.push(c);
    return c;
  };

  it('the staff follow the count; a phone gets it with the next real change', async () => {
    const ev = await createTestEvent(server.url);
    const moderator = await open({ eventId: ev.event.id, token: ev.secrets.moderator });
    const projector = await open({ eventId: ev.event.id, token: ev.secrets.projector });
    const phone = await open({ code: ev.event.code, table: 't1' });
    await eventually(() => expect(moderator.latest().audience.connected).toBe(1));
    // From here on, audience-only states are held back from phones for the spacing (the phone may
    // still get this one, the first).
    const heldRev = moderator.latest().rev;
    for (let i = 0; i < 5; i++) await open({ code: ev.event.code, table: 't2' });
    await eventually(() => expect(moderator.latest().audience).toEqual({ connected: 6, byTable: { t1: 1, t2: 5 } }));
    await eventually(() => expect(projector.latest().audience.connected).toBe(6));
    expect(phone.states.filter((s) => s.rev > heldRev)).toEqual([]);

    expect(await moderator.send('agenda:go', { itemId: 'aix' })).toMatchObject({ ok: true });
    await eventually(() => expect(phone.latest().stage.itemId).toBe('aix'));
    expect(phone.latest().audience).toEqual({ connected: 6, byTable: { t1: 1, t2: 5 } });
    expect(phone.latest().rev).toBe(moderator.latest().rev);
  });

  it('listener counts follow the same path; a channel going on or off air reaches the phones at once', async () => {
    const ev = await createTestEvent(server.url);
    const moderator = await open({ eventId: ev.event.id, token: ev.secrets.moderator });
    const phone = await open({ code: ev.event.code });
    const audio = (listeners: number, onAir: boolean) => server.store.publishAudio(ev.event.id, 'this-process', { fr: { onAir, listeners } });
    await audio(0, true);
    await eventually(() => expect(phone.latest().audio.fr).toEqual({ onAir: true, listeners: 0 }));
    const heldRev = phone.latest().rev;
    await audio(3, true);
    await eventually(() => expect(moderator.latest().audio.fr).toEqual({ onAir: true, listeners: 3 }));
    expect(phone.states.filter((s) => s.rev > heldRev)).toEqual([]);
    await audio(0, false);
    await eventually(() => expect(phone.latest().audio.fr).toEqual({ onAir: false, listeners: 0 }));
  });
});
