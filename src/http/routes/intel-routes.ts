import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { actors } from "../../domain/audit/audit-model.ts";
import type { LegacyIocService } from "../../domain/ioc/legacy-ioc-service.ts";
import { parseCsvMapping } from "../../intel/csv-reader.ts";
import { readIntelJson, readIntelText } from "../../intel/intel-document.ts";
import { INTEL_FORMATS, type IntelFormat } from "../../intel/intel-model.ts";
import type { IntelService } from "../../intel/intel-service.ts";
import { sendError } from "../errors.ts";
import { noteRefusedItems } from "../plugins/refusal-audit.ts";
import { ErrorResponse, Filter, strict } from "../schemas.ts";

export interface IntelRouteDeps {
  intel: IntelService;
  legacy: LegacyIocService;
}

const tags = ["Threat intelligence"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };

/** How many of an import's rules the answer lists (the counts cover them all). */
const LISTED_RULES = 1_000;

const ImportBody = Type.Object(
  {
    request_data: Type.Object(
      {
        content: Type.Unknown({
          description: "A STIX 2.1 bundle or MISP event as JSON, or the text of one (CSV included)",
        }),
        source: Type.Optional(
          Type.String({ minLength: 1, maxLength: 256, description: "The source the rules show; bound to this key" }),
        ),
        columns: Type.Optional(
          Type.String({ maxLength: 1024, description: "CSV: field=column pairs, e.g. indicator=value,type=kind" }),
        ),
      },
      strict,
    ),
  },
  strict,
);

const ImportResponse = Type.Object({
  reply: Type.Object({
    format: Type.String(),
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    deleted: Type.Integer(),
    rejected: Type.Array(Type.Object({ ref: Type.String(), reason: Type.String() })),
    rules: Type.Array(
      Type.Object({
        ref: Type.String({ description: "The object (STIX id, MISP uuid, CSV id), with #part when it made several" }),
        rule_id: Type.Integer(),
        outcome: Type.String({ enum: ["created", "updated", "unchanged"] }),
      }),
      { description: `Warden extension: the rules the objects made or kept, the first ${LISTED_RULES}` },
    ),
  }),
});

const ExportBody = Type.Object(
  {
    request_data: Type.Object(
      {
        format: Type.Unsafe<IntelFormat>({ type: "string", enum: [...INTEL_FORMATS] }),
        filters: Type.Optional(Type.Array(Filter, { maxItems: 100, description: "As indicators/get: the selection" })),
      },
      strict,
    ),
  },
  strict,
);

const MEDIA_TYPES: Record<IntelFormat, string> = {
  stix: "application/stix+json;version=2.1",
  misp: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
};

/** Threat intelligence in and out for the console and scripts (src/intel). */
export const intelRoutes: FastifyPluginAsyncTypebox<IntelRouteDeps> = async (app, { intel, legacy }) => {
  app.post(
    "/public_api/v1/intel/import",
    {
      schema: {
        tags,
        summary: "Import a STIX 2.1 bundle, a MISP event or CSV as IOC rules",
        body: ImportBody,
        response: { 200: ImportResponse, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const { content, source: requested, columns } = request.body.request_data;
      const mapping = parseCsvMapping(columns ?? "");
      if (!mapping.ok) return sendError(reply, 400, mapping.error);
      const read = typeof content === "string" ? readIntelText(content, mapping.value) : readIntelJson(content);
      if (!read.ok) return sendError(reply, 400, read.error);
      const source = await legacy.source(request.principal, requested);
      if (!source.ok) return sendError(reply, 403, source.error);
      const { principal } = request;
      const rules: { ref: string; rule_id: number; outcome: string }[] = [];
      const summary = await intel.import({
        tenantId: principal.tenant.id,
        batch: read.value,
        source: source.value,
        actor: actors.apiKey(principal.keyId, principal.address),
        onRule: (ref, ruleId, outcome) => {
          if (rules.length < LISTED_RULES) rules.push({ ref, rule_id: ruleId, outcome });
        },
      });
      const total = read.value.records.length + read.value.rejected.length;
      const first = summary.rejected[0];
      if (first) noteRefusedItems(request, summary.rejected.length, total, `${first.ref}: ${first.reason}`);
      return { reply: { format: read.value.format, ...summary, rules } };
    },
  );

  app.post(
    "/public_api/v1/intel/export",
    {
      schema: {
        tags,
        summary: "The tenant's IOC rules (or those the filters select) as STIX 2.1, a MISP event or CSV",
        body: ExportBody,
        response: { 200: {}, ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { format, filters } = request.body.request_data;
      const result = await intel.export(request.principal.tenant, format, filters);
      if (!result.ok) return sendError(reply, 400, result.error);
      const extension = format === "csv" ? "csv" : "json";
      return reply
        .header("content-type", MEDIA_TYPES[format])
        .header("content-disposition", `attachment; filename="warden-iocs-${format}.${extension}"`)
        .header("x-warden-skipped-rules", String(result.value.skipped.length))
        .send(Buffer.from(result.value.content, "utf8")); // a Buffer keeps the media type exactly as written
    },
  );
};
