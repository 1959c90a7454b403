/**
 * The API counts XQL columns from 0 (the seed's `|alter2` at column 19); people count from 1.
 * Every place the console shows a position goes through here, so the page says one thing.
 */
export interface XqlPosition {
  line: number;
  column: number;
  message: string;
}

export const describeXqlProblem = (p: XqlPosition) => `Line ${p.line}, column ${p.column + 1}: ${p.message}`;

/** Rewrites an item error such as `Failed to create bioc due to: {"line":1,"column":19,...}` in the same words. */
export function readableItemError(status: string): string {
  const at = status.indexOf("{");
  if (at < 0) return status;
  try {
    const p = JSON.parse(status.slice(at)) as Partial<XqlPosition>;
    if (typeof p.line === "number" && typeof p.column === "number" && typeof p.message === "string") {
      return `${status.slice(0, at)}${describeXqlProblem(p as XqlPosition)}`;
    }
  } catch {
    // not a position: shown as the API wrote it
  }
  return status;
}
