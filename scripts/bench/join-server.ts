/**
 * Bench child for the join: a real Tribune server with every domain (as questions-server.ts) whose
 * demo event already holds an evening's questions, appended to the server's own questions log
 * before it listens: `questions` of them, live (one in ten answered), each from its own device,
 * with votes spread as a room spreads them (most have a few, some many).
 * argv[2]: JSON `{ store: 'memory' | 'redis', redisUrl?, redisPrefix?, questions?: number }`.
 */
import { randomBytes } from 'node:crypto';
import type { QuestionRecord } from '../../server/questions/rules.ts';
import { createStreamsAdapter } from '../../server/socket/redis-adapter.ts';
import { openBenchBackend, runChild, serveDemo, type BackendChildConfig } from './serve.ts';

const LOOSE = { max: 1e9, windowMs: 60_000 };

runChild('join bench server', async () => {
  const config = JSON.parse(process.argv[2] ?? '{}') as BackendChildConfig & { questions?: number };
  const backend = await openBenchBackend(config, 'join');
  const adapter = config.store === 'redis' ? await createStreamsAdapter(config.redisUrl!, config.redisPrefix!) : null;
  const questions = backend.stores!.questions;
  await serveDemo({
    store: backend.store,
    domains: backend.domains,
    ...(adapter ? { adapter: adapter.adapter } : {}),
    async prepare(created) {
      const eventId = created.event.id;
      const n = config.questions ?? 2000;
      const start = Date.now() - n * 1000;
      for (let from = 0; from < n; from += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, n - from) }, async (_, j) => {
            const i = from + j;
            const record: QuestionRecord = {
              id: randomBytes(16).toString('base64url'),
              text: `Question ${i} from the room: how do you keep the historic centre alive for the people who live there?`,
              lang: created.event.languages[i % created.event.languages.length]!,
              itemId: null,
              table: created.event.tables[i % Math.max(1, created.event.tables.length)]?.id ?? null,
              author: i % 3 ? null : `Guest ${i}`,
              votes: 0,
              status: 'live',
              createdAt: start + i * 1000,
              rev: 1,
              device: randomBytes(12).toString('base64url'),
            };
            await questions.append(eventId, { kind: 'questions.ask', payload: { record, limit: LOOSE } });
            const votes = Math.floor(Math.random() ** 3 * 30);
            for (let v = 0; v < votes; v++) {
              await questions.append(eventId, { kind: 'questions.vote', payload: { id: record.id, value: 1, limit: LOOSE }, device: `voter-${v}`, table: null });
            }
            if (i % 10 === 9) await questions.append(eventId, { kind: 'questions.moderate', payload: { id: record.id, status: 'answered' } });
          }),
        );
      }
    },
    async release() {
      await adapter?.close();
      await backend.close();
    },
    info: () => (adapter ? { adapter: 'redis-streams' } : {}),
  });
});
