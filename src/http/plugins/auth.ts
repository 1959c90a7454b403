import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Limits } from "../../config.ts";
import type { Permission } from "../../domain/keys/key-model.ts";
import { roleAllows } from "../../domain/keys/key-model.ts";
import type { KeyService } from "../../domain/keys/key-service.ts";
import type { Principal } from "../../domain/keys/principal.ts";
import { licenseAllowsRuleApi } from "../../domain/tenants/tenant-model.ts";
import type { Clock } from "../../lib/clock.ts";
import type { SharedLimitStore } from "../../storage/limit-ports.ts";
import { sendError } from "../errors.ts";
import { type AuthLimiters, memoryLimiters, sharedLimiters } from "./shared-limits.ts";

export type { AuthLimiters } from "./shared-limits.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** What the route needs; routes without it are public (healthcheck, docs). */
    permission?: Permission;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What failed authentications are counted under: the client's address, and the key id it named. */
export function failureNames(request: FastifyRequest, keyId: string | undefined): string[] {
  const id = keyId?.trim();
  return id && /^[0-9]{1,16}$/.test(id) ? [`address ${request.ip}`, `key ${id}`] : [`address ${request.ip}`];
}

/** 401, or 429 once the address or the key id has failed too often this minute. */
async function refuseFailure(
  request: FastifyRequest,
  reply: FastifyReply,
  limiters: AuthLimiters,
  keyId: string | undefined,
): Promise<FastifyReply> {
  const blocked = await limiters.failed(failureNames(request, keyId));
  if (blocked === 0) return sendError(reply, 401);
  return sendError(reply.header("retry-after", String(blocked)), 429, "too many failed authentications");
}

/**
 * Checks in the contract's order, before the body is read: authentication (401), license (402),
 * permission (403). Every authentication failure looks the same from outside.
 */
/** `shared`: counters every node of a cluster shares (PostgreSQL); absent, each process counts its own. */
export function installAuth(
  app: FastifyInstance,
  keys: KeyService,
  limits: Limits,
  clock: Clock,
  shared?: SharedLimitStore,
): AuthLimiters {
  const limiters = shared ? sharedLimiters(shared, limits, clock) : memoryLimiters(limits, clock);
  app.decorateRequest("principal", null as unknown as Principal);
  app.addHook("onRequest", async (request, reply) => {
    const permission = request.routeOptions.config?.permission;
    if (permission === undefined) return;
    const keyId = header(request, "x-xdr-auth-id");
    const principal = await keys.authenticate({
      keyId,
      authorization: header(request, "authorization"),
      nonce: header(request, "x-xdr-nonce"),
      timestamp: header(request, "x-xdr-timestamp"),
      // the client's own address when a trusted proxy forwarded the request (WARDEN_TRUSTED_PROXIES)
      address: request.ip,
    });
    if (!principal) return refuseFailure(request, reply, limiters, keyId);
    // known from here on, so a write refused below is recorded under the key that tried it
    request.principal = principal;
    const wait = await limiters.take(principal.keyId);
    if (wait > 0)
      return sendError(reply.header("retry-after", String(wait)), 429, "this API key's request rate is over its limit");
    if (!licenseAllowsRuleApi(principal.tenant.license)) return sendError(reply, 402);
    if (!roleAllows(principal.role, permission)) return sendError(reply, 403);
  });
  return limiters;
}
