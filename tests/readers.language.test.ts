/**
 * The interface language is the reader's (client/src/lib/readerLanguage.ts): their choice on this
 * device, else the first of their browser's languages the interface has, else English; never the
 * caption language (that choice takes no caption language at all).
 */
import { describe, expect, it } from 'vitest';
import { chooseUiLanguage } from '../client/src/lib/readerLanguage.ts';

describe('chooseUiLanguage', () => {
  it('takes the first browser language the interface has', () => {
    expect(chooseUiLanguage(null, ['ar-EG', 'en-US'])).toBe('ar');
    expect(chooseUiLanguage(null, ['es-MX', 'en'])).toBe('es');
    expect(chooseUiLanguage(null, ['ja-JP', 'ko', 'pt-BR', 'fr'])).toBe('pt');
    expect(chooseUiLanguage(null, ['HE'])).toBe('he');
  });

  it('falls back to English when none of the eight matches, or nothing is known', () => {
    expect(chooseUiLanguage(null, ['ja-JP', 'zh-Hans', 'ru'])).toBe('en');
    expect(chooseUiLanguage(null, [])).toBe('en');
    expect(chooseUiLanguage(undefined, [undefined, null, ''])).toBe('en');
  });

  it('prefers what the reader chose on this device', () => {
    expect(chooseUiLanguage('he', ['fr-FR'])).toBe('he');
    expect(chooseUiLanguage('en', ['ar'])).toBe('en');
  });

  it('ignores a remembered value that is not an interface language', () => {
    expect(chooseUiLanguage('ja', ['de-AT'])).toBe('de');
    expect(chooseUiLanguage({ lang: 'fr' }, ['it'])).toBe('it');
    expect(chooseUiLanguage('fr-FR', ['it'])).toBe('it');
  });
});
