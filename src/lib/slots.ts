/** Counts what is held of `size` places, and wakes whoever waits for one to come free. */
export class Slots {
  private used = 0;
  private wakers: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get free(): number {
    return this.size - this.used;
  }

  /** The caller has checked there is room (see `someFree`). */
  take(): void {
    this.used++;
  }

  release(): void {
    this.used--;
    for (const wake of this.wakers.splice(0)) wake();
  }

  /** How many are free, once at least one is. */
  async someFree(): Promise<number> {
    while (this.free === 0) await new Promise<void>((resolve) => this.wakers.push(resolve));
    return this.free;
  }

  /** Resolves once nothing is held. */
  async drained(): Promise<void> {
    while (this.used > 0) await new Promise<void>((resolve) => this.wakers.push(resolve));
  }
}
