/**
 * Nothing acknowledged is lost, on any domain: the real server process killed with -9 on the
 * embedded store; a Redis of its own (AOF, fsync always) killed with -9 and started again under a
 * running server; and both at once — the server process on that Redis and the Redis killed with -9.
 * The report (live state's speaking times, captions, questions, ratings, participation, summaries,
 * peaks) reads the same afterwards, and so do the live state a moderator joins with.
 */
import { describe, expect, it } from 'vitest';
import type { Report } from '../shared/report.ts';
import { openBackend } from '../server/backend.ts';
import { record, type Recorder } from './helpers/captions.ts';
import { eventually } from './helpers/eventually.ts';
import { playEvening } from './helpers/evening.ts';
import { startMain } from './helpers/process.ts';
import { exited, freePort, requireRedisServer, startPrivateRedis, useScratch } from './helpers/redis-server.ts';
import { connect, createTestEvent, startBackendServer } from './helpers/server.ts';

const { children, tmp } = useScratch();

async function fetchReport(url: string, eventId: string, key: string): Promise<Report> {
  const res = await fetch(`${url}/api/events/${eventId}/report`, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`report: ${res.status} ${await res.text()}`);
  return (await res.json()) as Report;
}
const comparable = (r: Report) => ({ ...r, generatedAt: 0 });

/**
 * A new event on the server at `url`: the evening played, a summary stored in `lang`, and the report
 * once its peak (written as presence is published, every 2 s in the real process) is in.
 */
async function playAndSummarise(url: string, lang: string, text: string) {
  const ev = await createTestEvent(url);
  const clients: Recorder[] = [];
  await playEvening(async (auth) => {
    const c = await record(url, auth);
    clients.push(c);
    return c;
  }, ev);
  const summary = await fetch(`${url}/api/events/${ev.event.id}/report/summary/${lang}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ev.secrets.moderator}` },
    body: JSON.stringify({ text }),
  });
  expect(summary.status).toBe(200);
  const before = await eventually(async () => {
    const r = await fetchReport(url, ev.event.id, ev.secrets.report);
    expect(r.audience.peak).toBe(4);
    return r;
  });
  return { ev, clients, before };
}

describe('the report survives kill -9 of the server (embedded store)', () => {
  it('reads the same after the process is killed and started again', async () => {
    const dataDir = tmp('report-kill');
    const first = await startMain({ DATA_DIR: dataDir }, children);
    const { ev, clients, before } = await playAndSummarise(first.url, 'fr', 'Acquis avant le kill -9');
    clients.forEach((c) => c.close());
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await startMain({ DATA_DIR: dataDir }, children);
    const after = await fetchReport(second.url, ev.event.id, ev.secrets.report);
    expect(comparable(after)).toEqual(comparable(before));
    expect(after.transcript.fr!.map((l) => l.text)).toEqual(['Bonsoir à toutes et à tous', 'Le centre <historique> & ses "usages"']);
    second.child.kill('SIGKILL');
  });
});

describe.skipIf(!requireRedisServer('the Redis restart test'))('the report survives a Redis restart', () => {
  it('reads the same once Redis is back; while it is away the report answers 503', async () => {
    const dir = tmp('report-redis');
    const port = await freePort();
    let redis = await startPrivateRedis(dir, port, children);
    const url = `redis://127.0.0.1:${port}`;
    const backend = await openBackend({ kind: 'redis', url, prefix: 'tribune-test-restart' });
    const server = await startBackendServer(backend);
    const clients: Recorder[] = [];
    try {
      const ev = await createTestEvent(server.url);
      await playEvening(async (auth) => {
        const c = await record(server.url, auth);
        clients.push(c);
        return c;
      }, ev);
      const before = await eventually(async () => {
        const r = await fetchReport(server.url, ev.event.id, ev.secrets.report);
        expect(r.audience.peak).toBe(4);
        return r;
      });
      clients.splice(0).forEach((c) => c.close());

      redis.kill('SIGKILL');
      await exited(redis);
      const away = await fetch(`${server.url}/api/events/${ev.event.id}/report`, { headers: { authorization: `Bearer ${ev.secrets.report}` } });
      expect(away.status).toBe(503);
      expect(((await away.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');

      redis = await startPrivateRedis(dir, port, children);
      const after = await eventually(() => fetchReport(server.url, ev.event.id, ev.secrets.report), { timeout: 15_000 });
      expect(comparable(after)).toEqual(comparable(before));
    } finally {
      clients.forEach((c) => c.close());
      await server.close();
      await backend.close();
      redis.kill('SIGKILL');
    }
  });
});

describe.skipIf(!requireRedisServer('the kill -9 test on Redis'))('a server process on Redis and the Redis both killed with -9', () => {
  it('every domain reads the same once both are started again', async () => {
    const dir = tmp('all-redis');
    const port = await freePort();
    let redis = await startPrivateRedis(dir, port, children);
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: 'tribune-test-kill-all' };
    const first = await startMain(env, children);
    const { ev, clients, before } = await playAndSummarise(first.url, 'es', 'Resumen antes del kill -9');
    const joinAsModerator = async (url: string) => {
      const m = await connect(url, { eventId: ev.event.id, token: ev.secrets.moderator });
      await eventually(() => expect(m.states.length).toBeGreaterThan(0));
      m.close();
      return { state: { ...m.latest(), serverTime: 0, audience: null } };
    };
    const joinedBefore = await joinAsModerator(first.url);
    clients.forEach((c) => c.close());

    first.child.kill('SIGKILL');
    redis.kill('SIGKILL');
    await Promise.all([exited(first.child), exited(redis)]);
    redis = await startPrivateRedis(dir, port, children);
    const second = await startMain(env, children);
    const after = await fetchReport(second.url, ev.event.id, ev.secrets.report);
    expect(comparable(after)).toEqual(comparable(before));
    expect(after.summary).toMatchObject({ es: { text: 'Resumen antes del kill -9' } });
    const joinedAfter = await joinAsModerator(second.url);
    expect({ ...joinedAfter, state: { ...joinedAfter.state, rev: 0 } }).toEqual({ ...joinedBefore, state: { ...joinedBefore.state, rev: 0 } });
    expect(joinedAfter.state.rev).toBeGreaterThanOrEqual(joinedBefore.state.rev);
    second.child.kill('SIGKILL');
  }, 120_000);
});
