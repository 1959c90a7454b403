/** TAXII feeds as the HTTP API shows them: snake_case, the last pull's counts parsed, never a password. */
import Type from "typebox";
import type { FeedView } from "../../intel/feed-service.ts";

const Counts = Type.Object({
  objects: Type.Integer({ description: "Objects the pull received" }),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  deleted: Type.Integer(),
  rejected: Type.Integer({ description: "Objects that could not become rules" }),
});
type Counts = Type.Static<typeof Counts>;

export const FeedObject = Type.Object({
  name: Type.String(),
  url: Type.String({ description: "The TAXII 2.1 API root" }),
  collection_id: Type.String(),
  username: Type.Union([Type.String(), Type.Null()]),
  has_password: Type.Boolean({ description: "Whether a password is kept (sealed; it is never returned)" }),
  poll_seconds: Type.Integer(),
  added_after: Type.Union([Type.String(), Type.Null()], { description: "Where the next pull starts" }),
  last_pull_at: Type.Union([Type.Integer(), Type.Null()], { description: "Epoch milliseconds" }),
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_counts: Type.Union([Counts, Type.Null()]),
});
export type FeedObject = Type.Static<typeof FeedObject>;

export function feedToWire(feed: FeedView): FeedObject {
  return {
    name: feed.name,
    url: feed.url,
    collection_id: feed.collectionId,
    username: feed.username,
    has_password: feed.hasPassword,
    poll_seconds: feed.pollSeconds,
    added_after: feed.addedAfter,
    last_pull_at: feed.lastPullAt,
    last_error: feed.lastError,
    last_counts: parseCounts(feed.lastSummary),
  };
}

/** The stored summary is JSON written by FeedService; anything else (an older shape) shows as none. */
function parseCounts(summary: string | null): Counts | null {
  if (summary === null) return null;
  try {
    const value = JSON.parse(summary) as Partial<Record<keyof Counts, unknown>>;
    const keys = ["objects", "created", "updated", "unchanged", "deleted", "rejected"] as const;
    if (!keys.every((key) => Number.isInteger(value[key]))) return null;
    return Object.fromEntries(keys.map((key) => [key, value[key]])) as Counts;
  } catch {
    return null;
  }
}
