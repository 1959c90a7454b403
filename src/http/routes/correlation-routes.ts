import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { CorrelationService } from "../../domain/correlations/correlation-service.ts";
import { CorrelationItem, CorrelationObject } from "../correlation-schemas.ts";
import { sendError } from "../errors.ts";
import { documentItems } from "../openapi.ts";
import {
  DeleteBody,
  DeleteResponse,
  ErrorResponse,
  GetBody,
  getResponse,
  InsertResponse,
  insertBody,
} from "../schemas.ts";
import { correlationToWire } from "../wire/correlation-wire.ts";

export interface CorrelationRouteDeps {
  correlations: CorrelationService;
  maxItems: number;
}

const tags = ["Correlation rules"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };

/** `correlations/insert|get|delete` (spec/API.md section 8). */
export const correlationRoutes: FastifyPluginAsyncTypebox<CorrelationRouteDeps> = async (app, deps) => {
  const { correlations, maxItems } = deps;
  app.post(
    "/public_api/v1/correlations/insert",
    {
      schema: {
        tags,
        summary: "Insert or update correlation rules",
        body: insertBody(maxItems),
        response: { 200: InsertResponse, ...errors },
      },
      config: { permission: "rules:write", swaggerTransform: documentItems(CorrelationItem) },
    },
    async (request) => correlations.insert(request.principal, request.body.request_data),
  );

  app.post(
    "/public_api/v1/correlations/get",
    {
      schema: {
        tags,
        summary: "Find correlation rules",
        body: GetBody,
        response: { 200: getResponse(CorrelationObject), ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { filters = [], search_from, search_to } = request.body.request_data;
      const query = { filters, searchFrom: search_from, searchTo: search_to };
      const found = await correlations.get(request.principal, query);
      if (!found.ok) return sendError(reply, 400, found.error);
      const objects = found.value.rules.map(correlationToWire);
      return { objects_count: found.value.total, objects_type: "correlations", objects };
    },
  );

  app.post(
    "/public_api/v1/correlations/delete",
    {
      schema: {
        tags,
        summary: "Delete correlation rules by filter",
        body: DeleteBody,
        response: { 200: DeleteResponse, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const deleted = await correlations.delete(request.principal, request.body.request_data.filters);
      if (!deleted.ok) return sendError(reply, 400, deleted.error);
      return { objects_count: deleted.value.length, objects: deleted.value };
    },
  );
};
