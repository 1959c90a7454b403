import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { IocService } from "../../domain/ioc/ioc-service.ts";
import type { Clock } from "../../lib/clock.ts";
import { IocItem, IocObject } from "../schemas.ts";
import { iocToWire } from "../wire/rule-wire.ts";
import { registerRuleFamily } from "./rule-family-routes.ts";

export interface IndicatorRouteDeps {
  iocs: IocService;
  clock: Clock;
  maxItems: number;
}

/** `indicators/insert|get|delete` (spec/API.md 4.1 and 4.3). */
export const indicatorRoutes: FastifyPluginAsyncTypebox<IndicatorRouteDeps> = async (app, { iocs, clock, maxItems }) =>
  registerRuleFamily(app, {
    base: "/public_api/v1/indicators",
    noun: "IOC rules",
    objectsType: "indicator",
    item: IocItem,
    object: IocObject,
    service: iocs,
    toWire: (rules) => {
      const now = clock.now();
      return rules.map((rule) => iocToWire(rule, now));
    },
    maxItems,
  });
