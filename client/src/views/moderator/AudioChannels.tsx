/** The interpretation channels on air and how many phones listen to each (state.audio). */
import { FLOOR_CHANNEL } from '../../../../shared/audio.ts';
import { HeadphonesIcon } from '../../components/Icon.tsx';
import { useT } from '../../i18n/index.ts';
import { nativeName } from '../../lib/lang.ts';
import { useStore } from '../../store/store.ts';

export function AudioChannels() {
  const audio = useStore((s) => s.live?.audio);
  const t = useT();
  const onAir = Object.entries(audio ?? {}).filter(([, c]) => c.onAir || c.listeners > 0);
  return (
    <div className="mod-audio" aria-label={t('mod.audioChannels')} data-testid="audio-channels">
      <HeadphonesIcon />
      {onAir.length === 0 ? (
        <span className="mod-audio-none">{t('mod.audioNone')}</span>
      ) : (
        <ul className="mod-tables">
          {onAir.map(([ch, c]) => (
            <li key={ch} data-testid={`audio-channel-${ch}`} className={c.onAir ? 'is-on' : ''}>
              {ch === FLOOR_CHANNEL ? t('listen.floor') : nativeName(ch)}{' '}
              {c.onAir ? <span className="mod-audio-live">{t('mod.audioOnAir')}</span> : <span>{t('mod.audioOffAir')}</span>}{' '}
              <strong>{t('mod.audioListeners', { n: c.listeners })}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
