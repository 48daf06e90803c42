/**
 * The captions slice: its own small zustand store, fed by the page's socket (net/socket.ts).
 * Kept apart from the live-state store so a caption update never re-renders the stage.
 */
import { create } from 'zustand';
import type {
  Caption,
  CaptionAudience,
  CaptionDisplay,
  CaptionHistory,
  CaptionStatus,
  Glossary,
} from '../../../shared/captions.ts';
import { mergeCaption, mergeHistory } from '../lib/captions.ts';

export interface CaptionsState {
  /** Segments per language, in the order they first appeared. */
  byLang: Record<string, readonly Caption[]>;
  status: CaptionStatus | null;
  audience: CaptionAudience | null;
  glossary: Glossary | null;
  display: CaptionDisplay | null;
  /** The language of the last `captions:history` (an interpreter's own language: its token's). */
  historyLang: string | null;
}

const initial: CaptionsState = { byLang: {}, status: null, audience: null, glossary: null, display: null, historyLang: null };

export const useCaptions = create<CaptionsState>()(() => ({ ...initial }));

export function applyCaption(c: Caption): void {
  useCaptions.setState((s) => {
    const list = s.byLang[c.lang] ?? [];
    const next = mergeCaption(list, c);
    return next === list ? s : { byLang: { ...s.byLang, [c.lang]: next } };
  });
}

export function applyHistory(h: CaptionHistory): void {
  useCaptions.setState((s) => ({ byLang: { ...s.byLang, [h.lang]: mergeHistory(s.byLang[h.lang] ?? [], h) }, historyLang: h.lang }));
}

export const applyStatus = (status: CaptionStatus) => useCaptions.setState({ status });
export const applyAudience = (audience: CaptionAudience) => useCaptions.setState({ audience });
export const applyGlossary = (glossary: Glossary) => useCaptions.setState({ glossary });
export const applyDisplay = (display: CaptionDisplay) => useCaptions.setState({ display });

/** Forgets the captions of a language this screen no longer follows. */
export function forgetLanguage(lang: string): void {
  useCaptions.setState((s) => {
    if (!(lang in s.byLang)) return s;
    const byLang = { ...s.byLang };
    delete byLang[lang];
    return { byLang };
  });
}

export function resetCaptions(): void {
  useCaptions.setState({ ...initial });
}

const EMPTY: readonly Caption[] = [];
/** The segments of one language (a stable empty list when there are none). */
export const useLangCaptions = (lang: string | null | undefined) => useCaptions((s) => (lang ? (s.byLang[lang] ?? EMPTY) : EMPTY));
