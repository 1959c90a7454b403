/** Previous / next over a server-paged list, with where the page stands in the total. */
export function Pager({
  from,
  size,
  total,
  onMove,
  testId,
  empty = "No rules",
}: { from: number; size: number; total: number; onMove: (from: number) => void; testId?: string; empty?: string }) {
  return (
    <p class="pager">
      <button type="button" disabled={from === 0} onClick={() => onMove(Math.max(0, from - size))}>
        Previous
      </button>
      <span data-testid={testId}>{total === 0 ? empty : `${from + 1}-${Math.min(from + size, total)} of ${total}`}</span>
      <button type="button" disabled={from + size >= total} onClick={() => onMove(from + size)}>
        Next
      </button>
    </p>
  );
}
