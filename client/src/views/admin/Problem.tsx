/** A failed read on the admin page: what went wrong, and a button to try again. */
import { useT } from '../../i18n/index.ts';

export function Problem({ text, onRetry }: { text: string | null; onRetry(): void }) {
  const t = useT();
  if (!text) return null;
  return (
    <p className="field-error" role="alert">
      {text}{' '}
      <button type="button" className="btn-link" onClick={onRetry}>
        {t('common.tryAgain')}
      </button>
    </p>
  );
}
