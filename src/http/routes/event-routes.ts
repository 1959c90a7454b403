import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { errorCodes } from "fastify";
import Type from "typebox";
import type { Alert } from "../../domain/alerts/alert-model.ts";
import type { AlertService, EvaluatedHit } from "../../domain/alerts/alert-service.ts";
import type { EndpointEvent } from "../../engine/event-model.ts";
import { PieceBlocks } from "../../ingest/piece-blocks.ts";
import { StreamedEvents } from "../../ingest/streamed-body.ts";
import { sendError } from "../errors.ts";
import { ErrorResponse, Filter, Sort } from "../schemas.ts";

export interface EventRouteDeps {
  alerts: AlertService;
  maxEvents: number;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };
const HitFields = {
  source: Type.String(),
  rule_id: Type.Integer(),
  name: Type.String(),
  severity: Type.String(),
  field: Type.String(),
  value: Type.String(),
};
const HitsReply = Type.Object({
  reply: Type.Object({ hits: Type.Array(Type.Object({ event_index: Type.Integer(), ...HitFields })) }),
});
/** What a correlation rule's alert adds (docs/correlations.md); IOC and BIOC alerts have none of these. */
const CORRELATION_ALERT_FIELDS = Object.fromEntries(
  [
    "rule_name",
    "alert_name",
    "alert_category",
    "alert_description",
    "alert_domain",
    "alert_type",
    "mitre_defs",
    "execution_mode",
    "group_key",
    "window_start",
    "window_end",
  ].map((name) => [name, Type.Optional(Type.Unknown())]),
);

const AlertsReply = Type.Object({
  reply: Type.Object({
    total_count: Type.Integer(),
    result_count: Type.Integer(),
    alerts: Type.Array(
      Type.Object({
        alert_id: Type.Integer(),
        detection_timestamp: Type.Integer(),
        ...HitFields,
        event: Type.Unknown(),
        ...CORRELATION_ALERT_FIELDS,
      }),
    ),
  }),
});

/** At most this many malformed lines are listed one by one; the count covers them all. */
const MALFORMED_LISTED = 100;

function hitToWire(hit: EvaluatedHit) {
  const { eventIndex, source, ruleId, name, severity, field, value } = hit;
  return { event_index: eventIndex, source, rule_id: ruleId, name, severity, field, value };
}

function alertToWire(alert: Alert) {
  const correlation = alert.details ? (JSON.parse(alert.details) as Record<string, unknown>) : {};
  return {
    ...correlation,
    alert_id: alert.alertId,
    detection_timestamp: alert.detectionTimestamp,
    source: alert.source,
    rule_id: alert.ruleId,
    name: alert.name,
    severity: alert.severity,
    field: alert.field,
    value: alert.value,
    event: JSON.parse(alert.event) as unknown,
  };
}

/**
 * The XSIAM HTTP collector path: NDJSON or a JSON array of events, whatever the content type. The
 * body is not parsed up front: the handler reads it as it arrives, so matching starts on the
 * first piece (src/ingest/streamed-body.ts). Authentication and the permission check have run by
 * then (onRequest).
 */
const ingestRoute: FastifyPluginAsyncTypebox<EventRouteDeps> = async (app, { alerts }) => {
  const blocks = new PieceBlocks();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (request, payload, done) => {
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? Number.POSITIVE_INFINITY;
    const header = request.headers["content-length"];
    const declared = header === undefined ? undefined : Number(header);
    if (declared !== undefined && declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined);
    done(null, new StreamedEvents(payload, limit, Number.isNaN(declared) ? undefined : declared, blocks));
  });
  app.post(
    "/logs/v1/event",
    {
      schema: { tags: ["Events"], summary: "Ingest events (NDJSON or JSON array); every hit is stored as an alert" },
      config: { permission: "events:ingest", depthCheckedByRoute: true },
    },
    async (request, reply) => {
      if (!(request.body instanceof StreamedEvents))
        return sendError(reply, 400, "send the events as the request body");
      // A body that cannot be read whole (too large, cut short) ends the connection, as Fastify's own parsers do.
      const ingested = await alerts.ingest(request.principal, request.body).catch((error: unknown) => {
        reply.header("connection", "close");
        throw error;
      });
      if (!ingested.ok) return sendError(reply, 400, ingested.error);
      const report = ingested.value;
      return {
        reply: {
          events: report.events,
          matched_events: report.matchedEvents,
          alerts: report.alerts,
          malformed_count: report.malformed.length,
          malformed: report.malformed.slice(0, MALFORMED_LISTED),
        },
      };
    },
  );
};

/** rules/evaluate, alerts/get_alerts and the collector path (spec for Warden's own: docs/engine.md). */
export const eventRoutes: FastifyPluginAsyncTypebox<EventRouteDeps> = async (app, deps) => {
  const { alerts, maxEvents } = deps;
  await app.register(ingestRoute, deps);

  app.post(
    "/public_api/v1/rules/evaluate",
    {
      schema: {
        tags: ["Events"],
        summary: "Which rules would these events hit (nothing is stored)",
        body: Type.Object(
          {
            request_data: Type.Object(
              { events: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: maxEvents }) },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: HitsReply, ...errors },
      },
      config: { permission: "events:evaluate" },
    },
    async (request, reply) => {
      const hits = await alerts.evaluate(request.principal, request.body.request_data.events as EndpointEvent[]);
      if (!hits.ok) return sendError(reply, 400, hits.error);
      return { reply: { hits: hits.value.map(hitToWire) } };
    },
  );

  app.post(
    "/public_api/v1/alerts/get_alerts",
    {
      schema: {
        tags: ["Events"],
        summary: "Stored alerts, filtered and paged",
        body: Type.Object(
          {
            request_data: Type.Object(
              {
                filters: Type.Optional(Type.Array(Filter, { maxItems: 100 })),
                search_from: Type.Optional(Type.Integer({ minimum: 0 })),
                search_to: Type.Optional(Type.Integer({ minimum: 0 })),
                sort: Type.Optional(Sort),
              },
              { additionalProperties: false },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: AlertsReply, ...errors },
      },
      config: { permission: "rules:read" },
    },
    async (request, reply) => {
      const { filters = [], search_from, search_to, sort } = request.body.request_data;
      const found = await alerts.alerts(request.principal, {
        filters,
        searchFrom: search_from,
        searchTo: search_to,
        sort,
      });
      if (!found.ok) return sendError(reply, 400, found.error);
      const list = found.value.rules.map(alertToWire);
      return { reply: { total_count: found.value.total, result_count: list.length, alerts: list } };
    },
  );
};
