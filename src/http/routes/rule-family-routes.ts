/**
 * The insert, get and delete routes every rule family shares (IOC, BIOC, correlation rules: spec/API.md
 * 4.1-4.3 and 8): one shape, so a fix or an extension (such as `sort`) reaches all three at once.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type Type from "typebox";
import type { RuleQuery, WireFilter } from "../../domain/filters/filter-model.ts";
import { InsertOutcomes, type InsertReport } from "../../domain/items/insert-report.ts";
import type { Principal } from "../../domain/keys/principal.ts";
import type { Result } from "../../lib/result.ts";
import type { RulePageResult } from "../../storage/ports.ts";
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
import { answerInsert } from "../wire/insert-report-wire.ts";

type RoutesApp = Parameters<FastifyPluginAsyncTypebox>[0];

/** What a family's service offers the routes. */
export interface RuleFamilyService<R> {
  /** A report, or outcomes worded as the answer is written (large answers: insert-report-wire.ts). */
  insert(principal: Principal, items: readonly unknown[]): Promise<InsertReport | InsertOutcomes>;
  get(principal: Principal, query: RuleQuery): Promise<Result<RulePageResult<R>>>;
  delete(principal: Principal, filters: readonly WireFilter[]): Promise<Result<number[]>>;
}

export interface RuleFamily<R> {
  /** The routes' common path, such as `/public_api/v1/bioc`. */
  base: string;
  /** The rules as the OpenAPI document names them, such as "BIOC rules". */
  noun: string;
  /** `objects_type` in a get answer. */
  objectsType: string;
  item: Type.TSchema;
  object: Type.TSchema;
  service: RuleFamilyService<R>;
  /** A page of rules as the wire shows them. */
  toWire(rules: readonly R[]): unknown[];
  maxItems: number;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };

export function registerRuleFamily<R>(app: RoutesApp, family: RuleFamily<R>): void {
  const { base, noun, service } = family;
  const tags = [noun];
  app.post(
    `${base}/insert`,
    {
      schema: {
        tags,
        summary: `Insert or update ${noun}`,
        body: insertBody(family.maxItems),
        response: { 200: InsertResponse, ...errors },
      },
      config: { permission: "rules:write", swaggerTransform: documentItems(family.item) },
    },
    async (request, reply) => {
      const answer = await service.insert(request.principal, request.body.request_data);
      return answer instanceof InsertOutcomes ? answerInsert(answer, reply) : answer;
    },
  );

  app.post(
    `${base}/get`,
    {
      schema: {
        tags,
        summary: `Find ${noun}`,
        body: GetBody,
        response: { 200: getResponse(family.object), ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { filters = [], search_from, search_to, sort } = request.body.request_data;
      const found = await service.get(request.principal, {
        filters,
        searchFrom: search_from,
        searchTo: search_to,
        sort,
      });
      if (!found.ok) return sendError(reply, 400, found.error);
      const objects = family.toWire(found.value.rules);
      return { objects_count: found.value.total, objects_type: family.objectsType, objects };
    },
  );

  app.post(
    `${base}/delete`,
    {
      schema: {
        tags,
        summary: `Delete ${noun} by filter`,
        body: DeleteBody,
        response: { 200: DeleteResponse, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const deleted = await service.delete(request.principal, request.body.request_data.filters);
      if (!deleted.ok) return sendError(reply, 400, deleted.error);
      return { objects_count: deleted.value.length, objects: deleted.value };
    },
  );
}
