import type { UseQueryResult } from "@tanstack/preact-query";

/**
 * The same loading and error line on every list: "Loading…" while an answer is on its way (the
 * last page stays visible, dimmed, until it comes), the API's message when it fails.
 */
export function ListState({ query, what = "rules" }: { query: UseQueryResult<unknown>; what?: string }) {
  if (query.isError) {
    return (
      <p role="alert" class="error">
        {query.error.message}
      </p>
    );
  }
  return query.isFetching ? (
    <p class="loading" data-testid="loading">
      Loading {what}…
    </p>
  ) : null;
}
