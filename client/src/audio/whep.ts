/**
 * WHIP and WHEP in the browser (PROTOCOL "Interpretation audio"): an offer with its candidates
 * gathered, POSTed as `application/sdp`; the answer and the session's `Location` come back; DELETE
 * ends it. Loaded on demand: the phone's first screen does not carry WebRTC code.
 */

export const audioUrl = (eventId: string, channel: string, kind: 'whip' | 'whep') =>
  `/api/events/${encodeURIComponent(eventId)}/audio/${encodeURIComponent(channel)}/${kind}`;

export class SignalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** Seconds the server asked to wait (503 Retry-After). */
    readonly retryAfter: number | null,
  ) {
    super(`${status} ${code}`);
  }
}

function gathered(pc: RTCPeerConnection, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = () => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', done);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', done);
    // A phone with a dead interface can take long: what was gathered by then is enough on a LAN.
    setTimeout(resolve, timeoutMs);
  });
}

/** Sends `pc`'s offer to `url`; sets the answer; returns the session's Location. */
export async function negotiate(pc: RTCPeerConnection, url: string, key?: string): Promise<string> {
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: pc.localDescription!.sdp,
    });
  } catch {
    throw new SignalError(0, 'UNAVAILABLE', null);
  }
  if (res.status !== 201) {
    let code = 'INTERNAL';
    try {
      code = ((await res.json()) as { error?: { code?: string } }).error?.code ?? code;
    } catch {}
    const retry = Number(res.headers.get('Retry-After'));
    throw new SignalError(res.status, code, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  const location = res.headers.get('Location') ?? '';
  await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
  return location;
}

/** Ends a session (best effort: a session the server already ended answers 404). */
export function endSession(location: string | null, key?: string): void {
  if (!location) return;
  void fetch(location, { method: 'DELETE', keepalive: true, headers: key ? { Authorization: `Bearer ${key}` } : {} }).catch(() => {});
}
