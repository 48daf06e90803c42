/**
 * On-device machine translation, where the browser has one (the Translator API: Chrome 138+ on
 * desktop, behind a model download). Nothing leaves the phone. Offered only while the phone shows
 * the floor language's captions because nobody captions its own; always labelled as machine
 * translation. Fixed segments only: text still being typed changes too often.
 */
import { useEffect, useRef, useState } from 'react';
import { useLangCaptions } from '../../store/captions.ts';

interface TranslatorLike {
  translate(text: string): Promise<string>;
  destroy?(): void;
}
interface TranslatorApi {
  availability(o: { sourceLanguage: string; targetLanguage: string }): Promise<string>;
  create(o: { sourceLanguage: string; targetLanguage: string }): Promise<TranslatorLike>;
}

function api(): TranslatorApi | null {
  const t = (globalThis as { Translator?: TranslatorApi }).Translator;
  return t && typeof t.create === 'function' && typeof t.availability === 'function' ? t : null;
}

export function useDeviceTranslation(source: string | null, target: string) {
  const [offer, setOffer] = useState(false);
  const [on, setOn] = useState(false);
  const [error, setError] = useState(false);
  const [translations, setTranslations] = useState<Record<string, string>>({});
  const translator = useRef<TranslatorLike | null>(null);
  const done = useRef(new Map<string, number>());
  const list = useLangCaptions(source);

  // Is there a translator for this pair on this device?
  useEffect(() => {
    setOn(false);
    setError(false);
    setTranslations({});
    done.current.clear();
    const a = api();
    if (!a || !source || source === target) {
      setOffer(false);
      return;
    }
    let cancelled = false;
    a.availability({ sourceLanguage: source, targetLanguage: target }).then(
      (v) => !cancelled && setOffer(v !== 'unavailable' && v !== 'no'),
      () => !cancelled && setOffer(false),
    );
    return () => {
      cancelled = true;
      translator.current?.destroy?.();
      translator.current = null;
    };
  }, [source, target]);

  // Translate each fixed segment once per version.
  useEffect(() => {
    const tr = translator.current;
    if (!on || !tr) return;
    for (const c of list) {
      if (!c.final || done.current.get(c.id) === c.seq) continue;
      done.current.set(c.id, c.seq);
      tr.translate(c.text).then(
        (text) => setTranslations((m) => ({ ...m, [c.id]: text })),
        () => setError(true),
      );
    }
  }, [on, list]);

  return {
    offer,
    on,
    error,
    translations,
    async enable() {
      const a = api();
      if (!a || !source) return;
      try {
        // Needs the tap (user activation) when the model must be downloaded first.
        translator.current = await a.create({ sourceLanguage: source, targetLanguage: target });
        setOn(true);
      } catch {
        setError(true);
      }
    },
    disable() {
      setOn(false);
      setTranslations({});
      done.current.clear();
    },
  };
}
