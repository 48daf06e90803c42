/**
 * The command slice: every moderator command shows its outcome — busy while pending, then
 * confirmed or reverted with the server's reason. Nothing fails silently. Its commands went over
 * the page's connection, so it resets with it.
 */
import type { ErrorCode } from '../../../shared/errors.ts';
import type { CommandInput, CommandName, Phase, ProjectorMode } from '../../../shared/schemas.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { reasonText } from '../lib/explain.ts';
import { send } from '../net/transport.ts';
import { defineSlice, useStore } from './store.ts';

export type OutcomeKind = 'pending' | 'ok' | 'error';

export interface CommandSlice {
  /** Commands awaiting their ack, counted per key (a button shows itself busy while > 0). */
  pending: Record<string, number>;
  /** What the moderator asked for and has not been confirmed yet: shown as if done. */
  optimistic: { itemId?: string; phase?: Phase; mode?: ProjectorMode };
  /** The last command's outcome, for the status line. `seq` makes a repeat message re-announce. */
  outcome: { kind: OutcomeKind; text: string; code?: ErrorCode | string; seq: number } | null;
}

export const resetCommands = defineSlice({
  initial: (): CommandSlice => ({ pending: {}, optimistic: {}, outcome: null }),
  lifetime: 'connection',
});

let seq = 0;

type Optimistic = CommandSlice['optimistic'];

/** Human wording of a refusal code, placed before the server's own message. */
const codeWords: Partial<Record<ErrorCode | string, MessageKey>> = {
  CONFLICT: 'mod.err.CONFLICT',
  FORBIDDEN: 'mod.err.FORBIDDEN',
  UNAVAILABLE: 'mod.err.UNAVAILABLE',
  RATE_LIMITED: 'mod.err.RATE_LIMITED',
  INVALID_PAYLOAD: 'mod.err.INVALID_PAYLOAD',
  NOT_FOUND: 'mod.err.NOT_FOUND',
  INTERNAL: 'mod.err.INTERNAL',
};

function setOutcome(kind: 'pending' | 'ok' | 'error', text: string, code?: string) {
  useStore.setState({ outcome: { kind, text, seq: ++seq, ...(code ? { code } : {}) } });
}

export interface RunOptions {
  /** What to show as done before the ack (reverted if refused). */
  optimistic?: Optimistic;
  /**
   * Additive commands (+1 min, next slide) may be tapped twice on purpose: each tap is sent.
   * Others are not sent again while one is pending (a double tap on Next must not skip a speaker).
   */
  repeatable?: boolean;
}

/** Sends a moderator command, tracked under `key`; resolves true when the server accepted it. */
export async function run<C extends CommandName>(
  key: string,
  label: string,
  cmd: C,
  payload: CommandInput<C>,
  { optimistic = {}, repeatable = false }: RunOptions = {},
): Promise<boolean> {
  if (!repeatable && useStore.getState().pending[key]) {
    setOutcome('pending', t('mod.alreadySent', { label }));
    return false;
  }
  const sentRev = useStore.getState().live?.rev ?? 0;
  useStore.setState((s) => ({
    pending: { ...s.pending, [key]: (s.pending[key] ?? 0) + 1 },
    optimistic: { ...s.optimistic, ...optimistic },
  }));
  setOutcome('pending', t('mod.pendingLabel', { label }));

  const ack = await send(cmd, payload);

  const clear = () =>
    useStore.setState((s) => {
      // Only drop the guesses this command made, and only if no later command replaced them.
      const o = { ...s.optimistic };
      for (const k of Object.keys(optimistic) as (keyof Optimistic)[]) {
        if (o[k] === optimistic[k]) delete o[k];
      }
      return { optimistic: o };
    });
  useStore.setState((s) => {
    const pending = { ...s.pending };
    const left = (pending[key] ?? 1) - 1;
    if (left > 0) pending[key] = left;
    else delete pending[key];
    return { pending };
  });

  if (ack.ok) {
    setOutcome('ok', t('mod.done', { label }));
    // The new state normally arrives before the ack; if not, keep the guess until it does.
    if ((useStore.getState().live?.rev ?? 0) > sentRev) clear();
    else {
      const stop = useStore.subscribe((s) => {
        if ((s.live?.rev ?? 0) > sentRev) {
          stop();
          clear();
        }
      });
      setTimeout(() => {
        stop();
        clear();
      }, 2000);
    }
    return true;
  }
  clear();
  const words = codeWords[ack.error.code];
  const why = reasonText(ack.error) ?? `${words ? `${t(words)}: ` : ''}${ack.error.message}`;
  setOutcome('error', t('mod.failed', { label, reason: why }), ack.error.code);
  return false;
}
