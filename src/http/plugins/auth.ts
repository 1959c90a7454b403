import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Permission } from "../../domain/keys/key-model.ts";
import { roleAllows } from "../../domain/keys/key-model.ts";
import type { KeyService } from "../../domain/keys/key-service.ts";
import type { Principal } from "../../domain/keys/principal.ts";
import { licenseAllowsRuleApi } from "../../domain/tenants/tenant-model.ts";
import { sendError } from "../errors.ts";

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

/**
 * Checks in the contract's order, before the body is read: authentication (401), license (402),
 * permission (403). Every authentication failure looks the same from outside.
 */
export function installAuth(app: FastifyInstance, keys: KeyService): void {
  app.decorateRequest("principal", null as unknown as Principal);
  app.addHook("onRequest", async (request, reply) => {
    const permission = request.routeOptions.config?.permission;
    if (permission === undefined) return;
    const principal = await keys.authenticate({
      keyId: header(request, "x-xdr-auth-id"),
      authorization: header(request, "authorization"),
      nonce: header(request, "x-xdr-nonce"),
      timestamp: header(request, "x-xdr-timestamp"),
    });
    if (!principal) return sendError(reply, 401);
    if (!licenseAllowsRuleApi(principal.tenant.license)) return sendError(reply, 402);
    if (!roleAllows(principal.role, permission)) return sendError(reply, 403);
    request.principal = principal;
  });
}
