/**
 * Lets the event loop answer what is waiting (a health check, another tenant's request) before
 * long work goes on: setImmediate runs after pending I/O callbacks, unlike a resolved promise.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Items handled between two turns in long per-item loops: a few milliseconds of work. */
export const ITEMS_PER_TURN = 2_000;
