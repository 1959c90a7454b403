/**
 * HTTP Basic for the TAXII 2.1 API (TAXII 2.1 section 1.6.8): the API key id as the user, its
 * secret as the password. Failures count against the same limiter as the rule API's own key
 * headers, per address and per key id, so TAXII is no cheaper a door to guess at.
 * Advanced keys never send their secret, so only standard keys can use Basic.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { roleAllows } from "../domain/keys/key-model.ts";
import type { KeyService } from "../domain/keys/key-service.ts";
import type { Principal } from "../domain/keys/principal.ts";
import { licenseAllowsRuleApi } from "../domain/tenants/tenant-model.ts";
import { type AuthLimiters, failureNames } from "./plugins/auth.ts";
import { sendTaxiiError } from "./taxii-wire.ts";

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  const text = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = text.indexOf(":");
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The principal, or undefined once the answer (401, 403, 429) has been sent. */
export async function taxiiPrincipal(
  request: FastifyRequest,
  reply: FastifyReply,
  keys: KeyService,
  limiters: AuthLimiters,
): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  const credentials = basicCredentials(Array.isArray(header) ? header[0] : header);
  const principal =
    credentials &&
    (await keys.authenticate({
      keyId: credentials.user,
      authorization: credentials.password,
      nonce: undefined,
      timestamp: undefined,
      address: request.ip,
    }));
  if (!principal) {
    const blocked = await limiters.failed(failureNames(request, credentials?.user));
    if (blocked > 0) {
      reply.header("retry-after", String(blocked));
      sendTaxiiError(reply, 429, "too many failed authentications");
      return undefined;
    }
    reply.header("www-authenticate", 'Basic realm="Warden TAXII", charset="UTF-8"');
    sendTaxiiError(reply, 401, "an API key id and secret are needed (HTTP Basic)");
    return undefined;
  }
  const wait = await limiters.take(principal.keyId);
  if (wait > 0) {
    sendTaxiiError(reply.header("retry-after", String(wait)), 429, "this API key's request rate is over its limit");
    return undefined;
  }
  if (!licenseAllowsRuleApi(principal.tenant.license) || !roleAllows(principal.role, "rules:read")) {
    sendTaxiiError(reply, 403, "this API key may not read IOC rules");
    return undefined;
  }
  return principal;
}
