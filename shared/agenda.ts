/**
 * The running order's "what comes next" rule, written once: the server puts `nextPlanned` on stage
 * for `agenda:next` (transitions.ts), and the screens show the same item as "Next" (and the projector
 * the few after it). Pure, with type-only imports: a phone's bundle takes it without zod or the schemas.
 */
import type { AgendaItem, LiveState } from './schemas.ts';

/**
 * The planned items after the one on stage, in running order, at most `count`; from the start of
 * the running order when nothing is on stage (or the item on stage is no longer in it).
 */
export function upcomingPlanned(agenda: readonly AgendaItem[], stageItemId: string | null, count: number): AgendaItem[] {
  const at = stageItemId === null ? -1 : agenda.findIndex((i) => i.id === stageItemId);
  return agenda.slice(at + 1).filter((i) => i.status === 'planned').slice(0, count);
}

/** The item `agenda:next` puts on stage: the first planned one after the one on stage. */
export function nextPlanned(state: Pick<LiveState, 'agenda' | 'stage'>): AgendaItem | undefined {
  return upcomingPlanned(state.agenda, state.stage.itemId, 1)[0];
}
