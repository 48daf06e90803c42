/**
 * The slides domain's part of the wire contract (PROTOCOL.md `PUT …/deck`, `slides` in `state`,
 * `slide:*`, and this project's extensions in docs/PROTOCOL.md's last section). Limits and HTTP
 * answer types without zod are in shared/deck.ts (the phone bundle imports those).
 */
import { z } from 'zod';
import type { LiveState, Role } from './schemas.ts';

export const slideCommands = {
  /** Shows or hides the speaker-and-timer overlay of the projector's `slide` mode. */
  'projector:overlay': z.object({ visible: z.boolean() }),
} as const;

export const slideCommandRoles: Record<keyof typeof slideCommands, readonly Role[]> = {
  'projector:overlay': ['moderator'],
};

/** `projector:overlay`: stored as `projector.overlay` in `state` (absent means shown). */
export function setProjectorOverlay(state: LiveState, visible: boolean): LiveState {
  if ((state.projector.overlay ?? true) === visible) return state;
  return { ...state, projector: { ...state.projector, overlay: visible } };
}

/** Server → client events of this domain: none (slides travel in `state`). */
export interface SlideServerEvents {}
