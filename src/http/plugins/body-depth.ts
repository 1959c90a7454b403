import type { FastifyInstance } from "fastify";
import { MAX_JSON_DEPTH, nestedDeeperThanInTurns, textNestedDeeperThan, tooDeepMessage } from "../../lib/json-depth.ts";
import { sendError } from "../errors.ts";

/**
 * Every body, JSON or text (the collector's NDJSON), is refused with a 400 when it nests deeper
 * than MAX_JSON_DEPTH, before schema checks or handlers walk it (finding 8: a 5,000-deep array
 * gave a 500). A large parsed body is walked in pieces, between which other requests are answered. Runs after authentication, so a stranger still gets only 401s.
 */
export function installBodyDepthLimit(app: FastifyInstance): void {
  app.addHook("preValidation", async (request, reply) => {
    const body = request.body;
    const tooDeep =
      typeof body === "string"
        ? textNestedDeeperThan(body, MAX_JSON_DEPTH)
        : await nestedDeeperThanInTurns(body, MAX_JSON_DEPTH);
    if (tooDeep) return sendError(reply, 400, tooDeepMessage(MAX_JSON_DEPTH));
  });
}
