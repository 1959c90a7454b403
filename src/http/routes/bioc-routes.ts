import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { BiocService } from "../../domain/bioc/bioc-service.ts";
import { BiocItem, BiocObject } from "../schemas.ts";
import { biocToWire } from "../wire/rule-wire.ts";
import { registerRuleFamily } from "./rule-family-routes.ts";

export interface BiocRouteDeps {
  biocs: BiocService;
  maxItems: number;
}

/** `bioc/insert|get|delete` (spec/API.md 4.2 and 4.3). */
export const biocRoutes: FastifyPluginAsyncTypebox<BiocRouteDeps> = async (app, { biocs, maxItems }) =>
  registerRuleFamily(app, {
    base: "/public_api/v1/bioc",
    noun: "BIOC rules",
    objectsType: "bioc",
    item: BiocItem,
    object: BiocObject,
    service: biocs,
    toWire: (rules) => rules.map(biocToWire),
    maxItems,
  });
