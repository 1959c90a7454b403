import { QueryClient } from "@tanstack/preact-query";
import { ApiError } from "../api.ts";

/**
 * One cache for the console's server state. A refused request (4xx) is not retried: the answer
 * will not change. A network failure is retried once. Lists are fresh for a few seconds so moving
 * back to a page paints at once, and writes invalidate what they touched.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 1,
      },
      mutations: { retry: false },
    },
  });
}
