/**
 * Snapshots of a large state are saved less often (server/log/event-logs.ts): every `snapshotEvery`
 * entries while the state is small, then a power of two times more, so that snapshots write about
 * what the entries they cover do. Folding goes on exactly as before: only when snapshots are made changes.
 */
import { describe, expect, it } from 'vitest';
import { createEventLogs, type Reducer } from '../server/log/event-logs.ts';
import { createMemoryLog } from '../server/log/memory-log.ts';

/** Each entry adds `size` characters to the state. */
const blob: Reducer<{ parts: string[] }, number> = {
  name: 'blob',
  initial: () => ({ parts: [] }),
  apply(state, entry) {
    state.parts.push('x'.repeat((entry.payload as { size: number }).size));
    return state.parts.length;
  },
  save: (state) => state,
  load: (json) => ({ parts: [...(json as { parts: string[] }).parts] }),
};

describe('snapshot intervals', () => {
  it('a small state is saved every `snapshotEvery` entries', async () => {
    const backend = createMemoryLog();
    const logs = createEventLogs(backend, [blob], { snapshotEvery: 10 });
    for (let i = 0; i < 30; i++) await logs.append('e', { kind: 'blob.add', payload: { size: 100 } });
    expect((await backend.loadSnapshot('e'))?.seq).toBe(30);
  });

  it('a large one less often: 2^k × snapshotEvery entries, k so that its bytes per entry stay about 200', async () => {
    const backend = createMemoryLog();
    const logs = createEventLogs(backend, [blob], { snapshotEvery: 10 });
    const seqs: number[] = [];
    let last = 0;
    for (let i = 1; i <= 700; i++) {
      // 10 entries of 10 KB: the state is ~100 KB at the first snapshot, then grows slowly.
      await logs.append('e', { kind: 'blob.add', payload: { size: i <= 10 ? 10_000 : 10 } });
      const seq = (await backend.loadSnapshot('e'))?.seq ?? 0;
      if (seq !== last) seqs.push((last = seq));
    }
    // ~100 KB / (10 entries × 200 bytes) = 50 → 2^6: the next snapshot after 640 entries.
    expect(seqs).toEqual([10, 640]);
    expect((await logs.state('e', blob)).parts).toHaveLength(700);
  });
});
