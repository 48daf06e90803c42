/**
 * Decks an older Tribune described outside the log, carried into it once, at open: the embedded
 * `DATA_DIR/decks/<eventId>/<hash>/deck.json` ({pageCount}; its mtime the stored time; then
 * deleted) and, on Redis, each event's `slides:decks` sorted set (hash → stored time) with each
 * deck's `slides:deck:<hash>` page count (then deleted). The page images stay where they are: the
 * blobs (blobs.ts) keep the same names. One `slides.deck` entry per deck.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackendContext } from '../backend.ts';
import type { EventLogs } from '../log/event-logs.ts';
import { isKeySafe } from '../store/keys.ts';
import { call, scanKeys } from '../store/redis.ts';
import { DECK_HASH } from './decks.ts';
import type { DecksEntry } from './rules.ts';

const stored = (logs: EventLogs, eventId: string, payload: Extract<DecksEntry, { kind: 'slides.deck' }>['payload']) =>
  logs.append(eventId, { kind: 'slides.deck', payload });

export async function importOldDecks(ctx: BackendContext, logs: EventLogs): Promise<number> {
  let n = 0;
  if (ctx.kind === 'memory') {
    const root = ctx.dataDir && path.join(ctx.dataDir, 'decks');
    for (const eventId of root && fs.existsSync(root) ? fs.readdirSync(root).filter(isKeySafe) : []) {
      for (const hash of fs.readdirSync(path.join(root!, eventId)).filter((h) => DECK_HASH.test(h))) {
        const meta = path.join(root!, eventId, hash, 'deck.json');
        if (!fs.existsSync(meta)) continue;
        const { pageCount } = JSON.parse(fs.readFileSync(meta, 'utf8')) as { pageCount: number };
        await stored(logs, eventId, { hash, pageCount, storedAt: Math.round(fs.statSync(meta).mtimeMs) });
        fs.rmSync(meta);
        n++;
      }
    }
    return n;
  }
  const { redis, keys } = ctx;
  const [head, tail] = [`${keys.prefix}:{`, '}:slides:decks'];
  for (const key of await scanKeys(redis, `${head}*${tail}`)) {
    const eventId = key.slice(head.length, -tail.length);
    if (!isKeySafe(eventId)) continue;
    const flat = await call(redis.zrange(key, '0', '-1', 'WITHSCORES'));
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const hash = flat[i]!;
      const count = DECK_HASH.test(hash) ? await call(redis.get(keys.eventKey(eventId, `slides:deck:${hash}`))) : null;
      if (count === null) continue;
      await stored(logs, eventId, { hash, pageCount: Number(count), storedAt: Number(flat[i + 1]) });
      await call(redis.del(keys.eventKey(eventId, `slides:deck:${hash}`)));
      n++;
    }
    await call(redis.del(key));
  }
  return n;
}
