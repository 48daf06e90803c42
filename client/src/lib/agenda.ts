/** Display helpers over the running order. Pure; mirrors the server's `nextPlanned`. */
import type { AgendaItem, Phase } from '../../../shared/schemas.ts';
import { t, useT } from '../i18n/index.ts';

/** The planned items after the one on stage (or from the start when nothing is), in order. */
export function upcoming(agenda: readonly AgendaItem[], stageItemId: string | null, count: number): AgendaItem[] {
  const at = stageItemId === null ? -1 : agenda.findIndex((i) => i.id === stageItemId);
  return agenda.slice(at + 1).filter((i) => i.status === 'planned').slice(0, count);
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
