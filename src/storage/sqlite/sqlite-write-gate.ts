/**
 * Writes on one SQLite file, one at a time. A bulk write holds the file's write lock across many
 * turns of the event loop (sqlite-bulk-writes.ts); a write on the main connection meanwhile would
 * wait for that lock inside SQLite's busy handler, which sleeps on the event loop's thread and
 * stalls every request. So writes queue here instead, in the order they came, and a write that
 * finds the gate free runs at once.
 */
export type WriteGate = <T>(work: () => Promise<T>) => Promise<T>;

export function writeGate(): WriteGate {
  let last: Promise<unknown> = Promise.resolve();
  let active = 0;
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = active === 0 ? work() : last.then(work);
    active += 1;
    const settle = () => {
      active -= 1;
    };
    last = run.then(settle, settle);
    return run;
  };
}
