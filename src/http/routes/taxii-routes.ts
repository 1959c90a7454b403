/**
 * A read-only TAXII 2.1 server (OASIS TAXII 2.1): discovery at /taxii2/, one API root per tenant
 * (/taxii2/<tenant>/, seen only by that tenant's keys), one collection of its IOC rules as STIX 2.1
 * indicators, with objects, manifest, one object and its versions. HTTP Basic with an API key.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { KeyService } from "../../domain/keys/key-service.ts";
import type { Principal } from "../../domain/keys/principal.ts";
import { DerivedRuleIds } from "../../intel/derived-rule-ids.ts";
import { parseStixTime, stixTime } from "../../intel/stix-time.ts";
import {
  collectionId,
  decodeCursor,
  TAXII_MAX_PAGE,
  type TaxiiEntry,
  type TaxiiQuery,
  type TaxiiStore,
  taxiiPage,
} from "../../intel/taxii-collection.ts";
import { taxiiObject } from "../../intel/taxii-object.ts";
import type { Clock } from "../../lib/clock.ts";
import type { AuthLimiters } from "../plugins/auth.ts";
import { taxiiPrincipal } from "../taxii-auth.ts";
import { acceptsTaxii, STIX_MEDIA_TYPE, sendTaxii, sendTaxiiError, TAXII_MEDIA_TYPE } from "../taxii-wire.ts";

export interface TaxiiRouteDeps {
  keys: KeyService;
  limiters: AuthLimiters;
  store: TaxiiStore;
  clock: Clock;
}

const DEFAULT_PAGE = 1_000;
type Params = { root?: string; collection?: string; object?: string };
type Query = Record<string, string | undefined>;

declare module "fastify" {
  interface FastifyRequest {
    taxiiPrincipal?: Principal;
  }
}

export const taxiiRoutes: FastifyPluginAsync<TaxiiRouteDeps> = async (app, { keys, limiters, store, clock }) => {
  app.addHook("onRequest", async (request, reply) => {
    if (!acceptsTaxii(request.headers.accept)) return sendTaxiiError(reply, 406, `send Accept: ${TAXII_MEDIA_TYPE}`);
    const principal = await taxiiPrincipal(request, reply, keys, limiters);
    if (principal) request.taxiiPrincipal = principal;
  });

  /** The caller's tenant when the path names its API root (and collection); a 404 otherwise. */
  const scope = (request: FastifyRequest, reply: FastifyReply): Principal | undefined => {
    const principal = request.taxiiPrincipal as Principal;
    const { root, collection } = request.params as Params;
    const sameRoot = root?.toLowerCase() === principal.tenant.name.toLowerCase();
    if (sameRoot && (collection === undefined || collection === collectionId(principal.tenant.id))) return principal;
    sendTaxiiError(reply, 404, "no such API root or collection");
    return undefined;
  };

  app.get("/taxii2/", async (request, reply) => {
    const tenant = (request.taxiiPrincipal as Principal).tenant;
    return sendTaxii(reply, {
      title: "Warden TAXII 2.1",
      description: "IOC rules as STIX 2.1 indicators; one API root per tenant",
      default: `/taxii2/${tenant.name}/`,
      api_roots: [`/taxii2/${tenant.name}/`],
    });
  });

  app.get("/taxii2/:root/", async (request, reply) => {
    const principal = scope(request, reply);
    if (!principal) return reply;
    return sendTaxii(reply, {
      title: `IOC rules of tenant ${principal.tenant.name}`,
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: 0, // read-only: no client may add objects
    });
  });

  const collection = (principal: Principal) => ({
    id: collectionId(principal.tenant.id),
    title: "IOC rules",
    description: "Every IOC rule as a STIX 2.1 indicator; disabled, expired and deleted rules as revoked ones",
    can_read: true,
    can_write: false,
    media_types: [STIX_MEDIA_TYPE],
  });

  app.get("/taxii2/:root/collections/", async (request, reply) => {
    const principal = scope(request, reply);
    return principal ? sendTaxii(reply, { collections: [collection(principal)] }) : reply;
  });

  app.get("/taxii2/:root/collections/:collection/", async (request, reply) => {
    const principal = scope(request, reply);
    return principal ? sendTaxii(reply, collection(principal)) : reply;
  });

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = scope(request, reply);
    if (!principal) return undefined;
    const query = parseQuery(request.query as Query);
    if (typeof query === "string") return void sendTaxiiError(reply, 400, query);
    const result = await taxiiPage(store, principal.tenant.id, query, clock.now());
    addDateHeaders(reply, result.entries);
    return result;
  };

  app.get("/taxii2/:root/collections/:collection/objects/", async (request, reply) => {
    const result = await page(request, reply);
    if (!result) return reply;
    return sendTaxii(reply, envelope(result.next, { objects: result.entries.map((e) => e.object) }, result.entries));
  });

  app.get("/taxii2/:root/collections/:collection/manifest/", async (request, reply) => {
    const result = await page(request, reply);
    if (!result) return reply;
    const records = result.entries.map((e) => ({
      id: e.object.id,
      date_added: stixTime(e.dateAdded),
      version: e.object.modified,
      media_type: STIX_MEDIA_TYPE,
    }));
    return sendTaxii(reply, envelope(result.next, { objects: records }, result.entries));
  });

  // which rule each derived indicator id names, worked out once per rule (derived-rule-ids.ts)
  const derivedIds = new DerivedRuleIds();
  const oneObject = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = scope(request, reply);
    if (!principal) return undefined;
    const id = (request.params as Params).object as string;
    const entry = await taxiiObject(store, derivedIds, principal.tenant.id, id, clock.now());
    if (!entry) sendTaxiiError(reply, 404, `no object ${id} in this collection`);
    else addDateHeaders(reply, [entry]);
    return entry;
  };

  app.get("/taxii2/:root/collections/:collection/objects/:object/", async (request, reply) => {
    const entry = await oneObject(request, reply);
    return entry ? sendTaxii(reply, { more: false, objects: [entry.object] }) : reply;
  });

  app.get("/taxii2/:root/collections/:collection/objects/:object/versions/", async (request, reply) => {
    const entry = await oneObject(request, reply);
    // only the latest version of a rule is kept
    return entry ? sendTaxii(reply, { more: false, versions: [entry.object.modified] }) : reply;
  });
};

