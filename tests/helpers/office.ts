/**
 * LibreOffice (Debian's libreoffice-impress) converts PowerPoint/OpenDocument decks; without it
 * the real-conversion test is skipped, except under CI.
 */
import { findExecutable } from '../../server/slides/tools.ts';

export const soffice = findExecutable(process.env.SOFFICE_PATH || 'soffice');

if (!soffice) {
  const message = `soffice not found: the LibreOffice conversion test ${process.env.CI ? 'cannot run' : 'is skipped'} (apt-get install --no-install-recommends libreoffice-impress)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}
