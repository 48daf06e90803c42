/** The slides domain's part of the wire contract (PROTOCOL.md). */
import type { Role } from './schemas.ts';

export const slideCommands = {} as const;
export const slideCommandRoles: Record<keyof typeof slideCommands, readonly Role[]> = {};

/** Server → client events of this domain. */
export interface SlideServerEvents {}
