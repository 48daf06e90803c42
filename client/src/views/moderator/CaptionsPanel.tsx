/**
 * Captions on the moderator's tablet: who captions which language now (and how many phones follow
 * each), the projector's caption languages, and the event's glossary (shown to every interpreter).
 */
import { useEffect, useState } from 'react';
import { CAPTION_LIMITS } from '../../../../shared/caption-limits.ts';
import type { GlossaryEntry } from '../../../../shared/captions.ts';
import { useT, useUiLanguage } from '../../i18n/index.ts';
import { languageName } from '../../lib/lang.ts';
import { run } from '../../store/commands.ts';
import { useCaptions } from '../../store/captions.ts';
import { useStore } from '../../store/store.ts';
import { SegButton, SegGroup } from './SegGroup.tsx';

/** "Ashkelon = אשקלון" lines ⇄ entries. */
export function parseGlossary(text: string): GlossaryEntry[] {
  const seen = new Set<string>();
  const out: GlossaryEntry[] = [];
  for (const line of text.split('\n')) {
    const [term = '', ...rest] = line.split('=');
    const t = term.trim().slice(0, CAPTION_LIMITS.glossaryTermChars);
    if (!t || seen.has(t)) continue;
    seen.add(t);
    out.push({ term: t, note: rest.join('=').trim().slice(0, CAPTION_LIMITS.glossaryNoteChars) });
  }
  return out.slice(0, CAPTION_LIMITS.glossaryEntries);
}

export const glossaryText = (entries: readonly GlossaryEntry[]) =>
  entries.map((e) => (e.note ? `${e.term} = ${e.note}` : e.term)).join('\n');

export function CaptionsPanel() {
  const t = useT();
  const ui = useUiLanguage();
  const languages = useStore((s) => s.live?.event.languages ?? []);
  const status = useCaptions((s) => s.status);
  const audience = useCaptions((s) => s.audience);
  return (
    <section className="mod-card mod-captions" aria-labelledby="mod-captions-h">
      <h2 id="mod-captions-h" className="mod-h">
        {t('mod.captions')}
      </h2>
      <ul className="mod-cap-langs" aria-label={t('mod.whoCaptions')} data-testid="caption-coverage">
        {languages.map((l) => {
          const who = status?.human.includes(l) ? 'person' : status?.machine.includes(l) ? 'machine' : 'nobody';
          return (
            <li key={l} data-lang={l} data-who={who} className={`mod-cap-lang is-${who}`}>
              <strong>{languageName(l, ui)}</strong>{' '}
              <span>
                {who === 'person' ? `✓ ${t('mod.byPerson')}` : who === 'machine' ? `≈ ${t('mod.byMachine')}` : `— ${t('mod.notCaptioned')}`}
              </span>{' '}
              <small>· {t('mod.phonesIn', { n: audience?.phones[l] ?? 0 })}</small>
            </li>
          );
        })}
      </ul>
      <ProjectorLanguages languages={languages} />
      <GlossaryEditor />
    </section>
  );
}

function ProjectorLanguages({ languages }: { languages: string[] }) {
  const t = useT();
  const ui = useUiLanguage();
  const display = useCaptions((s) => s.display);
  const chosen = display?.langs ?? [];
  const toggle = (l: string) => {
    let next = chosen.includes(l) ? chosen.filter((x) => x !== l) : [...chosen, l];
    if (next.length > 2) next = next.slice(-2);
    if (next.length === 0) return;
    const names = next.map((l) => languageName(l, ui)).join(' + ');
    void run('captions-display', t('mod.captionLangsSet', { langs: names }), 'captions:display', { langs: next });
  };
  return (
    <SegGroup id="mod-cap-proj-h" heading={t('mod.captionLangs')} level={3}>
      {languages.map((l) => (
        <SegButton key={l} pressed={chosen.includes(l)} onClick={() => toggle(l)} data-testid={`caption-display-${l}`}>
          {languageName(l, ui)}
        </SegButton>
      ))}
    </SegGroup>
  );
}

function GlossaryEditor() {
  const t = useT();
  const glossary = useCaptions((s) => s.glossary);
  const [text, setText] = useState('');
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) setText(glossaryText(glossary?.entries ?? []));
  }, [glossary, dirty]);
  const entries = parseGlossary(text);
  return (
    <div className="mod-group">
      <h3 className="mod-h">
        <label htmlFor="mod-glossary">{t('mod.glossary')}</label>
      </h3>
      <p className="mod-help" id="mod-glossary-help">
        {t('mod.glossaryHelp')}
      </p>
      <textarea
        id="mod-glossary"
        className="input mod-glossary"
        rows={5}
        dir="auto"
        value={text}
        aria-describedby="mod-glossary-help"
        onChange={(e) => {
          setText(e.target.value);
          setDirty(true);
        }}
        data-testid="glossary-input"
      />
      <div className="mod-row">
        <button
          type="button"
          className="btn btn-primary"
          disabled={!dirty}
          onClick={async () => {
            if (await run('glossary', t('mod.glossarySaved'), 'glossary:set', { entries })) setDirty(false);
          }}
          data-testid="glossary-save"
        >
          {t('mod.glossarySave')}
        </button>
        <span className="mod-help">{t('mod.glossaryCount', { n: entries.length })}</span>
      </div>
    </div>
  );
}
