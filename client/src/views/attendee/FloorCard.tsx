/**
 * Ask for the floor, on the phone's first screen, while the moderator has opened the list (or this
 * device waits or speaks): one tap per kind (speak, reply to the speaker, point of order) with an
 * optional name; then the place in the queue and Withdraw; when the floor is given, a signal that
 * cannot be missed (a card, words read out, vibration where the phone allows). Small on purpose:
 * it is part of the phone's first chunk.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { FloorKind } from '../../../../shared/floor.ts';
import { MicIcon } from '../../components/Icon.tsx';
import { Timer } from '../../components/Timer.tsx';
import { useT } from '../../i18n/index.ts';
import { explain } from '../../lib/explain.ts';
import { FLOOR_KINDS, FLOOR_NAME_MAX, kindLabel, myStanding, readMyRequest, turnTimer, writeMyRequest } from '../../lib/floor.ts';
import { readJson, writeJson } from '../../lib/storage.ts';
import { send } from '../../net/transport.ts';
import { useStore } from '../../store/store.ts';
import './floor-card.css';

const NAME_KEY = 'tribune.floorName';

const kindHelp: Record<FloorKind, 'floor.help.speak' | 'floor.help.reply' | 'floor.help.order'> = {
  speak: 'floor.help.speak',
  reply: 'floor.help.reply',
  order: 'floor.help.order',
};

export function FloorCard() {
  const t = useT();
  const id = useId();
  const floor = useStore((s) => s.live?.floor);
  const eventId = useStore((s) => s.live?.event.id ?? '');
  const tables = useStore((s) => s.live?.event.tables);
  const [mine, setMine] = useState<string | null>(() => (eventId ? readMyRequest(eventId) : null));
  const [name, setName] = useState(() => readJson<string>(NAME_KEY) ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { turn, place } = myStanding(floor, mine);

  // Another tab of this phone may ask or be answered: the id it keeps is this one's too.
  useEffect(() => {
    setMine(eventId ? readMyRequest(eventId) : null);
    const follow = () => setMine(eventId ? readMyRequest(eventId) : null);
    window.addEventListener('storage', follow);
    return () => window.removeEventListener('storage', follow);
  }, [eventId]);

  // The floor given to this device: vibrate once (where the phone can), as the card appears.
  const hadTurn = useRef(turn);
  useEffect(() => {
    if (turn && !hadTurn.current) navigator.vibrate?.([300, 120, 300]);
    hadTurn.current = turn;
  }, [turn]);

  if (!floor || (!floor.open && !turn && place === null)) return null;

  async function ask(kind: FloorKind) {
    setBusy(true);
    setProblem(null);
    const cleaned = name.trim().slice(0, FLOOR_NAME_MAX);
    writeJson(NAME_KEY, cleaned);
    const ack = await send('floor:request', cleaned ? { kind, name: cleaned } : { kind });
    setBusy(false);
    if (ack.ok) {
      const got = (ack.data as { id: string }).id;
      writeMyRequest(eventId, got);
      setMine(got);
    } else setProblem(explain(ack.error));
  }

  async function withdraw() {
    setBusy(true);
    setProblem(null);
    const ack = await send('floor:withdraw', {});
    setBusy(false);
    if (!ack.ok) setProblem(explain(ack.error));
  }

  if (turn && floor.current) {
    return (
      <section className="fl-card fl-turn" aria-labelledby={`${id}-h`} data-testid="floor-turn">
        <h2 id={`${id}-h`} className="fl-turn-h" role="alert">
          <MicIcon /> {t('floor.yourTurn')}
        </h2>
        <Timer timer={turnTimer(floor.current)} className="fl-timer" showPaused={false} />
      </section>
    );
  }

  const current = floor.current;
  const speaking = current ? (tables?.find((x) => x.id === current.table)?.name ?? current.name) : null;

  return (
    <section className="fl-card" aria-labelledby={`${id}-h`} data-testid="floor-card">
      <h2 id={`${id}-h`} className="fl-h">
        {t('floor.ask')}
      </h2>
      {speaking && (
        <p className="fl-now">
          {t('floor.speakingNow')} <bdi dir="auto">{speaking}</bdi>
        </p>
      )}
      {place !== null ? (
        <div className="fl-waiting">
          <p className="fl-place" role="status" data-testid="floor-place">
            {t('floor.place', { n: place })}
          </p>
          <button type="button" className="btn" onClick={() => void withdraw()} disabled={busy} data-testid="floor-withdraw">
            {t('floor.withdraw')}
          </button>
        </div>
      ) : (
        <>
          <div className="fl-name">
            <label htmlFor={`${id}-name`}>{t('floor.name')}</label>
            <input
              id={`${id}-name`}
              className="input"
              value={name}
              maxLength={FLOOR_NAME_MAX}
              autoComplete="name"
              dir="auto"
              onChange={(e) => setName(e.target.value)}
              data-testid="floor-name"
            />
          </div>
          <div className="fl-kinds" role="group" aria-label={t('floor.ask')}>
            {FLOOR_KINDS.map((kind) => (
              <button
                key={kind}
                type="button"
                className={`btn fl-kind${kind === 'speak' ? ' btn-primary' : ''}`}
                onClick={() => void ask(kind)}
                disabled={busy}
                data-testid={`floor-ask-${kind}`}
              >
                <span className="fl-kind-label">{t(kindLabel[kind])}</span>
                <small className="fl-kind-help">{t(kindHelp[kind])}</small>
              </button>
            ))}
          </div>
        </>
      )}
      {problem && (
        <p className="field-error" role="alert" data-testid="floor-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
