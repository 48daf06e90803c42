/**
 * Questions in each reader's language (PROTOCOL "Machine translation on the box"):
 * `Question.translation` is `{ lang, text }` in the receiving socket's language, or null when that is
 * the question's own language or no pair reaches it. A question is translated once per language (the
 * engine caches by (from, to, text) and shares requests in flight), starting when it is created, so
 * the broadcasts that follow find it done. Nothing here delays an ask's acknowledgement: copies sent
 * to a reader wait for a translation at most `waitMs`, then go without it, and `late` is told when
 * it arrives after all (the caller sends that copy again, translated).
 */
import type { Question } from '../../shared/questions.ts';
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
    if (!this.engine) return;
    for (const l of langs) if (l !== question.lang && this.engine.reach(question.lang, l)) void this.engine.translate(question.text, question.lang, l);
  }

  /** One question's translation into `lang` (null: its own language, unreachable, failed, not in time). */
  async one(question: Pick<Question, 'text' | 'lang'>, lang: string, late?: (t: Translation) => void): Promise<Translation | null> {
    const { engine } = this;
    if (!engine || lang === question.lang || !engine.reach(question.lang, lang)) return null;
    let timer: NodeJS.Timeout | undefined;
    const tooLate = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.waitMs);
      timer.unref();
    });
    const pending = engine.translate(question.text, question.lang, lang);
    const text = await Promise.race([pending, tooLate]);
    clearTimeout(timer);
    if (text === 'late') {
      if (late) void pending.then((t) => t !== null && late({ lang, text: t }));
      return null;
    }
    return text === null ? null : { lang, text };
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
