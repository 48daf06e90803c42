/**
 * The wire contract as zod schemas (PROTOCOL.md). Types come from `z.infer`, never hand-written twins.
 * Client code imports these types with `import type` so zod stays out of the phone bundle.
 */
import { z } from 'zod';
import { Floor } from './floor.ts';

export const LIMITS = {
  titleChars: 200,
  themeChars: 300,
  languages: 12,
  tables: 100,
  agendaItems: 200,
  nameChars: 120,
  plannedSecondsMax: 6 * 3600,
  extendSeconds: 600,
  pageMax: 10_000,
  /** Socket.IO frame cap (`maxHttpBufferSize`): well under 1 MB. */
  frameBytes: 256 * 1024,
  /** JSON bodies on HTTP (event setup with 200 items fits easily). */
  httpJsonBytes: 256 * 1024,
} as const;

export const Phases = ['waiting', 'speaking', 'qa', 'break', 'ended'] as const;
export const ProjectorModes = ['queue', 'slide', 'question', 'captions', 'join', 'poll', 'floor'] as const;
export const ItemStatuses = ['planned', 'live', 'done'] as const;
export const Roles = ['attendee', 'moderator', 'projector', 'interpreter'] as const;

const trimmed = (max: number) => z.string().trim().max(max);
const nonEmpty = (max: number) => z.string().trim().min(1).max(max);

/** BCP-47 primary language tag ("fr", "he", "ast"); normalised to lower case. */
export const LangTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, 'a 2–3 letter language tag such as "fr"')
  .transform((s) => s.toLowerCase());

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, '1–40 letters, digits, "_" or "-"');
export const DeviceId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 letters, digits, "_" or "-"');

export const TableSchema = z.object({
  id: Id,
  name: nonEmpty(LIMITS.nameChars),
  city: trimmed(LIMITS.nameChars).optional(),
});

export const AgendaItemInput = z.object({
  id: Id.optional(),
  speaker: trimmed(LIMITS.nameChars).default(''),
  delegation: trimmed(LIMITS.nameChars).default(''),
  title: trimmed(LIMITS.titleChars).default(''),
  language: LangTag.optional(),
  plannedSeconds: z.number().int().min(0).max(LIMITS.plannedSecondsMax).default(600),
});

export const EventSetup = z
  .object({
    title: nonEmpty(LIMITS.titleChars),
    theme: trimmed(LIMITS.themeChars).optional(),
    languages: z.array(LangTag).min(1).max(LIMITS.languages),
    moderation: z.enum(['pre', 'post']).default('pre'),
    tables: z.array(TableSchema).max(LIMITS.tables).default([]),
    agenda: z.array(AgendaItemInput).min(1).max(LIMITS.agendaItems),
  })
  .superRefine((setup, ctx) => {
    if (new Set(setup.languages).size !== setup.languages.length)
      ctx.addIssue({ code: 'custom', path: ['languages'], message: 'languages must be unique' });
    if (new Set(setup.tables.map((t) => t.id)).size !== setup.tables.length)
      ctx.addIssue({ code: 'custom', path: ['tables'], message: 'table ids must be unique' });
    const ids = setup.agenda.flatMap((i) => (i.id ? [i.id] : []));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['agenda'], message: 'item ids must be unique' });
  });
export type EventSetup = z.infer<typeof EventSetup>;
export type EventSetupInput = z.input<typeof EventSetup>;
export type AgendaItemInput = z.input<typeof AgendaItemInput>;

export const Indicator = z.object({
  id: z.string(),
  label: z.string(),
  scope: z.enum(['item', 'event']),
});
export type Indicator = z.infer<typeof Indicator>;

export const PublicEvent = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  theme: z.string().optional(),
  languages: z.array(z.string()),
  moderation: z.enum(['pre', 'post']),
  tables: z.array(TableSchema),
  indicators: z.array(Indicator),
});
export type PublicEvent = z.infer<typeof PublicEvent>;

export const Slides = z.object({ pageCount: z.number().int(), base: z.string().nullable() });

export const AgendaItem = z.object({
  id: z.string(),
  speaker: z.string(),
  delegation: z.string(),
  title: z.string(),
  language: z.string(),
  plannedSeconds: z.number(),
  status: z.enum(ItemStatuses),
  spokenMs: z.number(),
  slides: Slides,
  /** Extension (report): ms epoch of the first time the item went live; absent or null: never. */
  startedAt: z.number().nullable().optional(),
});
export type AgendaItem = z.infer<typeof AgendaItem>;

export const Timer = z.object({
  running: z.boolean(),
  startedAt: z.number().nullable(),
  accumulatedMs: z.number(),
  plannedMs: z.number(),
});
export type Timer = z.infer<typeof Timer>;

