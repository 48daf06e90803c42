/**
 * Who follows which language, and who captions it. Each process counts its own phones and
 * interpreters per event and language in the one presence loop (socket/presence-loop.ts), which
 * publishes them to the backend's one presence (`Ephemeral.presence`, under `captions`), which
 * keeps every process's counts for the stale limit of every presence; the sum is of the live ones.
 * When a total changes, this process tells its own sockets (a `local` send): every process does the
 * same, so each socket hears it exactly once.
 *
 *   captions:audience  phones and interpreters per language → interpreters and moderators
 *   captions:status    languages captioned by a person / by machine translation → everyone
 */
import type { CaptionAudience, CaptionStatus } from '../../shared/captions.ts';
import type { Logger } from '../log.ts';
import type { Ephemeral } from '../log/ephemeral.ts';
import type { Delivery } from '../socket/deliver.ts';
import { presenceLoop } from '../socket/presence-loop.ts';
import { PRESENCE_STALE_MS } from '../live/audience.ts';

/** Per-language counts of one server process's sockets. */
export interface CaptionPresence {
  phones: Record<string, number>;
  interpreters: Record<string, number>;
}

export function sumCaptionPresence(entries: Iterable<CaptionPresence>): CaptionPresence {
  const total: CaptionPresence = { phones: {}, interpreters: {} };
  for (const e of entries) {
    for (const key of ['phones', 'interpreters'] as const) {
      for (const [lang, n] of Object.entries(e[key] ?? {})) {
        if (n > 0) total[key][lang] = (total[key][lang] ?? 0) + n;
      }
    }
  }
  return total;
}

const isEmpty = (c: CaptionPresence) => Object.keys(c.phones).length === 0 && Object.keys(c.interpreters).length === 0;

/**
 * Records this process's counts for an event (none: its entry goes) and returns the sum over every
 * live process (entries of processes silent for longer than the stale limit are dropped).
 */
export async function publishCaptionPresence(ephemeral: Ephemeral, eventId: string, processId: string, counts: CaptionPresence): Promise<CaptionPresence> {
  // A copy: the caller goes on counting in its own object.
  const mine = isEmpty(counts) ? null : { phones: { ...counts.phones }, interpreters: { ...counts.interpreters } };
  return sumCaptionPresence(await ephemeral.presence<CaptionPresence>(eventId, 'captions', processId, mine, PRESENCE_STALE_MS));
}

interface Known {
  languages: string[];
  total: CaptionPresence | null;
  status: CaptionStatus | null;
  audienceJson: string;
}

/** Whether machine translation reaches `to` from `from` (directly or through one pivot). */
export type MachineReach = (from: string, to: string) => boolean;

/**
 * `human`: languages with an interpreter connected. `machine`: while the floor language is
 * captioned, the other languages with none that the engine reaches from the floor language.
 */
export function statusOf(total: CaptionPresence, languages: string[], reach: MachineReach | null): CaptionStatus {
  const human = languages.filter((l) => (total.interpreters[l] ?? 0) > 0);
  const floor = languages[0];
  const machine =
    reach && floor !== undefined && human.includes(floor) ? languages.filter((l) => !human.includes(l) && reach(floor, l)) : [];
  return { human, machine };
}

export function createCaptionPresence(opts: {
  ephemeral: Ephemeral;
  processId: string;
  intervalMs: number;
  /** The engine's reach; null: no machine translation. */
  machineReach: MachineReach | null;
  /** Told when an event's machine languages change (the engine starts what they need). */
  onMachine?: (eventId: string, floor: string, targets: string[]) => void;
  logger: Logger;
  /** Where totals go: this process's own sockets (every process tells its own). */
  deliver: Delivery;
}) {
  /** What this process last heard of each event it counts sockets of. */
  const known = new Map<string, Known>();

  function about(eventId: string, languages: string[]): Known {
    let k = known.get(eventId);
    if (!k) known.set(eventId, (k = { languages, total: null, status: null, audienceJson: '' }));
    return k;
  }

  // Other processes' changes are read at every tick while this process has sockets there.
  const loop = presenceLoop<CaptionPresence>({
    what: 'caption presence',
    intervalMs: opts.intervalMs,
    logger: opts.logger,
    everyTick: true,
    empty: () => ({ phones: {}, interpreters: {} }),
    isEmpty,
    async publish(eventId, local) {
      const k = known.get(eventId);
      if (!k) return;
      const total = await publishCaptionPresence(opts.ephemeral, eventId, opts.processId, local);
      k.total = total;
      const status = statusOf(total, k.languages, opts.machineReach);
      const audience: CaptionAudience = { phones: total.phones, interpreters: total.interpreters };
      const audienceJson = JSON.stringify(audience);
      if (audienceJson !== k.audienceJson) opts.deliver.send(eventId, { roles: ['interpreter', 'moderator'], local: true }, 'captions:audience', audience);
      k.audienceJson = audienceJson;
      if (JSON.stringify(status) !== JSON.stringify(k.status)) {
        opts.deliver.send(eventId, { event: true, local: true }, 'captions:status', status);
        const floor = k.languages[0];
        if (floor && status.machine.length && opts.onMachine) opts.onMachine(eventId, floor, status.machine);
      }
      k.status = status;
      if (isEmpty(local)) known.delete(eventId);
    },
  });

  function bump(eventId: string, languages: string[], kind: keyof CaptionPresence, lang: string, delta: number) {
    about(eventId, languages);
    const local = loop.counts(eventId);
    const n = (local[kind][lang] ?? 0) + delta;
    if (n > 0) local[kind][lang] = n;
    else delete local[kind][lang];
    loop.touch(eventId);
  }

  return {
    join(eventId: string, languages: string[], kind: keyof CaptionPresence, lang: string) {
      bump(eventId, languages, kind, lang, 1);
    },
    leave(eventId: string, languages: string[], kind: keyof CaptionPresence, lang: string) {
      bump(eventId, languages, kind, lang, -1);
    },
    /** The last totals known here; published now when this process has none yet. */
    async snapshot(eventId: string, languages: string[]): Promise<{ status: CaptionStatus; audience: CaptionAudience }> {
      const k = about(eventId, languages);
      if (!k.total || !k.status) await loop.publishNow(eventId);
      // Published with nobody counted here: the entry went, but this answer stands.
      return { status: k.status!, audience: { phones: k.total!.phones, interpreters: k.total!.interpreters } };
    },
    /** Languages machine translation should fill now (from the last totals known here). */
    machineTargets(eventId: string): string[] {
      return known.get(eventId)?.status?.machine ?? [];
    },
    stop: () => loop.stop(),
  };
}

export type CaptionPresenceTracker = ReturnType<typeof createCaptionPresence>;
