/**
 * What the server reads in a WHIP or WHEP offer, and the one change it makes to its answers (the
 * announced address). Pure text work: the media engine does the real negotiation; this refuses,
 * before any engine work, a body that is not an offer of one Opus audio section (400).
 */

/** Largest offer read: a browser's is 3–6 KB. */
export const MAX_OFFER_BYTES = 64 * 1024;

export interface AudioOffer {
  /** The audio section's `a=mid` (answers must keep it). */
  mid: string;
  /** The offer's payload type for Opus (Chromium: 111). */
  opusPayloadType: number;
  /** sendonly, recvonly, sendrecv or inactive (absent: sendrecv, RFC 8866). */
  direction: 'sendonly' | 'recvonly' | 'sendrecv' | 'inactive';
}

/**
 * The offer's audio section, or a sentence saying why `text` is not an offer this route takes:
 * `publish` (WHIP) needs the client to send, a listener (WHEP) to receive.
 */
export function readAudioOffer(text: string, role: 'publish' | 'listen'): AudioOffer | string {
  if (!/^v=0\r?\n/.test(text)) return 'the body is not an SDP offer (it must start with "v=0")';
  const lines = text.split(/\r?\n/);
  if (!lines.some((l) => l.startsWith('o=')) || !lines.some((l) => l.startsWith('s='))) return 'the SDP has no o= or s= line';
  const sections: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([line]);
    else sections.at(-1)?.push(line);
  }
  const audio = sections.filter((s) => s[0]!.startsWith('m=audio '));
  if (audio.length !== 1) return `the offer must have exactly one audio section, not ${audio.length}`;
  // Other sections (video, data) may only be there rejected (port 0): a channel is audio only.
  if (sections.some((s) => !s[0]!.startsWith('m=audio ') && !/^m=\S+ 0[ /]/.test(s[0]!))) return 'the offer may carry only audio';
  const section = audio[0]!;
  const mid = section.find((l) => l.startsWith('a=mid:'))?.slice(6).trim();
  if (!mid || !/^[A-Za-z0-9_.-]{1,32}$/.test(mid)) return 'the audio section has no usable a=mid';
  const opus = section.map((l) => /^a=rtpmap:(\d{1,3}) opus\/48000(\/[12])?\s*$/i.exec(l)).find(Boolean);
  if (!opus) return 'the audio section does not offer Opus at 48 kHz';
  const direction = (section.find((l) => /^a=(sendonly|recvonly|sendrecv|inactive)\s*$/.test(l))?.slice(2).trim() ??
    'sendrecv') as AudioOffer['direction'];
  if (role === 'publish' && direction !== 'sendonly' && direction !== 'sendrecv') return `a publisher's audio must be sendonly, not ${direction}`;
  if (role === 'listen' && direction !== 'recvonly' && direction !== 'sendrecv') return `a listener's audio must be recvonly, not ${direction}`;
  if (!section.some((l) => l.startsWith('a=ice-ufrag:')) && !lines.some((l) => l.startsWith('a=ice-ufrag:'))) return 'the offer has no ICE credentials';
  if (!lines.some((l) => l.startsWith('a=fingerprint:'))) return 'the offer has no DTLS fingerprint';
  return { mid, opusPayloadType: Number(opus[1]), direction };
}

/**
 * Announces `address` instead of the gathered ones (MEDIA_HOST: a name or an address phones reach
 * when the machine's own are not theirs, e.g. behind a port forward). The sockets listen on every
 * address, so one candidate per port, on `address`, is enough; duplicates are dropped.
 */
export function announceAddress(sdp: string, address: string): string {
  const seen = new Set<string>();
  return sdp
    .split('\r\n')
    .flatMap((line) => {
      const m = /^a=candidate:(\S+) (\d+) (udp|tcp) (\d+) (\S+) (\d+) typ host(.*)$/i.exec(line);
      if (!m) return [line];
      const key = `${m[2]}/${m[3]!.toLowerCase()}/${m[6]}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [`a=candidate:${m[1]} ${m[2]} ${m[3]} ${m[4]} ${address} ${m[6]} typ host${m[7]}`];
    })
    .join('\r\n');
}
