/**
 * The bottom bar's Ask / Questions / Rate buttons, on the phone's first screen. The sheets they open
 * (Questions.tsx, Rate.tsx) are a chunk of their own, loaded when a guest first opens one.
 */
import type { ReactNode } from 'react';
import { useT } from '../../i18n/index.ts';
import { useQuestions } from '../../store/questions.ts';
import { useStore } from '../../store/store.ts';

export type AudiencePanelName = 'ask' | 'questions' | 'rate';

/** Ask, Questions (with the live count), Rate: for the bottom bar. */
export function AudienceButtons({ open, onOpen }: { open: string; onOpen(panel: AudiencePanelName): void }) {
  const t = useT();
  const live = useQuestions((s) => Object.values(s.byId).filter((q) => q.status === 'live').length);
  // The phone holds the head of the list: "50+" while more may be on the server.
  const more = useQuestions((s) => s.pagers.public?.done === false);
  const waiting = useQuestions((s) => s.outbox.length);
  const ended = useStore((s) => s.live?.stage.phase === 'ended');
  const button = (name: AudiencePanelName, icon: ReactNode, label: string, badge?: ReactNode) => (
    <button
      type="button"
      className={`btn att-bar-btn aq-bar-btn${open === name ? ' is-open' : ''}${name === 'rate' && ended ? ' is-invited' : ''}`}
      onClick={() => onOpen(name)}
      aria-expanded={open === name}
      data-testid={`${name}-button`}
    >
      <span aria-hidden="true" className="aq-bar-icon">
        {icon}
      </span>
      <span>{label}</span>
      {badge}
    </button>
  );
  return (
    <>
      {button('ask', <AskIcon />, t('q.ask'), waiting > 0 ? <span className="aq-badge aq-badge-wait">{waiting}</span> : null)}
      {button(
        'questions',
        <BubblesIcon />,
        t('q.questions'),
        live > 0 ? (
          <span className="aq-badge" data-testid="live-count">
            {more ? t('q.atLeast', { n: live }) : live}
          </span>
        ) : null,
      )}
      {button('rate', '★', t('q.rate'))}
    </>
  );
}

/** A speech bubble with a plus (no icon font, no emoji: venue phones may lack them). */
function AskIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M4 5h16v11H9l-5 4z" />
      <path d="M12 8v5M9.5 10.5h5" />
    </svg>
  );
}

function BubblesIcon() {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M3 4h12v8H7l-4 3z" />
      <path d="M18 8h3v10l-3-2.5h-8V14" />
    </svg>
  );
}