export const Stage = z.object({
  itemId: z.string().nullable(),
  phase: z.enum(Phases),
  slide: z.object({ itemId: z.string(), page: z.number().int() }).nullable(),
  timer: Timer,
});
export type Stage = z.infer<typeof Stage>;
export type Phase = (typeof Phases)[number];
export type ProjectorMode = (typeof ProjectorModes)[number];
export type Role = (typeof Roles)[number];

export const Audience = z.object({
  connected: z.number().int(),
  byTable: z.record(z.string(), z.number().int()),
});
export type Audience = z.infer<typeof Audience>;

/** One interpretation audio channel in `state.audio` (PROTOCOL "Interpretation audio"). */
export const AudioChannel = z.object({
  /** A publisher session is open on the channel. */
  onAir: z.boolean(),
  /** WHEP sessions, from their 201 until DELETE or connection failure, over every process. */
  listeners: z.number().int(),
});
export type AudioChannel = z.infer<typeof AudioChannel>;

/** Everything in `state` but `serverTime`: what the store keeps. */
export const LiveState = z.object({
  rev: z.number().int(),
  event: PublicEvent,
  agenda: z.array(AgendaItem),
  stage: Stage,
  projector: z.object({
    mode: z.enum(ProjectorModes),
    questionId: z.string().nullable(),
    /** Extension (polls): the poll `poll` mode shows; absent or null in any other mode. */
    pollId: z.string().nullable().optional(),
    /** Extension (slides): the speaker-and-timer overlay of `slide` mode; absent means shown. */
    overlay: z.boolean().optional(),
  }),
  audience: Audience,
  /**
   * The debate floor (shared/floor.ts). Always in `state`: the live rules add a closed, empty one to
   * events stored before it existed (optional here for the states those stored).
   */
  floor: Floor.optional(),
  /** Interpretation audio: `{ "<channel>": { onAir, listeners } }` for every channel of the event. */
  audio: z.record(z.string(), AudioChannel),
});
export type LiveState = z.infer<typeof LiveState>;

export const PublicState = LiveState.extend({ serverTime: z.number() });
export type PublicState = z.infer<typeof PublicState>;

/** Socket.IO handshake `auth`. */
/** A hint that may be anything: a short string is kept, anything else is as if absent. */
const hint = (max: number) => z.unknown().transform((v) => (typeof v === 'string' && v.length <= max ? v : undefined));

/** A caption `seq` a client holds: a non-negative integer. */
export const CaptionSeq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Caption resume: per language (a lower-case tag), the highest seq of a final the client holds. */
const CaptionsAfter = z.record(z.string().regex(/^[a-z]{2,3}$/), CaptionSeq);
/** No more languages than an event has (counted before anything is parsed). */
const fewKeys = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length <= LIMITS.languages;

/**
 * The handshake's `auth`. Only `deviceId` and the presence of `code` or `eventId` can make it
 * INVALID_PAYLOAD (PROTOCOL): an event name of any shape that names no event is NOT_FOUND, a
 * token of any length that matches nothing AUTH_FAILED, an unusable `lang` falls back to the
 * floor language and an unusable `table` is ignored. Strings are bounded (a frame is anyway).
 * `captionsAfter` is a hint too: malformed as a whole (not an object of ≤ 12 lower-case language tags
 * to non-negative integers), it is as if absent, and the client gets the item on stage's history.
 */
export const HandshakeAuth = z
  .object({
    code: z.string().trim().min(1).max(200).optional(),
    eventId: z.string().min(1).max(200).optional(),
    token: z.string().max(1000).optional(),
    deviceId: DeviceId,
    lang: hint(20).optional(),
    table: hint(40).optional(),
    /** Extension: the proof the server gave this device (`device` event); a wrong one is ignored. */
    deviceProof: hint(64).optional(),
    captionsAfter: z
      .unknown()
      .transform((v) => {
        const parsed = fewKeys(v) ? CaptionsAfter.safeParse(v) : null;
        return parsed?.success ? parsed.data : undefined;
      })
      .optional(),
  })
  .refine((a) => a.code || a.eventId, { message: 'code or eventId is required' });
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

export const DEFAULT_INDICATORS: Indicator[] = [
  { id: 'relevance', label: 'Relevance of the intervention', scope: 'item' },
  { id: 'atmosphere', label: 'Atmosphere', scope: 'event' },
  { id: 'smoothRunning', label: 'Smooth running', scope: 'event' },
];

// Commands live in commands.ts (each domain adds its own); their types are re-exported here.
export type { CommandInput, CommandName, CommandPayload } from './commands.ts';

/** `GET /api/events` (admin): every event, newest first. */
export interface EventSummary {
  id: string;
  code: string;
  title: string;
  languages: string[];
  createdAt: number;
  /** Running-order items. */
  items: number;
  phase: Phase;
}
export interface EventList {
  events: EventSummary[];
}
