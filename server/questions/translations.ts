/**
 * Questions in each reader's language (PROTOCOL "Machine translation on the box"):
 * `Question.translation` is `{ lang, text }` in the receiving socket's language, or null when that is
 * the question's own language or no pair reaches it. A question is translated once per language (the
 * engine caches by (from, to, text) and shares requests in flight), starting when it is created, so
 * the broadcasts that follow find it done. Nothing here delays an ask's acknowledgement: copies sent
 * to a reader wait for a translation at most `waitMs`, then go without it, and `late` is told when
 * it arrives after all (the caller sends that copy again, translated). Polls use it too (`texts`:
 * a poll's question and options, all or none), as does `eventLanguages`.
 */
import type { Question } from '../../shared/questions.ts';
import type { Store } from '../store/types.ts';
import type { TranslationEngine } from '../translate/engine.ts';

export type Translation = NonNullable<Question['translation']>;

export class QuestionTranslations {
  constructor(
    private readonly engine: TranslationEngine | null,
    private readonly waitMs = 1_500,
  ) {}

  get enabled(): boolean {
    return this.engine !== null;
  }

  /** Starts translating into every language that will read it. */
  prefetch(question: Pick<Question, 'text' | 'lang'>, langs: readonly string[]): void {
    this.prefetchTexts([question.text], question.lang, langs);
  }

  /** One question's translation into `lang` (null: its own language, unreachable, failed, not in time). */
  async one(question: Pick<Question, 'text' | 'lang'>, lang: string, late?: (t: Translation) => void): Promise<Translation | null> {
    const out = await this.texts([question.text], question.lang, lang, late && (([text]) => late({ lang, text: text! })));
    return out === null ? null : { lang, text: out[0]! };
  }

  /**
   * Several texts of one item (a poll's question and options) from `from` into `lang`, all or none
   * (null: the same language, unreachable, one failed, or not in `waitMs`; then `late` gets them
   * when they come). `waitMs` 0: only what the engine already holds (never delays an answer).
   */
  async texts(texts: readonly string[], from: string, lang: string, late?: (t: string[]) => void, waitMs = this.waitMs): Promise<string[] | null> {
    const { engine } = this;
    if (!engine || lang === from || !engine.reach(from, lang)) return null;
    let timer: NodeJS.Timeout | undefined;
    const tooLate = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), waitMs);
      timer.unref();
    });
    const pending = Promise.all(texts.map((t) => engine.translate(t, from, lang))).then((all) => (all.some((t) => t === null) ? null : (all as string[])));
    const out = await Promise.race([pending, tooLate]);
    clearTimeout(timer);
    if (out === 'late') {
      if (late) void pending.then((t) => t !== null && late(t));
      return null;
    }
    return out;
  }

  /** Starts translating several texts of one item into every language that will read it. */
  prefetchTexts(texts: readonly string[], from: string, langs: readonly string[]): void {
    if (!this.engine) return;
    for (const l of langs) if (l !== from && this.engine.reach(from, l)) for (const t of texts) void this.engine.translate(t, from, l);
  }

  /** The questions as a reader of `lang` receives them; `late` gets those whose translation came after. */
  async into<Q extends Pick<Question, 'text' | 'lang'>>(
    questions: Q[],
    lang: string,
    late?: (q: Q & { translation: Translation }) => void,
  ): Promise<(Q & { translation: Translation | null })[]> {
    if (!this.engine) return questions.map((q) => ({ ...q, translation: null }));
    const out = await Promise.all(questions.map((q) => this.one(q, lang, late && ((translation) => late({ ...q, translation })))));
    return questions.map((q, n) => ({ ...q, translation: out[n]! }));
  }
}

/** An event's languages (fixed at creation), floor first, read once per event from `live`. */
export function eventLanguages(live: Pick<Store, 'getState'>): (eventId: string) => Promise<string[]> {
  const known = new Map<string, string[]>();
  return async (eventId) => {
    const cached = known.get(eventId);
    if (cached) return cached;
    const langs = (await live.getState(eventId))?.event.languages ?? [];
    if (langs.length) known.set(eventId, langs);
    return langs;
  };
}
