import { WardenApiError, type WardenClient } from "./client.ts";
import type { paths } from "./openapi-types.ts";

type GetPath = "/public_api/v1/indicators/get" | "/public_api/v1/bioc/get";
type GetBody<P extends GetPath> = paths[P]["post"]["requestBody"]["content"]["application/json"]["request_data"];
type GetReply<P extends GetPath> = paths[P]["post"]["responses"][200]["content"]["application/json"];
export type Filter = NonNullable<GetBody<"/public_api/v1/indicators/get">["filters"]>[number];
export type IocObject = GetReply<"/public_api/v1/indicators/get">["objects"][number];
export type BiocObject = GetReply<"/public_api/v1/bioc/get">["objects"][number];

/** The contract allows at most 10,000 objects per get call. */
export const MAX_PAGE = 10_000;

/**
 * Pages through a get endpoint (search_from/search_to) until `objects_count` objects were seen.
 * Pages are fetched in rule_id order, so a rule inserted meanwhile may shift one page's window:
 * callers that need an exact snapshot should not write while they read.
 */
export async function* pages<P extends GetPath>(
  client: WardenClient,
  path: P,
  filters: Filter[] = [],
  pageSize = 5_000,
): AsyncGenerator<GetReply<P>["objects"]> {
  const size = Math.min(Math.max(1, pageSize), MAX_PAGE);
  for (let from = 0; ; from += size) {
    const request_data = { extended_view: true, filters, search_from: from, search_to: from + size };
    // The two get routes share one request shape; the cast only picks the route.
    const { data, error, response } = await client.api.POST(path as "/public_api/v1/indicators/get", {
      body: { request_data },
    });
    if (!data) throw new WardenApiError(response.status, error);
    const reply = data as GetReply<P>;
    if (reply.objects.length > 0) yield reply.objects;
    if (reply.objects.length < size || from + size >= reply.objects_count) return;
  }
}

/** Every object a get endpoint holds for the filters, read page by page. */
export async function getAll<P extends GetPath>(
  client: WardenClient,
  path: P,
  filters: Filter[] = [],
): Promise<GetReply<P>["objects"]> {
  const all: GetReply<P>["objects"][number][] = [];
  for await (const page of pages(client, path, filters)) for (const object of page) all.push(object);
  return all as GetReply<P>["objects"];
}
