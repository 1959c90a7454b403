import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { CorrelationService } from "../../domain/correlations/correlation-service.ts";
import { CorrelationItem, CorrelationObject } from "../correlation-schemas.ts";
import { correlationToWire } from "../wire/correlation-wire.ts";
import { registerRuleFamily } from "./rule-family-routes.ts";

export interface CorrelationRouteDeps {
  correlations: CorrelationService;
  maxItems: number;
}

/** `correlations/insert|get|delete` (spec/API.md section 8). */
export const correlationRoutes: FastifyPluginAsyncTypebox<CorrelationRouteDeps> = async (
  app,
  { correlations, maxItems },
) =>
  registerRuleFamily(app, {
    base: "/public_api/v1/correlations",
    noun: "correlation rules",
    objectsType: "correlations",
    item: CorrelationItem,
    object: CorrelationObject,
    service: correlations,
    toWire: (rules) => rules.map(correlationToWire),
    maxItems,
  });
