/**
 * A Redis blip while the audience changes: the report domain keeps the peak for later, and its
 * retries wait for their timer. (It used to try again at once after a failure; a store that refuses
 * in the same turn — ioredis without its offline queue, disconnected — made that a loop without
 * end that starved the event loop until the heap ran out.) Real Redis, a connection cut on purpose.
 */
import { expect, it } from 'vitest';
import type { LiveState } from '../shared/schemas.ts';
import type { DomainContext } from '../server/domain.ts';
import { createReportDomain } from '../server/report/domain.ts';
import { createEventLogs, domainLog } from '../server/log/event-logs.ts';
import { createMemoryLog } from '../server/log/memory-log.ts';
import { questionsReducer } from '../server/questions/rules.ts';
import { createRedisLog } from '../server/log/redis-log.ts';
import { reportReducer } from '../server/report/rules.ts';
import { createKeys } from '../server/store/keys.ts';
import { openStoreClient } from '../server/store/redis.ts';
import { REDIS_URL, describeRedis, uniquePrefix } from './helpers/redis.ts';
import { makeState, newTestCode, newTestId } from './fixtures/make-state.ts';

const memoryQuestions = () => domainLog(createEventLogs(createMemoryLog(), [questionsReducer]), questionsReducer);

describeRedis('audience peaks during a Redis blip', () => {
  it('a write refused at once is retried by its timer, not in a loop', async () => {
    const redis = await openStoreClient(REDIS_URL);
    const logs = createEventLogs(createRedisLog(redis, createKeys(uniquePrefix('blip'))), [reportReducer]);
    const domain = createReportDomain({} as never, { logs, questions: memoryQuestions() });
    redis.disconnect(); // every command is now refused at once

    let warnings = 0;
    // A loop would log without end: this logger stops it (by throwing) so the test fails instead
    // of the heap. It counts synchronously: the loop never lets a stream write happen.
    const logger = {
      warn() {
        if (++warnings > 50) throw new Error('audience peak retried in a loop');
      },
    };
    const state = makeState(newTestId(), newTestCode());
    const ctx = { logger } as unknown as DomainContext;
    domain.onAudience?.({ ...state, audience: { connected: 12, byTable: {} } } as LiveState, ctx);
    domain.onAudience?.({ ...state, audience: { connected: 13, byTable: {} } } as LiveState, ctx);
    // Timers still run (the event loop is not starved), and the failures were each logged once.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warnings).toBeGreaterThanOrEqual(1);
    expect(warnings).toBeLessThanOrEqual(2);
  });
});
