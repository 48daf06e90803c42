/**
 * TRANSLATE_URL naming an Apertium APY server: the real `apertium-apy` (Debian's package) on a free
 * port of this machine, over the same pairs as the box. The engine tells it from LibreTranslate by
 * asking for its pairs, reaches languages directly or through a pivot, and translates over HTTP.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTranslation, type TranslationEngine } from '../server/translate/engine.ts';
import { apertiumAvailable, apertiumDir } from './helpers/apertium.ts';
import { eventually } from './helpers/eventually.ts';
import { freePort } from './helpers/redis-server.ts';

const apyPath = spawnSync('sh', ['-c', 'command -v apertium-apy'], { encoding: 'utf8' }).stdout.trim();
if (!apyPath) {
  const message = `apertium-apy is not installed: the APY test ${process.env.CI ? 'cannot run' : 'is skipped'} (apt-get install apertium-apy)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}

describe.skipIf(!apyPath || !apertiumAvailable)('TRANSLATE_URL: a real Apertium APY server', () => {
  let apy: ChildProcess;
  let url = '';
  let engine: TranslationEngine;
  beforeAll(async () => {
    const port = await freePort();
    apy = spawn(apyPath, ['-p', String(port), `${apertiumDir}/modes`], { stdio: 'ignore' });
    url = `http://127.0.0.1:${port}`;
    await eventually(async () => expect((await fetch(`${url}/listPairs`)).status).toBe(200), { timeout: 30_000, interval: 200 });
    engine = openTranslation({ url, engine: 'auto' })!;
    await engine.ready;
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    apy?.kill('SIGKILL');
  });

  it('is told apart from LibreTranslate and knows the server’s pairs by primary tag', () => {
    expect(engine.name()).toBe('apy');
    expect(engine.reach('fr', 'es')).toEqual({ kind: 'direct' });
    expect(engine.reach('fr', 'it')).toEqual({ kind: 'pivot', via: 'es' });
    expect(engine.reach('fr', 'he')).toBeNull();
  });

  it('translates directly and through the pivot, and answers null for a language no pair reaches', async () => {
    const es = await engine.translate('Bonjour à tous', 'fr', 'es');
    expect(es).toMatch(/todos/i);
    const it = await engine.translate('Le centre historique', 'fr', 'it');
    expect(it).toBeTruthy();
    expect(it).not.toBe('Le centre historique');
    expect(await engine.translate('Bonjour', 'fr', 'he')).toBeNull();
  }, 60_000);
});
