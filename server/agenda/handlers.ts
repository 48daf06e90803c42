/**
 * The live core's commands: each moderator command is a pure transition from shared/, appended to
 * the event's log and folded by the live rules (server/live/rules.ts), then broadcast as a whole
 * `state`. Built once per server.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import { transitions, type TransitionName } from '../../shared/transitions.ts';
import type { CommandTable } from '../socket/commands.ts';
import { join, leave } from '../socket/deliver.ts';
import type { Store } from '../store/types.ts';

export function agendaCommands(store: Store): CommandTable {
  const table: CommandTable = {};
  for (const name of Object.keys(transitions) as TransitionName[]) {
    (table as Record<string, unknown>)[name] = async (payload: never, socket: { data: { eventId: string } }) => {
      // The new state goes to the event from the fold (socket/state-broadcast.ts).
      await store.change(socket.data.eventId, name, payload);
      return undefined;
    };
  }

  table['lang:set'] = async ({ lang }, socket) => {
    const { eventId } = socket.data;
    const state = await store.getState(eventId);
    if (!state?.event.languages.includes(lang)) {
      throw new TribuneError(ErrorCode.INVALID_PAYLOAD, `"${lang}" is not a language of this event`, 'notALanguage', { lang });
    }
    leave(socket, { langs: [socket.data.lang] });
    socket.data.lang = lang;
    join(socket, { langs: [lang] });
    return undefined;
  };
  return table;
}
