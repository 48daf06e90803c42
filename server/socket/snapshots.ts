/**
 * The first snapshots of a socket that joined: `state`, then each domain's (questions, caption
 * history, ratings…). An attendee can join while the store is away (the handshake caches what it
 * needs of an event), and nothing else would ever send it those snapshots: the client only knows
 * it is connected. So the parts that fail because the store is away are tried again, in order,
 * every 0.5 s, 1 s, 2 s, then 3 s while the socket stays connected: it is current within seconds of
 * the store's return, without reconnecting. One timer per socket at most, cleared on disconnect.
 */
import { ErrorCode, TribuneError } from '../../shared/errors.ts';
import type { Logger } from '../log.ts';
import type { TribuneSocket } from './types.ts';

export interface SnapshotPart {
  /** For the logs: `state` or the domain's name. */
  name: string;
  send(): Promise<void>;
}

export interface SnapshotRetry {
  firstMs: number;
  maxMs: number;
}

export const SNAPSHOT_RETRY: SnapshotRetry = { firstMs: 500, maxMs: 3_000 };

const storeAway = (err: unknown) => err instanceof TribuneError && err.code === ErrorCode.UNAVAILABLE;

/**
 * Sends `parts` in order. A part that fails with UNAVAILABLE (the store is away) stops the round:
 * it and the parts after it (which may assume it was sent, as domains assume `state`) are tried
 * again later; parts already sent are not sent again. Any other failure is a bug: logged, skipped.
 */
export function deliverSnapshots(socket: TribuneSocket, parts: SnapshotPart[], logger: Logger, retry = SNAPSHOT_RETRY): void {
  const { eventId } = socket.data;
  let pending = parts;
  let delay = retry.firstMs;
  let timer: NodeJS.Timeout | undefined;
  let rounds = 0;
  const stop = () => clearTimeout(timer);
  socket.once('disconnect', stop);

  const round = async () => {
    rounds++;
    while (pending.length > 0) {
      if (!socket.connected) return;
      const part = pending[0]!;
      try {
        await part.send();
      } catch (err) {
        if (storeAway(err)) {
          // Once per socket: a join storm during an outage must not write a line per attempt.
          if (rounds === 1) logger.warn({ eventId, part: part.name, err: String(err) }, 'first snapshot delayed: the store is away');
          if (socket.connected) timer = setTimeout(() => void round(), delay);
          delay = Math.min(delay * 2, retry.maxMs);
          return;
        }
        logger.error({ eventId, part: part.name, err: String(err) }, 'first snapshot part not sent');
      }
      pending = pending.slice(1);
    }
    socket.off('disconnect', stop);
    if (rounds > 1) logger.info({ eventId, rounds }, 'first snapshot sent once the store answered');
  };
  void round();
}
