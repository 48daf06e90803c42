/**
 * The end of a paged list of questions: a "Show more" button (reachable by keyboard, and what a
 * screen reader announces) that also loads the next page by itself when it scrolls into view, so
 * a guest scrolling the list never has to tap it. After a refused page it waits for a tap.
 */
import { useEffect, useRef } from 'react';
import { useT } from '../i18n/index.ts';
import { loadMore, useQuestions, type PagedList } from '../store/questions.ts';

export function MoreQuestions({ list, className = '' }: { list: PagedList; className?: string }) {
  const t = useT();
  const pager = useQuestions((s) => s.pagers[list]);
  const ref = useRef<HTMLButtonElement>(null);
  // Off while a page loads: the observer made after it reports at once whether the end is still
  // in view (a tall screen loads a second page by itself). Off after a refusal, until a tap.
  const auto = !!pager && !pager.done && !pager.loading && !pager.failed;

  useEffect(() => {
    const el = ref.current;
    if (!el || !auto || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore(list);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [auto, list]);

  if (!pager || pager.done) return null;
  return (
    <button
      ref={ref}
      type="button"
      className={`btn btn-block more-questions ${className}`}
      aria-busy={pager.loading || undefined}
      onClick={() => void loadMore(list)}
      data-testid={`more-${list}`}
    >
      {pager.loading ? t('q.loadingMore') : t('q.showMore')}
    </button>
  );
}
