/** The captions domain's part of the wire contract (PROTOCOL.md). */
import type { Role } from './schemas.ts';

export const captionCommands = {} as const;
export const captionCommandRoles: Record<keyof typeof captionCommands, readonly Role[]> = {};

/** Server → client events of this domain. */
export interface CaptionServerEvents {}
