/** The questions domain's part of the wire contract (PROTOCOL.md). */
import type { Role } from './schemas.ts';

export const questionCommands = {} as const;
export const questionCommandRoles: Record<keyof typeof questionCommands, readonly Role[]> = {};

/** Server → client events of this domain. */
export interface QuestionServerEvents {}
