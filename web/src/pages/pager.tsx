/** Previous / next over a server-paged list, with where the page stands in the total. */
export function Pager({
  from,
  size,
  total,
  onMove,
  testId,
  empty = "No rules",
  loading = false,
  stale = false,
}: {
  from: number;
  size: number;
  total: number;
  onMove: (from: number) => void;
  testId?: string;
  empty?: string;
  /** True before the first answer: "Loading…", never a false "No rules". */
  loading?: boolean;
  /** True while the rows on screen are still the previous page's: the label never claims rows not yet shown. */
  stale?: boolean;
}) {
  const where = loading || stale ? "Loading…" : total === 0 ? empty : `${from + 1}-${Math.min(from + size, total)} of ${total}`;
  return (
    <p class="pager">
      <button type="button" disabled={from === 0} onClick={() => onMove(Math.max(0, from - size))}>
        Previous
      </button>
      <span data-testid={testId}>{where}</span>
      <button type="button" disabled={loading || from + size >= total} onClick={() => onMove(from + size)}>
        Next
      </button>
    </p>
  );
}