function envelope(next: string | undefined, body: { objects: unknown[] }, entries: TaxiiEntry[]) {
  if (entries.length === 0) return { more: false };
  return next === undefined ? { more: false, ...body } : { more: true, next, ...body };
}

/** TAXII 2.1 section 3.3: the first and last date_added of the page, for the next added_after. */
function addDateHeaders(reply: FastifyReply, entries: TaxiiEntry[]): void {
  const first = entries[0];
  const last = entries.at(-1);
  if (!first || !last) return;
  reply.header("x-taxii-date-added-first", stixTime(first.dateAdded));
  reply.header("x-taxii-date-added-last", stixTime(last.dateAdded));
}

const list = (value: string | undefined) =>
  value === undefined ? undefined : new Set(value.split(",").map((v) => v.trim()));

/** The URL parameters of objects and manifest (TAXII 2.1 section 3.4), or what is wrong with them. */
function parseQuery(query: Query): TaxiiQuery | string {
  let addedAfter: number | undefined;
  if (query.added_after !== undefined) {
    addedAfter = parseStixTime(query.added_after);
    if (addedAfter === undefined)
      return `added_after '${query.added_after}' is not a timestamp like 2026-01-01T00:00:00.000Z`;
  }
  let limit = DEFAULT_PAGE;
  if (query.limit !== undefined) {
    if (!/^[1-9][0-9]{0,8}$/.test(query.limit)) return `limit '${query.limit}' is not a positive integer`;
    limit = Math.min(Number(query.limit), TAXII_MAX_PAGE);
  }
  if (query.next !== undefined && !decodeCursor(query.next)) return "next is not a token this server gave";
  const specVersions = list(query["match[spec_version]"]);
  const types = list(query["match[type]"]);
  // Only 2.1 objects here: a client asking for other spec versions gets none.
  const noneWanted = specVersions !== undefined && !specVersions.has("2.1");
  return { addedAfter, limit, next: query.next, ids: list(query["match[id]"]), types: noneWanted ? new Set() : types };
}
