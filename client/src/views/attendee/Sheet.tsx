/** A phone sheet: a heading that takes the focus, a Close button, the content. */
import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../../i18n/index.ts';

export function Sheet(props: {
  title: string;
  onClose(): void;
  headingId: string;
  className?: string;
  /** False: the content takes the focus itself (Ask focuses its text box). */
  focusHeading?: boolean;
  /** The heading takes the focus again when this changes (else only when the sheet opens). */
  focusKey?: string;
  children: ReactNode;
}) {
  const { title, onClose, headingId, className, focusHeading = true, focusKey, children } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
  }, [focusKey, focusHeading]);
  const t = useT();
  return (
    <section className={className ? `sheet ${className}` : 'sheet'} aria-labelledby={headingId}>
      <div className="sheet-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {children}
    </section>
  );
}
