/**
 * Interpretation audio on two server processes sharing one Redis (useRedisPair): a channel published
 * on A is heard by a Chromium listener on B (packets relayed through Redis pub/sub, relay.ts),
 * `state.audio` sums both processes, and a takeover on B ends the publisher on A while B's listener
 * keeps receiving.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../server/backend.ts';
import type { CreatedEvent } from '../server/events/service.ts';
import { fakeMicrophoneArgs, inboundAudio, listenFromPage, publishFromPage, writeToneWav } from './helpers/audio.ts';
import { chromiumAvailable, launchChromium } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { REDIS_URL, requireRedis } from './helpers/redis.ts';
import { useRedisPair } from './helpers/redis-pair.ts';
import { connect, createTestEvent, type Client } from './helpers/server.ts';

const redisUp = await requireRedis();

describe.skipIf(!chromiumAvailable || !redisUp)('interpretation audio across two processes on one Redis', () => {
  const pair = useRedisPair<Client>('audio', (prefix) => openBackend({ kind: 'redis', url: REDIS_URL, prefix, audio: { intervalMs: 100 } }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribune-audio-redis-'));
  const wav = path.join(dir, 'tone.wav');
  let browser: Browser;
  let created: CreatedEvent;

  beforeAll(async () => {
    writeToneWav(wav, 660, 30);
    browser = await launchChromium(fakeMicrophoneArgs(wav));
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function pageOn(url: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}/healthz`);
    return page;
  }

  it('a listener on B hears a publisher on A; a takeover on B ends A', async () => {
    const [a, b] = pair.servers as unknown as [{ url: string }, { url: string }];
    created = await createTestEvent(a.url);
    const watchA = await pair.tracked(connect)(a.url, { code: created.event.code });
    const url = (server: { url: string }, kind: 'whip' | 'whep') => `${server.url}/api/events/${created.event.id}/audio/es/${kind}`;

    const phone = await pageOn(b.url);
    expect((await listenFromPage(phone, url(b, 'whep'))).status).toBe(201);
    const interpreter = await pageOn(a.url);
    const first = await publishFromPage(interpreter, url(a, 'whip'), created.secrets.interpreters.es!);
    expect(first.status).toBe(201);
    await eventually(async () => {
      const heard = await inboundAudio(phone);
      expect(heard.packets).toBeGreaterThan(0);
      expect(heard.level).toBeGreaterThan(0);
    }, { timeout: 20_000 });
    // Both processes' counts, summed: on air (A's publisher), one listener (B's).
    await eventually(() => expect(watchA.latest().audio.es).toEqual({ onAir: true, listeners: 1 }));

    // The partner publishes on B: A's publisher session ends there; B's phone keeps hearing.
    const partner = await pageOn(b.url);
    expect((await publishFromPage(partner, url(b, 'whip'), created.secrets.interpreters.es!)).status).toBe(201);
    await eventually(async () => {
      const res = await fetch(`${a.url}${first.location}`, { method: 'DELETE', headers: { authorization: `Bearer ${created.secrets.interpreters.es}` } });
      expect(res.status).toBe(404);
    }, { timeout: 20_000 });
    const before = await inboundAudio(phone);
    await eventually(async () => expect((await inboundAudio(phone)).packets).toBeGreaterThan(before.packets + 50), { timeout: 20_000 });
    await eventually(() => expect(watchA.latest().audio.es).toEqual({ onAir: true, listeners: 1 }));
  }, 120_000);
});
