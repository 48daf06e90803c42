/**
 * Right after creating an event: upload each speaker's deck (the same control as on the tablet),
 * with the moderator's key that was just issued. Decks can also be uploaded later from the tablet.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DeckList } from '../../../../shared/deck.ts';
import { DeckUpload } from '../../components/DeckUpload.tsx';
import { t as translate, useT } from '../../i18n/index.ts';
import { fetchDeckList } from '../../net/deck.ts';
import { explain } from '../../lib/explain.ts';
import { Problem } from './Problem.tsx';

const label = (i: DeckList['items'][number]) => [i.speaker || i.delegation, i.title].filter(Boolean).join(' — ') || i.id;

export function DecksSection({ eventId, token }: { eventId: string; token: string }) {
  const [items, setItems] = useState<DeckList['items'] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const t = useT();
  const load = useCallback(async () => {
    const r = await fetchDeckList(eventId, token);
    if (r.ok) {
      setItems(r.data.items);
      setProblem(null);
    } else setProblem(translate('admin.decksFailed', { message: explain(r.error) }));
  }, [eventId, token]);
  useEffect(() => void load(), [load]);

  return (
    <section className="created-decks" aria-labelledby="decks-h" data-testid="admin-decks">
      <h3 id="decks-h" className="link-row-label">
        {t('admin.decks')}
      </h3>
      <p className="field-help">{t('admin.decksHelp')}</p>
      <Problem text={problem} onRetry={() => void load()} />
      {items && (
        <ul className="created-decks-list">
          {items.map((item) => (
            <li key={item.id}>
              <p className="created-decks-who">
                <bdi dir="auto">{item.speaker || item.delegation || item.title || item.id}</bdi>
                {(item.speaker || item.delegation) && item.title && (
                  <>
                    {' — '}
                    <bdi dir="auto">{item.title}</bdi>
                  </>
                )}
              </p>
              <DeckUpload eventId={eventId} token={token} itemId={item.id} itemLabel={label(item)} pageCount={item.slides.pageCount} onUploaded={() => void load()} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
