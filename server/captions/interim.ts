/**
 * Interim captions are coalesced, never refused. An interpreter types (or pastes) faster than a
 * phone needs to redraw a line: past a few updates a second per interpreter socket (and per
 * language on this process), the segment's latest text waits and goes out as soon as the budget
 * allows. Nothing the interpreter types is refused, phones get a bounded number of updates a
 * second, and the last one they get is the latest text. A final of the segment makes its waiting
 * interim text stale: it is dropped.
 */
import { tokenBucket } from '../limits.ts';
import type { TribuneSocket } from '../socket/types.ts';

interface Held {
  id: string;
  text: string;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface InterimRelay {
  /** True: relay it now. False: it is held as its socket's latest interim text and relayed later. */
  admit(socket: TribuneSocket, id: string, text: string): boolean;
  /** The segment was fixed: drop its held interim text. */
  finalised(socket: TribuneSocket, id: string): void;
}

export function interimRelay(opts: {
  burst: number;
  perSecond: number;
  /** Relays a held text (later, off the command's path). */
  relay(socket: TribuneSocket, id: string, text: string): Promise<unknown>;
}): InterimRelay {
  const own = new WeakMap<TribuneSocket, () => boolean>();
  const perLang = new Map<string, () => boolean>();
  const held = new Map<TribuneSocket, Held>();

  function take(socket: TribuneSocket): boolean {
    let mine = own.get(socket);
    if (!mine) own.set(socket, (mine = tokenBucket(opts.burst, opts.perSecond)));
    // Several sockets on one interpreter token do not multiply what phones of the language get.
    const key = `${socket.data.eventId}\u0000${socket.data.lang}`;
    let lang = perLang.get(key);
    if (!lang) perLang.set(key, (lang = tokenBucket(opts.burst * 3, opts.perSecond * 3)));
    return mine() && lang();
  }

  function later(socket: TribuneSocket, h: Held) {
    h.timer = setTimeout(() => {
      if (!socket.connected) return void held.delete(socket);
      if (!take(socket)) return later(socket, h);
      held.delete(socket);
      void opts.relay(socket, h.id, h.text).catch(() => undefined);
    }, Math.ceil(1000 / opts.perSecond));
    h.timer.unref?.();
  }

  return {
    admit(socket, id, text) {
      const waiting = held.get(socket);
      if (waiting) {
        // The newest text replaces the one waiting (of this segment, or of a newer one).
        waiting.id = id;
        waiting.text = text;
        return false;
      }
      if (take(socket)) return true;
      const h: Held = { id, text, timer: undefined };
      held.set(socket, h);
      later(socket, h);
      return false;
    },
    finalised(socket, id) {
      const waiting = held.get(socket);
      if (waiting?.id !== id) return;
      clearTimeout(waiting.timer);
      held.delete(socket);
    },
  };
}
