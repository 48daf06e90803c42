import { useId, type ReactNode } from 'react';

/** A section of the report with its heading. */
export function Section({ title, testId, className, children }: { title: string; testId: string; className?: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className={`rp-section${className ? ` ${className}` : ''}`} aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="rp-h2">
        {title}
      </h2>
      {children}
    </section>
  );
}
