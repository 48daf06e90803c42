/**
 * Opens everything that keeps data — the live store and each domain's store — on one backend:
 * the embedded journal (DATA_DIR) or Redis (REDIS_URL, REDIS_PREFIX). `main.ts` and the tests
 * both open it here, so they run the same wiring.
 */
import type { Redis } from 'ioredis';
import type { Domain, DomainContext, DomainPlug } from './domain.ts';
import { createAudioDomain, type AudioOptions } from './audio/domain.ts';
import { createCaptionsDomain } from './captions/domain.ts';
import { importOldCaptions } from './captions/import.ts';
import { createSlidesDomain, type SlidesOptions } from './slides/domain.ts';
import { importOldDecks } from './slides/import.ts';
import { createPollsDomain } from './polls/domain.ts';
import { createFloorDomain, type FloorOptions } from './floor/domain.ts';
import { createQuestionsDomain } from './questions/domain.ts';
import { importOldQuestions } from './questions/import.ts';
import { questionsReducer, type QuestionsLog } from './questions/rules.ts';
import { createMemoryEphemeral, createRedisEphemeral, type Ephemeral } from './log/ephemeral.ts';
import { createEventLogs, domainLog, type EventLogs } from './log/event-logs.ts';
import { reducers } from './reducers.ts';
import { createMemoryLog } from './log/memory-log.ts';
import { createRedisLog } from './log/redis-log.ts';
import type { LogBackend } from './log/types.ts';
import { createReportDomain } from './report/domain.ts';
import { importOldReports } from './report/import.ts';
import { createKeys, type Keys } from './store/keys.ts';
import { createTranslationDomain } from './translate/domain.ts';
import { openTranslation, type TranslateSettings, type TranslationEngine } from './translate/engine.ts';
import { importOldLiveStates } from './live/import.ts';
import { importOldRecords } from './events/import.ts';
import { forgetAudience } from './live/audience.ts';
import { connectionsHealthy, openStoreClient } from './store/redis.ts';
import { createStore } from './store/store.ts';
import type { Store } from './store/types.ts';

export type BackendConfig = ({ kind: 'memory'; dataDir?: string } | { kind: 'redis'; url: string; prefix: string }) & {
  /**
   * Machine translation (server/translate): TRANSLATE_URL, TRANSLATE_ENGINE, APERTIUM_DIR. Absent:
   * a server at `translateUrl` when given, else none (main.ts passes the environment's, whose
   * default is Apertium on the box when installed).
   */
  translate?: TranslateSettings;
  /** A LibreTranslate or APY server (TRANSLATE_URL), when `translate` is absent. */
  translateUrl?: string;
  /** Slides: renderer limits, cache size, when replaced decks are deleted. */
  slides?: SlidesOptions;
  /** The debate floor: how long a device may be gone before its request leaves (FLOOR_LEAVE_MS). */
  floor?: FloorOptions;
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
  domains: DomainPlug[];
  /** The box's machine translation, shared by the domains (null: none). */
  translation?: TranslationEngine | null;
  /** The domains' shared stores (absent on a live store alone, as some tests run). */
  stores?: SharedStores;
  close(): Promise<void>;
}

/**
 * What more than one domain reads (the report reads the questions). The captions, polls and report
 * domains need no entry here: they read each other's states from the event logs (`logs`).
 */
export interface SharedStores {
  questions: QuestionsLog;
}

/** Data older versions stored outside the log, carried into it at open (each domain's importer). */
const importers: ((ctx: BackendContext, logs: EventLogs) => Promise<unknown>)[] = [
  importOldLiveStates,
  importOldRecords,
  importOldDecks,
  importOldReports,
  importOldCaptions,
  importOldQuestions,
];

/** What the domains' factories share beyond their stores. */
export interface SharedServices extends SharedStores {
  translation: TranslationEngine | null;
  logs: EventLogs;
}

/** The importers' generation: a prefix marked with an older one (or a date: the first) runs them again. */
const IMPORTERS_VERSION = 'records+decks';

/**
 * Runs the importers; on Redis only until they all succeeded once on this prefix (a marker key):
 * they SCAN the keyspace, which a Redis shared by many deployments makes slow at every start.
 */
async function importOnce(ctx: BackendContext, logs: EventLogs) {
  if (ctx.kind === 'redis' && (await ctx.redis.get(ctx.keys.imported())) === IMPORTERS_VERSION) return;
  for (const run of importers) await run(ctx, logs);
  if (ctx.kind === 'redis') await ctx.redis.set(ctx.keys.imported(), IMPORTERS_VERSION);
}

type DomainFactory = (
  ctx: BackendContext,
  store: Store,
  config: BackendConfig,
  shared: SharedServices,
  ephemeral: Ephemeral,
) => DomainPlug | Promise<DomainPlug>;

/** Each domain's factory; a domain added to Tribune adds its line here. */
const domainFactories: DomainFactory[] = [
  (_ctx, store, _config, shared, ephemeral) => createCaptionsDomain(store, { logs: shared.logs, ephemeral, translation: shared.translation }),
  (ctx, store, config) => createSlidesDomain(ctx, store, config.slides),
  (_ctx, store, _config, shared, ephemeral) => createQuestionsDomain(store, shared.questions, ephemeral, { translation: shared.translation }),
  (_ctx, store, _config, shared, ephemeral) => createPollsDomain(shared.logs, ephemeral, { translation: shared.translation, live: store }),
  (_ctx, _store, _config, shared) => createTranslationDomain(shared.translation),
  (_ctx, store, _config, shared) =>
    createReportDomain(store, {
      questions: shared.questions,
      logs: shared.logs,
      translation: shared.translation,
    }),
  (_ctx, store, config, _shared, ephemeral) => createFloorDomain(store, ephemeral, config.floor),
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
  const store = createStore(logs, ephemeral, ctx.kind === 'redis' ? () => connectionsHealthy([ctx.redis]) : undefined);
  await importOnce(ctx, logs);
  if (ctx.kind === 'memory') await forgetAudience(store);
  const shared: SharedStores = {
    questions: domainLog(logs, questionsReducer),
  };
  const translation = openTranslation(
    config.translate ?? { url: config.translateUrl ?? null, engine: config.translateUrl ? 'auto' : 'none' },
  );
  const services: SharedServices = { ...shared, translation, logs };
  const domains: DomainPlug[] = [];
  /** Every domain this backend made, those an app built from its context included (it closes them). */
  const made: Domain[] = [];
  const keep = (domain: Domain) => {
    made.push(domain);
    return domain;
  };
  for (const make of domainFactories) {
    const plug = await make(ctx, store, config, services, ephemeral);
    domains.push(typeof plug === 'function' ? (app: DomainContext) => keep(plug(app)) : keep(plug));
  }
  return {
    store,
    logs,
    ephemeral,
    domains,
    stores: shared,
    translation,
    async close() {
      for (const d of made) await d.close?.();
      await translation?.close();
      await logs.close();
      await store.close();
      if (redis) await redis.quit().catch(() => redis!.disconnect());
    },
  };
}
