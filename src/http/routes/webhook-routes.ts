import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { RULE_KINDS } from "../../delivery/delivery-model.ts";
import type { DeadLetter, DeliveryService, TargetView } from "../../delivery/delivery-service.ts";
import { SEVERITIES, type Severity } from "../../domain/ioc/ioc-model.ts";
import { sendError } from "../errors.ts";
import { ErrorResponse, strict } from "../schemas.ts";

export interface WebhookRouteDeps {
  delivery: DeliveryService;
}

const tags = ["Alert delivery (Warden extension)"];
const errors = { 400: ErrorResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse };
const X = "Warden extension: ";
/** A day: time for the receiver's owner to put the new secret in place. */
const DEFAULT_OVERLAP_HOURS = 24;

const Name = Type.String({ minLength: 1, maxLength: 64, description: "The target's name in this tenant" });
const NamedBody = Type.Object({ request_data: Type.Object({ name: Name }, strict) }, strict);
const EmptyBody = Type.Object({ request_data: Type.Optional(Type.Object({}, strict)) }, strict);

const AddBody = Type.Object(
  {
    request_data: Type.Object(
      {
        name: Name,
        url: Type.String({
          minLength: 1,
          maxLength: 2048,
          description:
            "http(s):// for a webhook; syslog+udp://, syslog+tcp:// or syslog+tls://host:port for syslog (RFC 5424, CEF)",
        }),
        secret: Type.Optional(
          Type.String({ minLength: 16, maxLength: 256, description: "The signing secret; generated when absent" }),
        ),
        min_severity: Type.Optional(
          Type.Unsafe<Severity>({ type: "string", enum: [...SEVERITIES], description: "Send this severity or worse" }),
        ),
        rule_kinds: Type.Optional(
          Type.Array(Type.Unsafe<(typeof RULE_KINDS)[number]>({ type: "string", enum: [...RULE_KINDS] }), {
            minItems: 1,
            maxItems: 3,
            description: "Send alerts of these rule kinds (default all)",
          }),
        ),
        enabled: Type.Optional(Type.Boolean()),
      },
      strict,
    ),
  },
  strict,
);

const Target = Type.Object({
  name: Type.String(),
  kind: Type.String({ description: "webhook or syslog" }),
  url: Type.String(),
  min_severity: Type.String(),
  rule_kinds: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  has_secret: Type.Boolean(),
  created_at: Type.Integer(),
});

const DeadLetterWire = Type.Object({
  id: Type.Integer(),
  target: Type.String(),
  idempotency_key: Type.String(),
  alert_id: Type.Integer(),
  rule_source: Type.String(),
  rule_id: Type.Integer(),
  alert_name: Type.String(),
  severity: Type.String(),
  detection_timestamp: Type.Integer(),
  attempts: Type.Integer(),
  last_error: Type.Union([Type.String(), Type.Null()]),
  dead_at: Type.Integer(),
});

function targetToWire(t: TargetView) {
  return {
    name: t.name,
    kind: t.kind,
    url: t.url,
    min_severity: t.minSeverity,
    rule_kinds: t.ruleKinds,
    enabled: t.enabled,
    has_secret: t.hasSecret,
    created_at: t.createdAt,
  };
}

function deadLetterToWire(d: DeadLetter) {
  return {
    id: d.id,
    target: d.target,
    idempotency_key: d.idempotencyKey,
    alert_id: d.alert.alertId,
    rule_source: d.alert.source,
    rule_id: d.alert.ruleId,
    alert_name: d.alert.name,
    severity: d.alert.severity,
    detection_timestamp: d.alert.detectionTimestamp,
    attempts: d.attempts,
    last_error: d.lastError,
    dead_at: d.deadAt,
  };
}

