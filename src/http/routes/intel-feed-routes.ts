/**
 * Warden extension: the TAXII 2.1 feeds of the caller's tenant over HTTP, as `warden intel feeds`
 * does on the CLI (src/intel/feed-service.ts). Any role lists; only a role that writes rules adds,
 * removes or pulls, since a feed writes rules. Passwords go in, never out.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import type { FeedService } from "../../intel/feed-service.ts";
import { sendError } from "../errors.ts";
import { ErrorResponse, strict } from "../schemas.ts";
import { FeedObject, feedToWire } from "../wire/feed-wire.ts";

export interface IntelFeedRouteDeps {
  feeds: FeedService;
}

const tags = ["Threat intelligence"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };
const DEFAULT_POLL_SECONDS = 3600;

const FeedName = Type.String({ minLength: 1, maxLength: 64, description: "The feed's name in this tenant" });
const NamedBody = Type.Object({ request_data: Type.Object({ name: FeedName }, strict) }, strict);

const AddBody = Type.Object(
  {
    request_data: Type.Object(
      {
        name: FeedName,
        url: Type.String({ minLength: 1, maxLength: 2048, description: "The API root (http or https)" }),
        collection_id: Type.String({ minLength: 1, maxLength: 256 }),
        username: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "HTTP Basic user" })),
        password: Type.Optional(
          Type.String({ maxLength: 1024, description: "HTTP Basic password: sealed, never returned" }),
        ),
        poll_seconds: Type.Optional(
          Type.Integer({ description: `Poll interval, at least 60 (default ${DEFAULT_POLL_SECONDS})` }),
        ),
      },
      strict,
    ),
  },
  strict,
);

const FeedReply = Type.Object({ reply: FeedObject });
const ListReply = Type.Object({ reply: Type.Object({ feeds: Type.Array(FeedObject) }) });
const RemoveReply = Type.Object({ reply: Type.Object({ removed: Type.Boolean() }) });
const PullReply = Type.Object({
  reply: Type.Object({
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    deleted: Type.Integer(),
    rejected: Type.Array(Type.Object({ ref: Type.String(), reason: Type.String() })),
    feed: FeedObject,
  }),
});

export const intelFeedRoutes: FastifyPluginAsyncTypebox<IntelFeedRouteDeps> = async (app, { feeds }) => {
  app.post(
    "/public_api/v1/intel/feeds/list",
    {
      schema: {
        tags,
        summary: "Warden extension: the tenant's TAXII 2.1 feeds, with their last pull, counts and error",
        body: Type.Object({ request_data: Type.Object({}, strict) }, strict),
        response: { 200: ListReply, ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request) => ({ reply: { feeds: (await feeds.list(request.principal.tenant)).map(feedToWire) } }),
  );

  app.post(
    "/public_api/v1/intel/feeds/add",
    {
      schema: {
        tags,
        summary: "Warden extension: subscribe the tenant to a TAXII 2.1 collection",
        body: AddBody,
        response: { 200: FeedReply, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const { name, url, collection_id, username, password, poll_seconds } = request.body.request_data;
      const added = await feeds.add(request.principal.tenant, {
        name,
        url,
        collectionId: collection_id,
        username,
        password,
        pollSeconds: poll_seconds ?? DEFAULT_POLL_SECONDS,
      });
      if (!added.ok) return sendError(reply, 400, added.error);
      return { reply: feedToWire(added.value) };
    },
  );

  app.post(
    "/public_api/v1/intel/feeds/remove",
    {
      schema: {
        tags,
        summary: "Warden extension: remove a feed (its rules stay); removing an absent feed is not an error",
        body: NamedBody,
        response: { 200: RemoveReply, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request) => ({
      reply: { removed: await feeds.remove(request.principal.tenant, request.body.request_data.name) },
    }),
  );

  app.post(
    "/public_api/v1/intel/feeds/pull",
    {
      schema: {
        tags,
        summary: "Warden extension: pull a feed now (only what was added since its last pull)",
        body: NamedBody,
        response: { 200: PullReply, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const { tenant } = request.principal;
      const { name } = request.body.request_data;
      const pulled = await feeds.pullNamed(tenant, name);
      // A failed pull is recorded on the feed too (last_error), where the console shows it.
      if (!pulled.ok) return sendError(reply, 400, pulled.error);
      const feed = await feeds.get(tenant, name);
      if (!feed) return sendError(reply, 400, `the feed '${name}' was removed during its pull`);
      return { reply: { ...pulled.value, feed: feedToWire(feed) } };
    },
  );
};
