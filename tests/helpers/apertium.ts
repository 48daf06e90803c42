/** Debian's Apertium with the pairs the tests use; without it those suites are skipped, except under CI. */
import { findApertiumData, installedPairs, onPath } from '../../server/translate/apertium.ts';

export const APERTIUM_PAIRS = ['fr>es', 'es>fr', 'es>it', 'es>pt', 'es>en', 'en>es'];
export const apertiumDir = onPath('apertium') ? findApertiumData() : null;
const pairs = apertiumDir ? installedPairs(apertiumDir) : new Map();
export const apertiumAvailable = apertiumDir !== null && APERTIUM_PAIRS.every((p) => pairs.has(p));

if (!apertiumAvailable) {
  const message = `apertium or its pairs not found: translation tests ${process.env.CI ? 'cannot run' : 'are skipped'} (apt-get install apertium apertium-fr-es apertium-eng-spa apertium-spa-ita apertium-es-pt)`;
  if (process.env.CI) throw new Error(message);
  console.warn(message);
}
