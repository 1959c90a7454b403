import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import Type from "typebox";
import type { LegacyIocService, LegacyWriteReport } from "../../domain/ioc/legacy-ioc-service.ts";
import type { Clock } from "../../lib/clock.ts";
import type { IocStore } from "../../storage/ports.ts";
import { sendError } from "../errors.ts";
import { noteRefusedItems } from "../plugins/refusal-audit.ts";
import { ErrorResponse } from "../schemas.ts";
import { changeToWire } from "../wire/ioc-change-wire.ts";

export interface LegacyRouteDeps {
  legacy: LegacyIocService;
  store: Pick<IocStore, "getExpiryDefaults">;
  clock: Clock;
  maxItems: number;
  maxBytes: number;
}

const tags = ["Legacy XDR IOC endpoints"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };
const base = "/public_api/v1/indicators";
const SOURCE_HEADER = /^[\x20-\x7e]{1,64}$/;

/**
 * Rules written through these endpoints belong to the `x-iocs-source` the client names (XSOAR
 * sends "xsoar"), as far as the key may use that name (LegacyIocService.source); 403 when not.
 */
async function sourceFor(legacy: LegacyIocService, request: FastifyRequest, reply: FastifyReply) {
  const header = request.headers["x-iocs-source"];
  const value = Array.isArray(header) ? header[0] : header;
  const requested = value && SOURCE_HEADER.test(value) ? value.trim() : undefined;
  const source = await legacy.source(request.principal, requested);
  if (!source.ok) sendError(reply, 403, source.error);
  return source.ok ? source.value : undefined;
}

/** With `validate` the client hears which items were refused; without, a bare success. Either way the log does. */
function writeReply(request: FastifyRequest, report: LegacyWriteReport, validate: boolean | undefined) {
  const refused = report.validationErrors;
  noteRefusedItems(request, refused.length, report.stored + refused.length, refused[0]?.error ?? "");
  if (!validate) return { reply: true };
  return { reply: { success: true, validation_errors: report.validationErrors } };
}

const ValidationReply = Type.Object({
  reply: Type.Union([
    Type.Boolean(),
    Type.Object({
      success: Type.Boolean(),
      validation_errors: Type.Array(Type.Object({ indicator: Type.String(), error: Type.String() })),
    }),
  ]),
});

/** The legacy XDR IOC endpoints of spec/API.md section 6; success is wrapped in `reply`. */
export const legacyIndicatorRoutes: FastifyPluginAsyncTypebox<LegacyRouteDeps> = async (app, deps) => {
  const { legacy, store, clock, maxItems, maxBytes } = deps;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 10 } });

  const JsonsBody = Type.Object(
    {
      request_data: Type.Union([Type.Array(Type.Unknown(), { maxItems }), Type.Record(Type.String(), Type.Unknown())]),
      validate: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  );
  for (const name of ["insert_jsons", "tim_insert_jsons"]) {
    app.post(
      `${base}/${name}`,
      {
        schema: {
          tags,
          summary: "Insert or update IOCs (XSOAR format)",
          body: JsonsBody,
          response: { 200: ValidationReply, ...errors },
        },
        config: { permission: "rules:write" },
      },
      async (request, reply) => {
        const source = await sourceFor(legacy, request, reply);
        if (source === undefined) return reply;
        const { request_data: data, validate } = request.body;
        const items = Array.isArray(data) ? data : [data]; // a single object is tolerated
        return writeReply(request, await legacy.insertJsons(request.principal, source, items), validate);
      },
    );
  }

  app.post(
    `${base}/insert_csv`,
    {
      schema: {
        tags,
        summary: "Insert or update IOCs from CSV text",
        body: Type.Object(
          { request_data: Type.String(), validate: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: ValidationReply, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const source = await sourceFor(legacy, request, reply);
      if (source === undefined) return reply;
      const report = await legacy.insertCsv(request.principal, source, request.body.request_data);
      if (!report.ok) return sendError(reply, 400, report.error);
      return writeReply(request, report.value, request.body.validate);
    },
  );

  app.post(
    `${base}/sync_tim_iocs`,
    {
      schema: {
        tags,
        summary: "Replace this source's IOCs with an NDJSON file (multipart field 'file')",
        response: { 200: ValidationReply, ...errors },
      },
      config: { permission: "rules:write" },
    },
    async (request, reply) => {
      const source = await sourceFor(legacy, request, reply);
      if (source === undefined) return reply;
      if (!request.isMultipart())
        return sendError(reply, 400, "send the IOCs as multipart/form-data with a field named 'file'");
      const { text, validate } = await readUpload(request);
      if (text === undefined) return sendError(reply, 400, "the multipart body has no field named 'file'");
      const report = await legacy.sync(request.principal, source, text);
      if (!report.ok) return sendError(reply, 400, report.error);
      return writeReply(request, report.value, validate);
    },
  );

  app.post(
    `${base}/get_changes`,
    {
      schema: {
        tags,
        summary: "Every IOC change since a time",
        body: Type.Object({
          request_data: Type.Object({ last_update_ts: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
        }),
        response: { 200: Type.Object({ reply: Type.Array(Type.Record(Type.String(), Type.Unknown())) }), ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request) => {
      const changes = await legacy.changes(request.principal, request.body.request_data.last_update_ts);
      const defaults = await store.getExpiryDefaults(request.principal.tenant.id);
      const now = clock.now();
      return { reply: changes.map((change) => changeToWire(change, now, defaults)) };
    },
  );

  const Values = Type.Array(Type.String({ maxLength: 16_384 }), { maxItems });
  const EnableBody = Type.Object({
    request_data: Type.Union([Values, Type.Object({ indicators: Values }, { additionalProperties: false })]),
  });
  for (const [name, enabled] of [
    ["enable_iocs", true],
    ["disable_iocs", false],
  ] as const) {
    app.post(
      `${base}/${name}`,
      {
        schema: {
          tags,
          summary: `${enabled ? "Enable" : "Disable"} IOCs by value`,
          body: EnableBody,
          response: { 200: Type.Object({ reply: Type.Boolean() }), ...errors },
        },
        config: { permission: "rules:write" },
      },
      async (request) => {
        const data = request.body.request_data;
        await legacy.setEnabled(request.principal, Array.isArray(data) ? data : data.indicators, enabled);
        return { reply: true };
      },
    );
  }
};

/** Reads the multipart body: the `file` field's text and an optional `validate` field. */
async function readUpload(request: FastifyRequest): Promise<{ text: string | undefined; validate: boolean }> {
  let text: string | undefined;
  let validate = (request.query as Record<string, unknown> | undefined)?.validate === "true";
  try {
    for await (const part of request.parts()) {
      if (part.type === "file" && part.fieldname === "file") text = (await part.toBuffer()).toString("utf8");
      else if (part.type === "file") await part.toBuffer();
      else if (part.fieldname === "validate") validate = String(part.value) === "true";
    }
  } catch (error) {
    throw asClientError(error);
  }
  return { text, validate };
}

/**
 * The multipart parser (busboy) throws plain errors for a body cut short or a malformed part
 * (finding 8: a 500); those are the client's, so they leave as a 400. Limits keep their own status.
 */
function asClientError(error: unknown): unknown {
  if (!(error instanceof Error) || "statusCode" in error) return error;
  const message = /unexpected end/i.test(error.message)
    ? "the multipart body ends before its closing boundary"
    : `the multipart body is malformed: ${error.message}`;
  return Object.assign(new Error(message), { statusCode: 400 });
}
