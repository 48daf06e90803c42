/**
 * Opens everything that keeps data — the live store and each domain's store — on one backend:
 * the embedded journal (DATA_DIR) or Redis (REDIS_URL, REDIS_PREFIX). `main.ts` and the tests
 * both open it here, so they run the same wiring.
 */
import type { Redis } from 'ioredis';
import type { Domain } from './domain.ts';
import { createAudioDomain, type AudioOptions } from './audio/domain.ts';
import { createCaptionsDomain } from './captions/domain.ts';
import { importOldCaptions } from './captions/import.ts';
import { captionsReducer } from './captions/rules.ts';
import { createCaptionStore, type CaptionStore } from './captions/store.ts';
import { createSlidesDomain, type SlidesOptions } from './slides/domain.ts';
import { createQuestionsDomain } from './questions/domain.ts';
import { importOldQuestions } from './questions/import.ts';
import { questionsReducer } from './questions/rules.ts';
import { createQuestionStore, type QuestionStore } from './questions/store.ts';
import { createMemoryEphemeral, createRedisEphemeral, type Ephemeral } from './log/ephemeral.ts';
import { createEventLogs, type EventLogs, type Reducer } from './log/event-logs.ts';
import { createMemoryLog } from './log/memory-log.ts';
import { createRedisLog } from './log/redis-log.ts';
import type { LogBackend } from './log/types.ts';
import { createReportDomain } from './report/domain.ts';
import { importOldReports } from './report/import.ts';
import { createReportStore, reportReducer, type ReportStore } from './report/store.ts';
import { createKeys, type Keys } from './store/keys.ts';
import { importOldLiveStates } from './live/import.ts';
import { liveReducer } from './live/rules.ts';
import { createMemoryRecords, forgetAudience } from './store/memory.ts';
import { createRedisRecords, openStoreClient } from './store/redis.ts';
import { createStore } from './store/store.ts';
import type { Records, Store } from './store/types.ts';

export type BackendConfig = ({ kind: 'memory'; dataDir?: string } | { kind: 'redis'; url: string; prefix: string }) & {
  /** Captions: a LibreTranslate-compatible service for machine translation (TRANSLATE_URL). */
  translateUrl?: string;
  /** Slides: renderer limits, cache size, when replaced decks are deleted. */
  slides?: SlidesOptions;
  /** Interpretation audio: addresses, UDP ports, listener capacity (HOST, MEDIA_HOST, MEDIA_PORTS, AUDIO_MAX_LISTENERS). */
  audio?: AudioOptions;
};

/** What a domain's store is built on. */
export type BackendContext =
  | { kind: 'memory'; dataDir?: string }
  | { kind: 'redis'; redis: Redis; keys: Keys };

export interface Backend {
  store: Store;
  /** The events' logs: the one write path of the domains moved onto it (server/log). */
  logs: EventLogs;
  /** What processes share that is not history: broadcast slots, presence, relay counters. */
  ephemeral: Ephemeral;
  domains: Domain[];
  /** The domains' shared stores (absent on a live store alone, as some tests run). */
  stores?: SharedStores;
  close(): Promise<void>;
}

/** The domains' stores that more than one domain reads (the report reads captions and questions). */
export interface SharedStores {
  captions: CaptionStore;
  questions: QuestionStore;
  report: ReportStore;
}

/** Each domain's rules folded from the event log; a domain moved onto the log adds its reducer here. */
const reducers: Reducer<any, any>[] = [liveReducer, reportReducer, captionsReducer, questionsReducer];

/** Data older versions stored outside the log, carried into it at open (each domain's importer). */
const importers: ((ctx: BackendContext, logs: EventLogs, records: Records) => Promise<unknown>)[] = [
  importOldLiveStates,
  importOldReports,
  importOldCaptions,
  importOldQuestions,
];

type DomainFactory = (ctx: BackendContext, store: Store, config: BackendConfig, shared: SharedStores) => Domain | Promise<Domain>;

/** Each domain's factory; a domain added to Tribune adds its line here. */
const domainFactories: DomainFactory[] = [
  (_ctx, store, config, shared) =>
    createCaptionsDomain(store, { store: shared.captions, ...(config.translateUrl ? { translateUrl: config.translateUrl } : {}) }),
  (ctx, store, config) => createSlidesDomain(ctx, store, config.slides),
  (_ctx, store, _config, shared) => createQuestionsDomain(store, shared.questions),
  (_ctx, store, config, shared) =>
    createReportDomain(store, { ...shared, ...(config.translateUrl ? { translateUrl: config.translateUrl } : {}) }),
  (ctx, store, config) => createAudioDomain(store, config.audio, undefined, ctx.kind === 'redis' ? { redis: ctx.redis, keys: ctx.keys } : undefined),
];

export async function openBackend(config: BackendConfig): Promise<Backend> {
  let ctx: BackendContext;
  let redis: Redis | null = null;
  if (config.kind === 'redis') {
    // One connection for the records, the logs and what processes share (commands pipeline on it).
    redis = await openStoreClient(config.url);
    ctx = { kind: 'redis', redis, keys: createKeys(config.prefix) };
  } else {
    ctx = config.dataDir ? { kind: 'memory', dataDir: config.dataDir } : { kind: 'memory' };
  }
  const logBackend: LogBackend = ctx.kind === 'redis' ? createRedisLog(ctx.redis, ctx.keys) : createMemoryLog(ctx.dataDir ? { dataDir: ctx.dataDir } : {});
  const logs = createEventLogs(logBackend, reducers);
  const ephemeral = ctx.kind === 'redis' ? createRedisEphemeral(ctx.redis, ctx.keys) : createMemoryEphemeral();
  const records = ctx.kind === 'redis' ? createRedisRecords(ctx.redis, ctx.keys) : createMemoryRecords(ctx.dataDir ? { dataDir: ctx.dataDir } : {});
  const store = createStore(records, logs, ephemeral);
  for (const run of importers) await run(ctx, logs, records);
  if (ctx.kind === 'memory') await forgetAudience(store);
  const shared: SharedStores = { captions: createCaptionStore(logs, ephemeral), questions: createQuestionStore(logs, ephemeral), report: createReportStore(logs) };
  const domains: Domain[] = [];
  for (const make of domainFactories) domains.push(await make(ctx, store, config, shared));
  return {
    store,
    logs,
    ephemeral,
    domains,
    stores: shared,
    async close() {
      for (const d of domains) await d.close?.();
      await logs.close();
      await store.close();
      if (redis) await redis.quit().catch(() => redis!.disconnect());
    },
  };
}
