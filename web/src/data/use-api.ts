import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/preact-query";
import { call, type Session } from "../api.ts";

/**
 * A read through the cache, keyed by the key id, the path and the whole body: a superseded
 * request's answer lands under its own key and never paints over the current one. The previous
 * page stays on screen (marked as placeholder) while the next one loads.
 */
export function useApiQuery<T>(session: Session, path: string, body: unknown) {
  return useQuery({
    queryKey: [path, session.keyId, body],
    queryFn: ({ signal }) => call<T>(session, path, body, signal),
    placeholderData: keepPreviousData,
  });
}

/** After a write, every cached read under these paths is refetched (the ones on screen at once). */
export function useInvalidate() {
  const client = useQueryClient();
  return (...paths: string[]) => Promise.all(paths.map((path) => client.invalidateQueries({ queryKey: [path] })));
}
