/**
 * Refused and failed writes go into the tenant's audit log with result FAIL (issue 18, finding 5):
 * who (the key) and from where, what they tried (the endpoint), and why (the status and message
 * the client was given, or the items refused). Changes themselves are recorded by the store's
 * triggers; a refusal changed nothing, so it is written here, from the answer. A request that
 * failed to authenticate belongs to no tenant and is not recorded (the limits count it).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AuditAction, AuditEntity } from "../../domain/audit/audit-model.ts";
import { InsertOutcomes } from "../../domain/items/insert-report.ts";
import { changeBy } from "../../domain/keys/principal.ts";
import type { Clock } from "../../lib/clock.ts";
import { clip } from "../../lib/text.ts";
import type { AuditStore } from "../../storage/ports.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Why this write was refused, in whole or in part; set as the answer is serialised. */
    refusal?: string | undefined;
  }
}

/** What each write endpoint does, by its last path segment, as the log names actions. */
const ACTIONS: Record<string, AuditAction> = {
  insert: "Create",
  insert_jsons: "Create",
  tim_insert_jsons: "Create",
  insert_csv: "Create",
  sync_tim_iocs: "Edit",
  delete: "Delete",
  enable_iocs: "Enable",
  disable_iocs: "Disable",
};

const REASON_LENGTH = 512;

/**
 * Throttling is about load, not about what was written: a key over its rate would otherwise turn
 * every refused request into a database write, the very load the limit sheds.
 */
const NOT_RECORDED = new Set([429, 503]);

const isWrite = (request: FastifyRequest) => request.routeOptions.config?.permission === "rules:write";

/** The endpoint as the log shows it: `indicators/insert`, `bioc/delete`. */
const endpointOf = (request: FastifyRequest) =>
  (request.routeOptions.url ?? request.url).replace(/^\/public_api\/v1\//, "").replace(/\/+$/, "");

/** Records that `refused` of `total` items of a write were refused; routes whose answer does not list them call this. */
export function noteRefusedItems(request: FastifyRequest, refused: number, total: number, first: string): void {
  if (refused > 0) request.refusal = `${refused} of ${total} items refused: ${first}`;
}

function entityOf(endpoint: string): AuditEntity {
  if (endpoint.startsWith("bioc/")) return "BIOC_RULES";
  return endpoint.startsWith("correlations/") ? "CORRELATION_RULES" : "IOC_RULES";
}

function reasonFrom(status: number, payload: unknown): string | undefined {
  // a large insert answer goes out as text written beforehand, its outcomes through the hooks
  if (payload instanceof InsertOutcomes) {
    const { count, first } = payload.refusals();
    return count === 0 ? undefined : `${count} of ${payload.itemCount} items refused: ${String(first)}`;
  }
  const body = (payload ?? {}) as Record<string, unknown>;
  if (status >= 400) {
    const extra = body.err_extra;
    return `${status}: ${typeof extra === "string" && extra !== "" ? extra : String(body.err_msg ?? "")}`;
  }
  // the rule API's insert answer lists refused items in `errors`
  const errors = body.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const done = [body.added_objects, body.updated_objects].map((list) => (Array.isArray(list) ? list.length : 0));
  const first = (errors[0] as { status?: unknown }).status;
  return `${errors.length} of ${errors.length + (done[0] ?? 0) + (done[1] ?? 0)} items refused: ${String(first)}`;
}

export function installRefusalAudit(app: FastifyInstance, audit: Pick<AuditStore, "recordRefusal">, clock: Clock) {
  app.addHook("preSerialization", async (request, reply, payload) => {
    if (isWrite(request)) request.refusal = reasonFrom(reply.statusCode, payload) ?? request.refusal;
    return payload;
  });
  // Before the answer leaves, so a client that reads the log next finds the entry there.
  app.addHook("onSend", async (request, reply, payload) => {
    const principal = request.principal;
    const reason = request.refusal ?? (reply.statusCode >= 400 ? `${reply.statusCode}` : undefined);
    if (!principal || !isWrite(request) || reason === undefined || NOT_RECORDED.has(reply.statusCode)) return payload;
    const endpoint = endpointOf(request);
    const { now, actor } = changeBy(principal, clock.now());
    try {
      await audit.recordRefusal(principal.tenant.id, {
        at: now,
        actor,
        entity: entityOf(endpoint),
        action: ACTIONS[endpoint.split("/").pop() ?? ""] ?? "Edit",
        target: endpoint,
        reason: clip(reason, REASON_LENGTH),
      });
    } catch (error) {
      // the client's answer stands; the lost entry is logged for the operator
      request.log.error({ err: error, reason }, "could not record a refused write in the audit log");
    }
    return payload;
  });
}
