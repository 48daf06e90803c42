/**
 * Slide actions shared by the moderator tablet and the speaker view. A presentation clicker can
 * press faster than acks come back: each press aims one page past the last page asked for (not
 * the last one confirmed), so two quick presses move two pages, and never past the deck's end.
 */
import { t } from '../i18n/index.ts';
import { run } from './commands.ts';
import { defineSlice, part, useStore } from './store.ts';

export interface SlidesSlice {
  slides: {
    /** The page last asked for and not yet shown on stage (null: none, presses go on from the stage's). */
    target: number | null;
    /**
     * The server acknowledged `target` but its state has not arrived yet (a state may come after the
     * ack: broadcasts leave after it, and through the Redis adapter across processes). Until the page
     * on stage moves, presses go on from `target`, not from the page still shown.
     */
    acked: boolean;
  };
}

/** A target belongs to the connection it was sent over. */
defineSlice({ initial: (): SlidesSlice => ({ slides: { target: null, acked: false } }), lifetime: 'connection' });

const slides = part('slides');

useStore.subscribe((state, previous) => {
  if (state.slides.acked && state.live?.stage.slide?.page !== previous.live?.stage.slide?.page) {
    slides.set({ target: null, acked: false });
  }
});

/** The on-stage item's deck size (0: no deck) and the page shown now. */
export function currentSlide(): { page: number; pageCount: number } | null {
  const live = useStore.getState().live;
  const slide = live?.stage.slide;
  if (!live || !slide) return null;
  const item = live.agenda.find((i) => i.id === slide.itemId);
  return { page: slide.page, pageCount: item?.slides.pageCount ?? 0 };
}

/** Goes to a page (1-based); within the deck when there is one. */
export async function gotoSlide(page: number): Promise<boolean> {
  const now = currentSlide();
  if (!now) return run('slide', t('slides.slide'), 'slide:goto', { page: Math.max(1, page) });
  const wanted = Math.max(1, now.pageCount > 0 ? Math.min(page, now.pageCount) : page);
  if (wanted === (slides.get().target ?? now.page)) return false;
  slides.set({ target: wanted, acked: false });
  const ok = await run(`slide:${wanted}`, t('slides.slideN', { n: wanted }), 'slide:goto', { page: wanted });
  if (slides.get().target === wanted) {
    if (ok && currentSlide()?.page !== wanted) slides.set({ acked: true });
    else slides.set({ target: null });
  }
  return ok;
}

/** One page on (+1) or back (−1) from the last page asked for. */
export function stepSlide(delta: 1 | -1): Promise<boolean> {
  const now = currentSlide();
  const to = (slides.get().target ?? now?.page ?? 0) + delta;
  if (!now || to < 1 || (now.pageCount > 0 && to > now.pageCount)) {
    // Nothing on stage, or past an end: the server's refusal says why.
    return run('slide', delta > 0 ? t('mod.nextSlide') : t('mod.prevSlide'), delta > 0 ? 'slide:next' : 'slide:prev', {});
  }
  return gotoSlide(to);
}

/** Shows or hides the speaker-and-timer overlay on the projector's slide mode. */
export function setProjectorOverlay(visible: boolean): Promise<boolean> {
  return run('overlay', visible ? t('slides.overlayShow') : t('slides.overlayHide'), 'projector:overlay', { visible });
}
