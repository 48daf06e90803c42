/** A re-render every `intervalMs` with the server-corrected clock: timers are drawn locally. */
import { useEffect, useState } from 'react';
import { useStore } from '../store/store.ts';

export function useServerNow(intervalMs = 250, active = true): number {
  const offset = useStore((s) => s.clockOffset);
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setLocal(Date.now());
    const id = setInterval(() => setLocal(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs, active]);
  return local + offset;
}
