/**
 * Client → server commands: payload schemas and the roles allowed to send them. The live core's
 * are here; each domain (captions, questions, slides) declares its own in its shared/ file.
 */
import { z } from 'zod';
import { AgendaItemInput, CaptionSeq, Id, LangTag, LIMITS, Phases, ProjectorModes, type Role } from './schemas.ts';
import { captionCommandRoles, captionCommands } from './captions.ts';
import { pollCommandRoles, pollCommands } from './polls.ts';
import { questionCommandRoles, questionCommands } from './questions.ts';
import { slideCommandRoles, slideCommands } from './slides.ts';
import { floorCommandRoles, floorCommands } from './floor.ts';

/** The live core's commands: the moderator drives the stage; anyone picks a language. */
export const liveCommands = {
  'agenda:go': z.object({ itemId: Id }),
  'agenda:next': z.object({}),
  'agenda:update': z.object({ items: z.array(AgendaItemInput).min(1).max(LIMITS.agendaItems) }),
  'timer:start': z.object({}),
  'timer:pause': z.object({}),
  'timer:reset': z.object({}),
  'timer:extend': z.object({
    seconds: z.number().int().min(-LIMITS.extendSeconds).max(LIMITS.extendSeconds),
  }),
  'slide:goto': z.object({ page: z.number().int().min(1).max(LIMITS.pageMax) }),
  'slide:next': z.object({}),
  'slide:prev': z.object({}),
  'phase:set': z.object({ phase: z.enum(Phases) }),
  /** `pollId` (polls): the poll that `poll` mode shows. */
  'projector:show': z.object({ mode: z.enum(ProjectorModes), questionId: z.string().max(64).optional(), pollId: z.string().max(64).optional() }),
  /** `after` (caption resume): the highest final seq the client holds in `lang`. */
  'lang:set': z.object({ lang: LangTag, after: CaptionSeq.optional() }),
} as const;

/** Which roles may send each command. Checked before the payload is parsed. */
export const liveCommandRoles: Record<keyof typeof liveCommands, readonly Role[]> = {
  'agenda:go': ['moderator'],
  'agenda:next': ['moderator'],
  'agenda:update': ['moderator'],
  'timer:start': ['moderator'],
  'timer:pause': ['moderator'],
  'timer:reset': ['moderator'],
  'timer:extend': ['moderator'],
  'slide:goto': ['moderator'],
  'slide:next': ['moderator'],
  'slide:prev': ['moderator'],
  'phase:set': ['moderator'],
  'projector:show': ['moderator'],
  'lang:set': ['attendee', 'moderator', 'projector'],
};


export const Commands = { ...liveCommands, ...captionCommands, ...questionCommands, ...slideCommands, ...pollCommands, ...floorCommands };
export type CommandName = keyof typeof Commands;
export type CommandPayload<C extends CommandName> = z.infer<(typeof Commands)[C]>;
export type CommandInput<C extends CommandName> = z.input<(typeof Commands)[C]>;

/** Which roles may send each command. Checked before the payload is parsed. */
export const CommandRoles: Record<CommandName, readonly Role[]> = {
  ...liveCommandRoles,
  ...captionCommandRoles,
  ...questionCommandRoles,
  ...slideCommandRoles,
  ...pollCommandRoles,
  ...floorCommandRoles,
};