/** The tenant's webhooks and syslog receivers, and the alerts they gave up on (docs/webhooks.md). */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRouteDeps> = async (app, { delivery }) => {
  app.post(
    "/public_api/v1/webhooks/add",
    {
      schema: {
        tags,
        summary: `${X}add a webhook or syslog receiver; a webhook's secret is answered this once`,
        body: AddBody,
        response: {
          200: Type.Object({
            reply: Type.Object({ target: Target, secret: Type.Union([Type.String(), Type.Null()]) }),
          }),
          ...errors,
        },
      },
      config: { permission: "delivery:write" },
    },
    async (request, reply) => {
      const d = request.body.request_data;
      const added = await delivery.add(request.principal.tenant, {
        name: d.name,
        url: d.url,
        secret: d.secret,
        minSeverity: d.min_severity ?? "SEV_010_INFO",
        ruleKinds: d.rule_kinds ?? [...RULE_KINDS],
        enabled: d.enabled ?? true,
      });
      if (!added.ok) return sendError(reply, 400, added.error);
      return { reply: { target: targetToWire(added.value.target), secret: added.value.secret } };
    },
  );

  app.post(
    "/public_api/v1/webhooks/list",
    {
      schema: {
        tags,
        summary: `${X}the tenant's webhooks and syslog receivers (never their secrets)`,
        body: EmptyBody,
        response: { 200: Type.Object({ reply: Type.Object({ targets: Type.Array(Target) }) }), ...errors },
      },
      config: { permission: "delivery:read" },
    },
    async (request) => ({ reply: { targets: (await delivery.list(request.principal.tenant)).map(targetToWire) } }),
  );

  app.post(
    "/public_api/v1/webhooks/remove",
    {
      schema: {
        tags,
        summary: `${X}remove a target and drop what is still owed to it`,
        body: NamedBody,
        response: { 200: Type.Object({ reply: Type.Object({ removed: Type.String() }) }), ...errors },
      },
      config: { permission: "delivery:write" },
    },
    async (request, reply) => {
      const { name } = request.body.request_data;
      if (!(await delivery.remove(request.principal.tenant, name)))
        return sendError(reply, 400, `no target named '${name}'`);
      return { reply: { removed: name } };
    },
  );

  app.post(
    "/public_api/v1/webhooks/enable",
    {
      schema: {
        tags,
        summary: `${X}turn a target on or off (alerts raised while it is off are not owed to it)`,
        body: Type.Object({ request_data: Type.Object({ name: Name, enabled: Type.Boolean() }, strict) }, strict),
        response: {
          200: Type.Object({ reply: Type.Object({ name: Type.String(), enabled: Type.Boolean() }) }),
          ...errors,
        },
      },
      config: { permission: "delivery:write" },
    },
    async (request, reply) => {
      const { name, enabled } = request.body.request_data;
      if (!(await delivery.setEnabled(request.principal.tenant, name, enabled)))
        return sendError(reply, 400, `no target named '${name}'`);
      return { reply: { name, enabled } };
    },
  );

  app.post(
    "/public_api/v1/webhooks/rotate_secret",
    {
      schema: {
        tags,
        summary: `${X}give a webhook a new signing secret, shown this once; the old one signs beside it for the overlap`,
        body: Type.Object(
          {
            request_data: Type.Object(
              {
                name: Name,
                secret: Type.Optional(
                  Type.String({ minLength: 16, maxLength: 256, description: "The new secret; generated when absent" }),
                ),
                overlap_hours: Type.Optional(
                  Type.Integer({
                    minimum: 0,
                    maximum: 168,
                    description: "How long the old secret still signs beside the new one (default 24)",
                  }),
                ),
              },
              strict,
            ),
          },
          strict,
        ),
        response: {
          200: Type.Object({
            reply: Type.Object({
              name: Type.String(),
              secret: Type.String({ description: "The new secret: shown this once" }),
              previous_valid_until: Type.Integer({ description: "Until when (epoch ms) the old secret signs too" }),
            }),
          }),
          ...errors,
        },
      },
      config: { permission: "delivery:write" },
    },
    async (request, reply) => {
      const { name, secret, overlap_hours = DEFAULT_OVERLAP_HOURS } = request.body.request_data;
      const rotated = await delivery.rotateSecret(request.principal.tenant, name, secret, overlap_hours * 3_600_000);
      if (!rotated.ok) return sendError(reply, 400, rotated.error);
      return { reply: { name, secret: rotated.value.secret, previous_valid_until: rotated.value.previousValidUntil } };
    },
  );

  app.post(
    "/public_api/v1/webhooks/test",
    {
      schema: {
        tags,
        summary: `${X}send a sample alert (alert_id 0) to a target now and answer what came of it`,
        body: NamedBody,
        response: {
          200: Type.Object({
            reply: Type.Object({ delivered: Type.Boolean(), error: Type.Union([Type.String(), Type.Null()]) }),
          }),
          ...errors,
        },
      },
      config: { permission: "delivery:write" },
    },
    async (request, reply) => {
      const tested = await delivery.test(request.principal.tenant, request.body.request_data.name);
      if (!tested.ok) return sendError(reply, 400, tested.error);
      const outcome = tested.value;
      return { reply: { delivered: outcome.delivered, error: outcome.delivered ? null : outcome.error } };
    },
  );

  app.post(
    "/public_api/v1/webhooks/dead_letters",
    {
      schema: {
        tags,
        summary: `${X}alerts the tenant's targets gave up on after the last attempt, oldest first`,
        body: EmptyBody,
        response: { 200: Type.Object({ reply: Type.Object({ dead_letters: Type.Array(DeadLetterWire) }) }), ...errors },
      },
      config: { permission: "delivery:read" },
    },
    async (request) => ({
      reply: { dead_letters: (await delivery.deadLetters(request.principal.tenant)).map(deadLetterToWire) },
    }),
  );

  app.post(
    "/public_api/v1/webhooks/retry",
    {
      schema: {
        tags,
        summary: `${X}send dead letters again (these ids, or all of them), with a fresh count of attempts`,
        body: Type.Object(
          {
            request_data: Type.Object(
              { ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 10_000 })) },
              strict,
            ),
          },
          strict,
        ),
        response: { 200: Type.Object({ reply: Type.Object({ retried: Type.Integer() }) }), ...errors },
      },
      config: { permission: "delivery:write" },
    },
    async (request) => ({
      reply: { retried: await delivery.retry(request.principal.tenant, request.body.request_data.ids) },
    }),
  );
};
