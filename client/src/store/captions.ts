/**
 * The captions slice, under `captions` in the store, fed by the page's socket (net/socket.ts); it
 * resets with the connection. Screens read it through `useCaptions(select)`, whose selector runs
 * only when the captions changed, and select within the live state for the stage: a caption
 * update does not re-render the stage.
 */
import type {
  Caption,
  CaptionAudience,
  CaptionDisplay,
  CaptionHistory,
  CaptionStatus,
  Glossary,
} from '../../../shared/captions.ts';
import { mergeCaption, mergeHistory, mergeResumed } from '../lib/captions.ts';
import { defineSlice, part } from './store.ts';

export interface CaptionsState {
  /** Segments per language, in the order they first appeared. */
  byLang: Record<string, readonly Caption[]>;
  status: CaptionStatus | null;
  audience: CaptionAudience | null;
  glossary: Glossary | null;
  display: CaptionDisplay | null;
  /** The language of the last `captions:history` (an interpreter's own language: its token's). */
  historyLang: string | null;
  /**
   * Caption resume: per language, the seq up to which this screen holds every final it should (the
   * highest final it holds, or the history's `lastSeq`); sent as `auth.captionsAfter` on reconnect.
   */
  resumeFrom: Record<string, number>;
  /**
   * Languages whose `resumeFrom` waits for the history after a reconnect: a live caption arriving
   * before it does not prove the lines in between arrived.
   */
  resuming: Record<string, boolean>;
}

export interface CaptionsSlice {
  captions: CaptionsState;
}

export const resetCaptions = defineSlice({
  initial: (): CaptionsSlice => ({
    captions: {
      byLang: {},
      status: null,
      audience: null,
      glossary: null,
      display: null,
      historyLang: null,
      resumeFrom: {},
      resuming: {},
    },
  }),
  lifetime: 'connection',
});

const captions = part('captions');
export const useCaptions = captions.use;

export function applyCaption(c: Caption): void {
  captions.set((s) => {
    const list = s.byLang[c.lang] ?? [];
    const next = mergeCaption(list, c);
    if (next === list) return s;
    const moves = c.final && !s.resuming[c.lang] && c.lang in s.resumeFrom && c.seq > s.resumeFrom[c.lang]!;
    return { byLang: { ...s.byLang, [c.lang]: next }, ...(moves ? { resumeFrom: { ...s.resumeFrom, [c.lang]: c.seq } } : {}) };
  });
}

/** Applies a `captions:history`: the item on stage's, or a resumed one (it has `after`). */
export function applyHistory(h: CaptionHistory): void {
  captions.set((s) => {
    const list = s.byLang[h.lang] ?? [];
    const next = h.after === undefined ? mergeHistory(list, h) : mergeResumed(list, h);
    let from = h.lastSeq ?? 0;
    for (const c of next) if (c.final) from = Math.max(from, c.seq);
    return {
      byLang: { ...s.byLang, [h.lang]: next },
      historyLang: h.lang,
      resumeFrom: { ...s.resumeFrom, [h.lang]: from },
      resuming: { ...s.resuming, [h.lang]: false },
    };
  });
}

/** The connection dropped: each language resumes from where it was once its history is back. */
export function captionsOffline(): void {
  captions.set((s) => ({ resuming: Object.fromEntries(Object.keys(s.resumeFrom).map((l) => [l, true])) }));
}

/** `auth.captionsAfter` for the next handshake (absent when this screen holds no caption history). */
export function captionsAfter(): Record<string, number> | undefined {
  const { resumeFrom } = captions.get();
  return Object.keys(resumeFrom).length > 0 ? { ...resumeFrom } : undefined;
}

/** The `after` of `lang:set` for a language this screen holds captions of (caption resume). */
export function resumeAfter(lang: string): { after?: number } {
  const from = captions.get().resumeFrom[lang];
  return from === undefined ? {} : { after: from };
}

export const applyStatus = (status: CaptionStatus) => captions.set({ status });
export const applyAudience = (audience: CaptionAudience) => captions.set({ audience });
export const applyGlossary = (glossary: Glossary) => captions.set({ glossary });
export const applyDisplay = (display: CaptionDisplay) => captions.set({ display });

/** Forgets the captions of a language this screen no longer follows. */
export function forgetLanguage(lang: string): void {
  captions.set((s) => {
    if (!(lang in s.byLang) && !(lang in s.resumeFrom)) return s;
    const { [lang]: _list, ...byLang } = s.byLang;
    const { [lang]: _from, ...resumeFrom } = s.resumeFrom;
    return { byLang, resumeFrom };
  });
}

const EMPTY: readonly Caption[] = [];
/** The segments of one language (a stable empty list when there are none). */
export const useLangCaptions = (lang: string | null | undefined) => useCaptions((s) => (lang ? (s.byLang[lang] ?? EMPTY) : EMPTY));
