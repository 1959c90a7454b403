/** At most `size` holders at once; `acquire` waits for a free slot. */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idle: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The slot passes straight to the next waiter, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.used--;
    if (this.used === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Resolves once no slot is held. */
  async drained(): Promise<void> {
    if (this.used > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }
}
