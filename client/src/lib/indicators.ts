/** The evaluation grid's indicators in the interface's language (custom ones keep their label). */
import type { Indicator } from '../../../shared/schemas.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';

const KEYS: Partial<Record<string, MessageKey>> = {
  relevance: 'ind.relevance',
  atmosphere: 'ind.atmosphere',
  smoothRunning: 'ind.smoothRunning',
};

export function indicatorLabel(t: Translate, indicator: Pick<Indicator, 'id' | 'label'>): string {
  const key = KEYS[indicator.id];
  return key ? t(key) : indicator.label;
}
