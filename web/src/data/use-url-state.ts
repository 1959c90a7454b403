import { useEffect, useState } from "preact/hooks";

/** The query part of the hash route (`#/iocs?type=IP&sort=indicator`). */
function hashParams(): URLSearchParams {
  const [, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  return new URLSearchParams(query);
}

/**
 * A list's filters, sort and page live in the URL, so Back, reload and a pasted link show the same
 * list. Each change is one history entry; an empty value removes its key.
 */
export function useUrlState(): [URLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const [params, setParams] = useState(hashParams);
  useEffect(() => {
    const onHash = () => setParams(hashParams());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  const update = (changes: Record<string, string | undefined>) => {
    const next = hashParams();
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const [page = ""] = location.hash.replace(/^#\/?/, "").split("?");
    const query = next.toString();
    location.hash = `#/${page}${query ? `?${query}` : ""}`;
  };
  return [params, update];
}
