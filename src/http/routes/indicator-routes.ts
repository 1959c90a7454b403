import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { IocService } from "../../domain/ioc/ioc-service.ts";
import type { Clock } from "../../lib/clock.ts";
import { sendError } from "../errors.ts";
import { documentItems } from "../openapi.ts";
import {
  DeleteBody,
  DeleteResponse,
  ErrorResponse,
  GetBody,
  getResponse,
  InsertResponse,
  IocItem,
  IocObject,
  insertBody,
} from "../schemas.ts";
import { insertReportJson, LARGE_REPORT, reportEntries } from "../wire/insert-report-wire.ts";
import { iocToWire } from "../wire/rule-wire.ts";

export interface IndicatorRouteDeps {
  iocs: IocService;
  clock: Clock;
  maxItems: number;
}

const tags = ["IOC rules"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };

/** `indicators/insert|get|delete` (spec/API.md 4.1 and 4.3). */
export const indicatorRoutes: FastifyPluginAsyncTypebox<IndicatorRouteDeps> = async (
  app,
  { iocs, clock, maxItems },
) => {
  app.post(
    "/public_api/v1/indicators/insert",
    {
      schema: {
        tags,
        summary: "Insert or update IOC rules",
        body: insertBody(maxItems),
        response: { 200: InsertResponse, ...errors },
      },
      config: { permission: "rules:write", swaggerTransform: documentItems(IocItem) },
    },
    async (request, reply) => {
      const report = await iocs.insert(request.principal, request.body.request_data);
      if (reportEntries(report) <= LARGE_REPORT) return report;
      // written in turns beforehand; the reply's serializer only hands that text over
      const json = await insertReportJson(report);
      return reply
        .type("application/json; charset=utf-8")
        .serializer(() => json)
        .send(report);
    },
  );

  app.post(
    "/public_api/v1/indicators/get",
    {
      schema: { tags, summary: "Find IOC rules", body: GetBody, response: { 200: getResponse(IocObject), ...errors } },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { filters = [], search_from, search_to, sort } = request.body.request_data;
      const found = await iocs.get(request.principal, { filters, searchFrom: search_from, searchTo: search_to, sort });
      if (!found.ok) return sendError(reply, 400, found.error);
      const now = clock.now();
      return {
        objects_count: found.value.total,
        objects_type: "indicator",
        objects: found.value.rules.map((rule) => iocToWire(rule, now)),
      };
    },
  );

  app.post(
    "/public_api/v1/indicators/delete",
    {
      schema: {
        tags,
        summary: "Delete IOC rules by filter",
        body: DeleteBody,
        response: { 200: DeleteResponse, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const deleted = await iocs.delete(request.principal, request.body.request_data.filters);
      if (!deleted.ok) return sendError(reply, 400, deleted.error);
      return { objects_count: deleted.value.length, objects: deleted.value };
    },
  );
};
