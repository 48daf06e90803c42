/** An unknown join code: say so plainly and offer the way back. */
import { useEffect } from 'react';
import { setDocumentLanguage } from '../../lib/lang.ts';
import { useDocumentTitle } from '../../lib/title.ts';

export function UnknownCode({ code }: { code: string }) {
  useDocumentTitle('Unknown code');
  useEffect(() => setDocumentLanguage('en'), []);
  return (
    <main className="page-message" data-testid="unknown-code">
      <h1>No event with the code “{code}”</h1>
      <p>Check the code shown on the screen in the room and type it again.</p>
      <a className="btn btn-primary" href="/">
        Type another code
      </a>
    </main>
  );
}
