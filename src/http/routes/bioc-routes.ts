import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { BiocService } from "../../domain/bioc/bioc-service.ts";
import { sendError } from "../errors.ts";
import { documentItems } from "../openapi.ts";
import {
  BiocItem,
  BiocObject,
  DeleteBody,
  DeleteResponse,
  ErrorResponse,
  GetBody,
  getResponse,
  InsertResponse,
  insertBody,
} from "../schemas.ts";
import { biocToWire } from "../wire/rule-wire.ts";

export interface BiocRouteDeps {
  biocs: BiocService;
  maxItems: number;
}

const tags = ["BIOC rules"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };

/** `bioc/insert|get|delete` (spec/API.md 4.2 and 4.3). */
export const biocRoutes: FastifyPluginAsyncTypebox<BiocRouteDeps> = async (app, { biocs, maxItems }) => {
  app.post(
    "/public_api/v1/bioc/insert",
    {
      schema: {
        tags,
        summary: "Insert or update BIOC rules",
        body: insertBody(maxItems),
        response: { 200: InsertResponse, ...errors },
      },
      config: { permission: "rules:write", swaggerTransform: documentItems(BiocItem) },
    },
    async (request) => biocs.insert(request.principal, request.body.request_data),
  );

  app.post(
    "/public_api/v1/bioc/get",
    {
      schema: {
        tags,
        summary: "Find BIOC rules",
        body: GetBody,
        response: { 200: getResponse(BiocObject), ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { filters = [], search_from, search_to, sort } = request.body.request_data;
      const found = await biocs.get(request.principal, { filters, searchFrom: search_from, searchTo: search_to, sort });
      if (!found.ok) return sendError(reply, 400, found.error);
      return { objects_count: found.value.total, objects_type: "bioc", objects: found.value.rules.map(biocToWire) };
    },
  );

  app.post(
    "/public_api/v1/bioc/delete",
    {
      schema: {
        tags,
        summary: "Delete BIOC rules by filter",
        body: DeleteBody,
        response: { 200: DeleteResponse, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const deleted = await biocs.delete(request.principal, request.body.request_data.filters);
      if (!deleted.ok) return sendError(reply, 400, deleted.error);
      return { objects_count: deleted.value.length, objects: deleted.value };
    },
  );
};
