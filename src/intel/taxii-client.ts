/**
 * Pulls a TAXII 2.1 collection (TAXII 2.1 section 5.4): objects added after the last pull, page by
 * page with `limit` and `next`, never following redirects (each URL is checked before it is used).
 */
import { TAXII_MEDIA } from "./taxii-media.ts";

export interface TaxiiSource {
  /** The API root, e.g. https://tip.example/taxii2/root/ */
  url: URL;
  collectionId: string;
  username: string | null;
  password: string | null;
}

export interface TaxiiPull {
  objects: unknown[];
  /** The latest X-TAXII-Date-Added-Last seen: where the next pull starts. */
  addedLast: string | undefined;
}

const PAGE = 1_000;
/** A collection that keeps saying "more" is cut off here; the next pull goes on from where this one stopped. */
const MAX_PAGES = 1_000;
const TIMEOUT_MS = 60_000;

export async function pullCollection(source: TaxiiSource, addedAfter: string | null): Promise<TaxiiPull> {
  const root = source.url.href.endsWith("/") ? source.url.href : `${source.url.href}/`;
  const objectsUrl = new URL(`collections/${encodeURIComponent(source.collectionId)}/objects/`, root);
  const objects: unknown[] = [];
  let addedLast: string | undefined;
  let next: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(objectsUrl);
    url.searchParams.set("limit", String(PAGE));
    if (addedAfter) url.searchParams.set("added_after", addedAfter);
    if (next) url.searchParams.set("next", next);
    const { body, last } = await getEnvelope(url, source);
    objects.push(...(Array.isArray(body.objects) ? body.objects : []));
    if (last && (!addedLast || last > addedLast)) addedLast = last;
    next = body.more === true && typeof body.next === "string" ? body.next : undefined;
    if (!next) break;
  }
  return { objects, addedLast };
}

async function getEnvelope(url: URL, source: TaxiiSource) {
  const headers: Record<string, string> = { accept: TAXII_MEDIA };
  if (source.username !== null)
    headers.authorization = `Basic ${Buffer.from(`${source.username}:${source.password ?? ""}`).toString("base64")}`;
  const res = await fetch(url, { headers, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status !== 200)
    throw new Error(`${url.pathname} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const type = res.headers.get("content-type") ?? "";
  if (!/^application\/taxii\+json/i.test(type)) throw new Error(`${url.pathname} answered ${type}, not TAXII 2.1`);
  const body = (await res.json()) as { objects?: unknown; more?: unknown; next?: unknown };
  return { body, last: res.headers.get("x-taxii-date-added-last") ?? undefined };
}
