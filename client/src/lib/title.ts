import { useEffect } from 'react';

/** Sets `document.title` for the screen ("Moderator · Dîner-débat · Tribune"). */
export function useDocumentTitle(...parts: (string | null | undefined)[]): void {
  const title = [...parts.filter(Boolean), 'Tribune'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
