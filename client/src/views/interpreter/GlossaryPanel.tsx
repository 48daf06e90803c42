/** The event's glossary beside the input: every interpreter spells names the same way. */
import { useState } from 'react';
import { useT } from '../../i18n/index.ts';
import { useCaptions } from '../../store/captions.ts';

export function GlossaryPanel({ onPick }: { onPick(term: string): void }) {
  const t = useT();
  const glossary = useCaptions((s) => s.glossary);
  const [filter, setFilter] = useState('');
  const entries = glossary?.entries ?? [];
  const q = filter.trim().toLocaleLowerCase();
  const shown = q
    ? entries.filter((e) => e.term.toLocaleLowerCase().includes(q) || e.note.toLocaleLowerCase().includes(q))
    : entries;
  return (
    <aside className="int-glossary surface-box" aria-labelledby="int-glossary-h" data-testid="glossary">
      <h2 id="int-glossary-h" className="int-h">
        {t('glossary.title')}
      </h2>
      {entries.length > 6 && (
        <input
          className="input"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={t('glossary.filter')}
          aria-label={t('glossary.filter')}
        />
      )}
      {entries.length === 0 ? (
        <p className="int-glossary-empty">{t('glossary.empty')}</p>
      ) : (
        <ul className="int-glossary-list">
          {shown.map((e) => (
            <li key={e.term}>
              <button
                type="button"
                className="int-term"
                onClick={() => onPick(e.term)}
                title={t('glossary.insert')}
                aria-label={`${e.term}${e.note ? ` — ${e.note}` : ''}. ${t('glossary.insert')}`}
              >
                <bdi dir="auto" className="int-term-word">
                  {e.term}
                </bdi>
                {e.note && (
                  <span className="int-term-note" dir="auto">
                    {e.note}
                  </span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
