/**
 * The moderator's live commands: each one is a pure transition from shared/, applied
 * atomically by the store, then broadcast as a whole `state`.
 */
import { transitions, type TransitionName } from '../../shared/transitions.ts';
import type { CommandPayload, LiveState } from '../../shared/schemas.ts';
import { newId } from '../auth/secrets.ts';
import type { Store } from '../store/types.ts';
import type { createCommandRegistrar } from '../socket/commands.ts';

export function registerAgendaHandlers(
  command: ReturnType<typeof createCommandRegistrar>,
  store: Store,
  broadcast: (state: LiveState) => void,
) {
  for (const name of Object.keys(transitions) as TransitionName[]) {
    command(name, async (payload, socket) => {
      const transition = transitions[name] as (
        s: LiveState,
        p: CommandPayload<typeof name>,
        now: number,
        id: () => string,
      ) => LiveState;
      const next = await store.update(socket.data.eventId, (s) => transition(s, payload, Date.now(), () => newId(6)));
      if (next) broadcast(next);
      return undefined;
    });
  }
}
