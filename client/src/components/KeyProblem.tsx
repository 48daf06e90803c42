/** A secret link that does not open its screen: say why in plain words. */
import { useDocumentTitle } from '../lib/title.ts';

const roleWords = { moderator: 'moderator', projector: 'projector', interpreter: 'interpreter' } as const;

export function KeyProblem({ code, role }: { code: string | null; role: keyof typeof roleWords }) {
  useDocumentTitle('Link problem');
  const text =
    code === 'NOT_FOUND'
      ? { h: 'This event does not exist', p: 'The link may be from an event that was removed, or it was copied incompletely.' }
      : code === 'AUTH_FAILED'
        ? {
            h: 'This link’s key is not valid',
            p: `Open the ${roleWords[role]} link exactly as it was given when the event was created (the part after “#k=” is the key).`,
          }
        : { h: 'This screen cannot connect', p: `The server refused the connection (${code ?? 'unknown reason'}).` };
  return (
    <main className="page-message" role="alert" data-testid="key-problem" data-code={code ?? ''}>
      <h1>{text.h}</h1>
      <p>{text.p}</p>
    </main>
  );
}
