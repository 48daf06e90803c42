/** Poppler (Debian's poppler-utils) renders decks; without it slides suites are skipped, except under CI. */
import { findExecutable } from '../../server/slides/tools.ts';

export const popplerAvailable = findExecutable('pdftoppm') !== null && findExecutable('pdfinfo') !== null;

if (!popplerAvailable) {
  const message = `pdftoppm/pdfinfo not found: slides tests ${process.env.CI ? 'cannot run' : 'are skipped'} (apt-get install poppler-utils)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}
