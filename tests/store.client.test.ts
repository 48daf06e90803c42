/**
 * The client's one store (client/src/store/store.ts): every slice's module adds its part with its
 * lifetime, and `resetSession()` (what net/socket.ts calls when a page closes or changes its
 * connection) puts back every part whose lifetime is the connection — whatever the part, by its
 * declaration, not by a list kept by hand — and leaves the report, whose screen owns it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../shared/questions.ts';
import { defineSlice, part, resetSession, useStore, type TribuneStore } from '../client/src/store/store.ts';

const STORE_DIR = path.resolve(import.meta.dirname, '../client/src/store');

let initial: TribuneStore;
beforeAll(async () => {
  // Every slice module there is, so that a slice added later is covered without editing this test.
  for (const f of fs.readdirSync(STORE_DIR).filter((f) => f.endsWith('.ts'))) await import(path.join(STORE_DIR, f));
  initial = structuredClone(useStore.getState());
});

describe('the client store', () => {
  it('holds every slice, each under keys of its own', () => {
    expect(Object.keys(initial).sort()).toEqual(
      ['captions', 'clockOffset', 'conn', 'live', 'optimistic', 'outcome', 'pending', 'polls', 'questions', 'report', 'slides'].sort(),
    );
    expect(() => defineSlice({ initial: () => ({ live: null }), lifetime: 'connection' })).toThrow(/overlap/);
  });

  it('resetSession puts back every slice of the connection, and only those', async () => {
    const { applyQuestion, useQuestions } = await import('../client/src/store/questions.ts');
    const { applyStatus, useCaptions } = await import('../client/src/store/captions.ts');
    const { setConnStatus } = await import('../client/src/store/conn.ts');
    const { setSummaries, useReport } = await import('../client/src/store/report.ts');
    // Through the actions where they are simple to call...
    applyQuestion({ id: 'q1', text: 't', lang: 'fr', itemId: null, table: null, author: null, votes: 1, status: 'live', createdAt: 1, rev: 1 } as Question);
    applyStatus({ langs: {} } as never);
    setConnStatus('connected');
    expect(useQuestions.getState().byId.q1).toBeDefined();
    expect(useCaptions.getState().status).toEqual({ langs: {} });
    // ...and every key of the store changed, so that nothing escapes the check.
    useStore.setState({ report: { ...initial.report, loading: true } });
    const dirty = Object.fromEntries(Object.keys(initial).filter((k) => k !== 'report').map((k) => [k, `dirty ${k}`]));
    useStore.setState(dirty as never);

    resetSession();
    const after = useStore.getState();
    for (const key of Object.keys(initial) as (keyof TribuneStore)[]) {
      if (key === 'report') expect(after.report.loading, 'the report is its screen’s').toBe(true);
      else expect(after[key], key).toEqual(initial[key]);
    }
    setSummaries({});
    expect(useReport.getState().loading).toBe(true);
  });

  it('a part is read and written under its key; a part set to itself changes nothing', async () => {
    const { useQuestions, resetQuestions } = await import('../client/src/store/questions.ts');
    resetQuestions();
    const questions = part('questions');
    let calls = 0;
    const stop = useStore.subscribe(() => calls++);
    const before = useStore.getState();
    questions.set((q) => q);
    expect(useStore.getState()).toBe(before);
    expect(calls).toBe(0);
    questions.set({ loaded: true });
    expect(calls).toBe(1);
    expect(useQuestions.getState()).toEqual({ ...before.questions, loaded: true });
    expect(useStore.getState().live).toBe(before.live);
    stop();
  });
});
