/**
 * Interpretation audio channels (PROTOCOL "Interpretation audio (WHIP / WHEP)"): one per event
 * language and `floor`. No zod here: the phone's bundle imports this.
 */
import type { AudioChannel, PublicEvent } from './schemas.ts';

/** The channel of the podium microphone (the speaker's own voice), beside one per event language. */
export const FLOOR_CHANNEL = 'floor';

/** The audio channels of an event: each event language, then `floor`. */
export const audioChannels = (event: Pick<PublicEvent, 'languages'>): string[] => [...event.languages, FLOOR_CHANNEL];

/** Every channel of the event, off air with no listener but where `counts` says otherwise. */
export function audioState(event: Pick<PublicEvent, 'languages'>, counts: Record<string, AudioChannel> = {}): Record<string, AudioChannel> {
  const out: Record<string, AudioChannel> = {};
  for (const channel of audioChannels(event)) {
    const c = Object.hasOwn(counts, channel) ? counts[channel] : undefined;
    out[channel] = { onAir: c?.onAir ?? false, listeners: c?.listeners ?? 0 };
  }
  return out;
}

/** Whether two `state.audio` maps say the same. */
export function sameAudio(a: Record<string, AudioChannel> | undefined, b: Record<string, AudioChannel> | undefined): boolean {
  if (!a || !b) return a === b;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && a[k]!.onAir === b[k]!.onAir && a[k]!.listeners === b[k]!.listeners);
}

/** Sums processes' counts: on air where any process has a publisher, listeners added up. */
export function sumAudio(entries: Iterable<Record<string, AudioChannel>>): Record<string, AudioChannel> {
  const out: Record<string, AudioChannel> = {};
  for (const e of entries) {
    for (const [channel, c] of Object.entries(e)) {
      const o = (out[channel] ??= { onAir: false, listeners: 0 });
      o.onAir ||= c.onAir;
      o.listeners += c.listeners;
    }
  }
  return out;
}
