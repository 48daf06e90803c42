/**
 * A flush that runs at once when idle, then at most once per window per event, across every server
 * process (`claim`: a slot of the backend's Ephemeral). Questions, ratings, participation and polls
 * are paced by it, so a storm of changes costs a bounded number of broadcasts.
 */
export class Throttled {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private dirty = false;
  private stopped = false;

  constructor(
    private readonly claim: () => Promise<number>,
    private readonly flush: () => Promise<void> | void,
    private readonly windowMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Something changed: flush now if idle, else after the current window. */
  mark(): void {
    this.dirty = true;
    if (!this.timer && !this.running) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, ms);
    this.timer.unref?.();
  }

  private async run() {
    this.running = true;
    let wait = 0;
    try {
      // A store that cannot be asked must not silence the room: flush from what we hold.
      wait = await this.claim().catch(() => 0);
      if (wait === 0) {
        this.dirty = false;
        await this.flush();
      }
    } catch (err) {
      this.dirty = true;
      this.onError(err);
    } finally {
      this.running = false;
    }
    if (wait > 0) this.schedule(wait);
    else if (this.dirty) this.schedule(this.windowMs);
  }
}
