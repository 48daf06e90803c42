/**
 * The moderator's segmented choices: a labelled group of toggle buttons, the chosen one pressed
 * and ticked ("✓ ", hidden from screen readers: aria-pressed says it), the one in flight pending.
 */
import type { ButtonHTMLAttributes, ReactNode } from 'react';

export function SegGroup({
  id,
  heading,
  level = 2,
  after,
  children,
}: {
  id: string;
  heading: ReactNode;
  level?: 2 | 3;
  /** Under the buttons (a hint why one is disabled). */
  after?: ReactNode;
  children: ReactNode;
}) {
  const H = level === 3 ? 'h3' : 'h2';
  return (
    <div className="mod-group">
      <H className="mod-h" id={id}>
        {heading}
      </H>
      <div className="mod-row mod-seg" role="group" aria-labelledby={id}>
        {children}
      </div>
      {after}
    </div>
  );
}

type SegButtonProps = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'className' | 'aria-pressed'> & {
  pressed: boolean;
  pending?: boolean;
  /** Extra data-* attributes pass through (data-testid). */
  [data: `data-${string}`]: string | undefined;
};

export function SegButton({ pressed, pending = false, children, ...rest }: SegButtonProps) {
  return (
    <button type="button" className={`btn mod-seg-btn${pending ? ' is-pending' : ''}`} aria-pressed={pressed} {...rest}>
      {pressed && <span aria-hidden="true">✓ </span>}
      {children}
    </button>
  );
}
