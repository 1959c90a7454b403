import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { AUDIT_SORT_FIELDS } from "../../domain/audit/audit-model.ts";
import type { AuditService } from "../../domain/audit/audit-service.ts";
import { sendError } from "../errors.ts";
import { ErrorResponse, Filter, Nullable, strict } from "../schemas.ts";
import { auditToWire } from "../wire/audit-wire.ts";

const AuditBody = Type.Object(
  {
    request_data: Type.Object(
      {
        filters: Type.Optional(Type.Array(Filter, { maxItems: 100 })),
        search_from: Type.Optional(Type.Integer({ minimum: 0 })),
        search_to: Type.Optional(Type.Integer({ minimum: 0 })),
        sort: Type.Optional(
          Type.Object(
            {
              field: Type.Optional(Type.String({ maxLength: 32, description: AUDIT_SORT_FIELDS.join(", ") })),
              keyword: Type.Optional(Type.String({ maxLength: 8, description: "asc or desc" })),
            },
            strict,
          ),
        ),
      },
      strict,
    ),
  },
  strict,
);

const AuditRow = Type.Object({
  AUDIT_ID: Type.Integer(),
  AUDIT_OWNER_NAME: Type.String(),
  AUDIT_OWNER_EMAIL: Type.String(),
  AUDIT_ASSET_JSON: Type.String({ description: 'JSON text: {"before": record or null, "after": record or null}' }),
  AUDIT_ASSET_NAMES: Type.String(),
  AUDIT_HOSTNAME: Nullable(Type.String()),
  AUDIT_RESULT: Type.String(),
  AUDIT_REASON: Nullable(Type.String({ description: "Why a write was refused (result FAIL)" })),
  AUDIT_DESCRIPTION: Type.String(),
  AUDIT_ENTITY: Type.String(),
  AUDIT_ENTITY_SUBTYPE: Type.String(),
  AUDIT_SESSION_ID: Type.Null(),
  AUDIT_CASE_ID: Type.Null(),
  AUDIT_INSERT_TIME: Type.Integer(),
  AUDIT_SEVERITY: Type.String(),
});

const AuditResponse = Type.Object({
  reply: Type.Object({ total_count: Type.Integer(), result_count: Type.Integer(), data: Type.Array(AuditRow) }),
});

/**
 * `audits/management_logs` (the live service's audit API, used by XSOAR's
 * xdr-get-audit-management-logs): the calling tenant's changes to rules, keys and tenants,
 * newest first unless sorted otherwise, at most 100 a call. Instance Administrators only.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.post(
    "/public_api/v1/audits/management_logs",
    {
      schema: {
        tags: ["Audit"],
        summary: "Who changed which rule, key or tenant, when, and what it was before and after",
        body: AuditBody,
        response: {
          200: AuditResponse,
          400: ErrorResponse,
          401: ErrorResponse,
          402: ErrorResponse,
          403: ErrorResponse,
        },
      },
      config: { permission: "audit:read" },
    },
    async (request, reply) => {
      const { filters = [], search_from, search_to, sort } = request.body.request_data;
      const found = await audit.forTenant(request.principal.tenant.id, {
        filters,
        searchFrom: search_from,
        searchTo: search_to,
        sort,
      });
      if (!found.ok) return sendError(reply, 400, found.error);
      const data = found.value.rules.map(auditToWire);
      return { reply: { total_count: found.value.total, result_count: data.length, data } };
    },
  );
};
