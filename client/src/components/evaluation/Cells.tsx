/** Pieces the evaluation's tables share: the header row and the "who" cell of a row. */
import { usePageDir, whoClass } from '../who.ts';

/** A table's header row: one column header per entry. */
export function Head({ cols }: { cols: string[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c, i) => (
          <th key={i} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/**
 * The row header: a speaker (or delegation) with the delegation beside it, and the intervention's
 * title under them when given. Each piece is user text in its own direction.
 */
export function WhoCell({ who, sub, title }: { who: string; sub: string; title?: string }) {
  const page = usePageDir();
  return (
    <th scope="row">
      <span className={whoClass(page, who, sub)}>
        <span>
          <bdi dir="auto">{who}</bdi>
          {sub && ' · '}
        </span>
        {sub && (
          <small>
            <bdi dir="auto">{sub}</bdi>
          </small>
        )}
      </span>
      {title && (
        <span className="ev-title" dir="auto">
          {title}
        </span>
      )}
    </th>
  );
}

/** "Aix speaker" + "Aix-en-Provence": who a running-order item is, by what it has. */
export function whoOf(item: { speaker: string; delegation: string; title: string }): { who: string; sub: string } {
  return { who: item.speaker || item.delegation || item.title, sub: item.speaker ? item.delegation : '' };
}
