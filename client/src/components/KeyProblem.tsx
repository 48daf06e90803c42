/** A secret link that does not open its screen: say why in plain words. */
import { useT } from '../i18n/index.ts';
import { useDocumentTitle } from '../lib/title.ts';

const roleWords = { moderator: 'role.moderator', projector: 'role.projector', interpreter: 'role.interpreter', report: 'role.report' } as const;

export function KeyProblem({ code, role }: { code: string | null; role: keyof typeof roleWords }) {
  const t = useT();
  useDocumentTitle(t('key.title'));
  const text =
    code === 'NOT_FOUND'
      ? { h: t('key.noEvent'), p: t('key.noEventText') }
      : code === 'AUTH_FAILED'
        ? { h: t('key.badKey'), p: t('key.badKeyText', { role: t(roleWords[role]) }) }
        : { h: t('key.cannot'), p: t('key.cannotText', { code: code ?? t('key.unknownReason') }) };
  return (
    <main className="page-message" role="alert" data-testid="key-problem" data-code={code ?? ''}>
      <h1>{text.h}</h1>
      <p>{text.p}</p>
    </main>
  );
}
