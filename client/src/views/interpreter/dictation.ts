/**
 * Dictation through the browser's speech recognition (Web Speech API: Chrome, Edge, Safari).
 * Recognition runs in the interpreter's language, with interim results; browsers end it after a
 * silence or a minute, so it restarts by itself while the microphone is on. Where there is none (or
 * the page is not a secure context, which the microphone needs), `unavailable` says why.
 *
 * The venue has no internet: where the browser recognises the language on the device
 * (`SpeechRecognition.available({langs, processLocally: true})`, Chrome's on-device recognition),
 * recognition is asked to run there (`processLocally`); where the language pack can be installed,
 * `install()` does it (once, while online); elsewhere `local` says dictation needs the internet.
 */
import { useEffect, useRef, useState } from 'react';

interface RecognitionResult {
  readonly isFinal: boolean;
  readonly 0: { transcript: string };
}
interface RecognitionEvent {
  resultIndex: number;
  results: ArrayLike<RecognitionResult>;
}
interface Recognition {
  lang: string;
  processLocally?: boolean;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((e: RecognitionEvent) => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}
type SpeechOptions = { langs: string[]; processLocally?: boolean };
type RecognitionCtor = (new () => Recognition) & {
  available?(o: SpeechOptions): Promise<string>;
  install?(o: SpeechOptions): Promise<boolean>;
};

/** On-device recognition of a language: as the browser says, or `unknown` (no such API). */
export type LocalSpeech = 'available' | 'downloadable' | 'downloading' | 'unavailable' | 'unknown';
const LOCAL_STATES: readonly LocalSpeech[] = ['available', 'downloadable', 'downloading', 'unavailable'];

export async function onDeviceSpeech(lang: string): Promise<LocalSpeech> {
  const Ctor = recognitionCtor();
  if (!Ctor || typeof Ctor.available !== 'function') return 'unknown';
  try {
    const v = await Ctor.available({ langs: [lang], processLocally: true });
    return (LOCAL_STATES as readonly string[]).includes(v) ? (v as LocalSpeech) : 'unknown';
  } catch {
    return 'unknown';
  }
}

export type DictationProblem = 'unsupported' | 'insecure' | 'denied' | 'failed' | null;

function recognitionCtor(): RecognitionCtor | null {
  const w = globalThis as { SpeechRecognition?: RecognitionCtor; webkitSpeechRecognition?: RecognitionCtor };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
}

export function dictationUnavailable(): DictationProblem {
  if (!recognitionCtor()) return 'unsupported';
  if (typeof window !== 'undefined' && !window.isSecureContext) return 'insecure';
  return null;
}

export function useDictation(lang: string | null, handlers: { onInterim(text: string): void; onFinal(text: string): void }) {
  const [on, setOn] = useState(false);
  const [problem, setProblem] = useState<DictationProblem>(() => dictationUnavailable());
  const wanted = useRef(false);
  const rec = useRef<Recognition | null>(null);
  const h = useRef(handlers);
  h.current = handlers;
  const restarts = useRef(0);
  const [local, setLocal] = useState<LocalSpeech>('unknown');
  const localRef = useRef<LocalSpeech>('unknown');
  localRef.current = local;

  useEffect(() => {
    let live = true;
    if (lang) void onDeviceSpeech(lang).then((s) => live && setLocal(s));
    return () => {
      live = false;
    };
  }, [lang]);

  function begin() {
    const Ctor = recognitionCtor();
    if (!Ctor || !lang) return;
    const r = new Ctor();
    r.lang = lang;
    // Recognised on the device: no internet needed (the venue has none).
    if (localRef.current === 'available') r.processLocally = true;
    r.continuous = true;
    r.interimResults = true;
    r.onresult = (e) => {
      restarts.current = 0;
      let interim = '';
      let final = '';
      for (let i = e.resultIndex; i < e.results.length; i++) {
        const res = e.results[i]!;
        if (res.isFinal) final += res[0].transcript;
        else interim += res[0].transcript;
      }
      if (final.trim()) h.current.onFinal(final.trim());
      h.current.onInterim(interim.trim());
    };
    r.onerror = (e) => {
      if (e.error === 'not-allowed' || e.error === 'service-not-allowed') {
        wanted.current = false;
        setOn(false);
        setProblem('denied');
      } else if (e.error !== 'no-speech' && e.error !== 'aborted') {
        setProblem('failed');
      }
    };
    r.onend = () => {
      h.current.onInterim('');
      if (!wanted.current) return;
      // The browser stopped after a silence: start again (backing off if it keeps failing).
      const delay = Math.min(200 * 2 ** restarts.current, 5000);
      restarts.current++;
      setTimeout(() => wanted.current && begin(), delay);
    };
    rec.current = r;
    try {
      r.start();
    } catch {
      setProblem('failed');
    }
  }

  useEffect(
    () => () => {
      wanted.current = false;
      rec.current?.abort();
    },
    [],
  );

  return {
    on,
    problem,
    local,
    /** Installs the language pack for on-device recognition (needs the internet once); false: it could not. */
    async install(): Promise<boolean> {
      const Ctor = recognitionCtor();
      if (!Ctor?.install || !lang) return false;
      setLocal('downloading');
      let ok = false;
      try {
        ok = await Ctor.install({ langs: [lang], processLocally: true });
      } catch {
        ok = false;
      }
      setLocal(await onDeviceSpeech(lang));
      return ok;
    },
    toggle() {
      if (wanted.current) {
        wanted.current = false;
        setOn(false);
        rec.current?.stop();
        return;
      }
      if (dictationUnavailable()) return;
      setProblem(null);
      wanted.current = true;
      restarts.current = 0;
      setOn(true);
      begin();
    },
  };
}
