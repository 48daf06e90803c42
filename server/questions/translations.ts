/**
 * Questions in each reader's language (PROTOCOL "Machine translation on the box"):
 * `Question.translation` is `{ lang, text }` in the receiving socket's language, or null when that is
 * the question's own language or no pair reaches it. A question is translated once per language (the
 * engine caches by (from, to, text) and shares requests in flight), starting when it is created, so
 * the broadcasts that follow find it done. Nothing here delays an ask's acknowledgement: copies sent
 * to a reader wait for a translation at most `waitMs`, then go without it (the next copy has it).
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
  async one(question: Pick<Question, 'text' | 'lang'>, lang: string): Promise<Translation | null> {
    const { engine } = this;
    if (!engine || lang === question.lang || !engine.reach(question.lang, lang)) return null;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.waitMs);
      timer.unref();
    });
    const text = await Promise.race([engine.translate(question.text, question.lang, lang), late]);
    clearTimeout(timer);
    return text === null ? null : { lang, text };
  }

  /** The questions as a reader of `lang` receives them. */
  async into<Q extends Pick<Question, 'text' | 'lang'>>(questions: Q[], lang: string): Promise<(Q & { translation: Translation | null })[]> {
    if (!this.engine) return questions.map((q) => ({ ...q, translation: null }));
    const out = await Promise.all(questions.map((q) => this.one(q, lang)));
    return questions.map((q, n) => ({ ...q, translation: out[n]! }));
  }
}
