/** Display helpers over the running order. Pure. */
import { upcomingPlanned } from '../../../shared/agenda.ts';
import type { LiveState, Phase } from '../../../shared/schemas.ts';
import { t, useT } from '../i18n/index.ts';

/**
 * The planned items after the one on stage (or from the start when nothing is), at most `count`; the
 * first is the one the moderator's Next puts on stage. The server's own rule (`agenda:next`), from
 * shared/agenda.ts; bound here rather than re-exported, so that it travels in this module's chunk (a
 * re-export would give its few bytes a chunk of their own: one request more on a phone).
 */
export const upcoming = upcomingPlanned;

/**
 * The slide number worth showing beside the speaker, or null. Every item goes on stage at page 1,
 * so for a speaker with no deck "slide 1" says nothing; once a deck exists, or the moderator moved
 * the page on purpose (a speaker with slides of their own), the number means something.
 */
export function shownSlidePage(live: Pick<LiveState, 'agenda' | 'stage'> | null | undefined): number | null {
  const slide = live?.stage.slide;
  if (!slide) return null;
  const deck = live.agenda.find((i) => i.id === slide.itemId)?.slides.pageCount ?? 0;
  return deck > 0 || slide.page > 1 ? slide.page : null;
}

/** The phase names in the interface's language. */
export function usePhaseLabel(): Record<Phase, string> {
  const tr = useT();
  return {
    waiting: tr('phase.waiting'),
    speaking: tr('phase.speaking'),
    qa: tr('phase.qa'),
    break: tr('phase.break'),
    ended: tr('phase.ended'),
  };
}

/** "09:42" for a spoken duration; minutes may pass 60 ("75:10") since interventions are short. */
export function mmss(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** "10 min", "7½ min" style for planned times. */
export function plannedLabel(seconds: number): string {
  if (seconds % 60 === 0) return t('common.minutes', { n: seconds / 60 });
  return mmss(seconds * 1000);
}
