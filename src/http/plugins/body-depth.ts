import type { FastifyInstance } from "fastify";
import { MAX_JSON_DEPTH, nestedDeeperThanInTurns, textNestedDeeperThan, tooDeepMessage } from "../../lib/json-depth.ts";
import { sendError } from "../errors.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route checks its body's depth itself, off this thread (the collector's NDJSON, line by
     * line on the matching threads): walking a 6 MB body here held every other request. Its body
     * may be no text at all yet (the collector reads it as it arrives: streamed-body.ts).
     */
    depthCheckedByRoute?: boolean;
  }
}

/**
 * Every body, JSON or text (the collector's NDJSON), is refused with a 400 when it nests deeper
 * than MAX_JSON_DEPTH, before schema checks or handlers walk it (finding 8: a 5,000-deep array
 * gave a 500). A large parsed body is walked in pieces, between which other requests are answered. Runs after authentication, so a stranger still gets only 401s.
 */
export function installBodyDepthLimit(app: FastifyInstance): void {
  app.addHook("preValidation", async (request, reply) => {
    const body = request.body;
    if (request.routeOptions.config.depthCheckedByRoute) return;
    const tooDeep =
      typeof body === "string"
        ? textNestedDeeperThan(body, MAX_JSON_DEPTH)
        : await nestedDeeperThanInTurns(body, MAX_JSON_DEPTH);
    if (tooDeep) return sendError(reply, 400, tooDeepMessage(MAX_JSON_DEPTH));
  });
}
