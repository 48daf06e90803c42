/** An unknown join code: say so plainly and offer the way back. */
import { useEffect } from 'react';
import { useT } from '../../i18n/index.ts';
import { applyReaderUiLanguage } from '../../lib/readerLanguage.ts';
import { useDocumentTitle } from '../../lib/title.ts';

export function UnknownCode({ code }: { code: string }) {
  const t = useT();
  useDocumentTitle(t('att.unknownCode'));
  useEffect(() => void applyReaderUiLanguage(), []);
  return (
    <main className="page-message" data-testid="unknown-code">
      <h1>{t('att.noEventWithCode', { code })}</h1>
      <p>{t('att.checkCode')}</p>
      <a className="btn btn-primary" href="/">
        {t('common.typeAnotherCode')}
      </a>
    </main>
  );
}
