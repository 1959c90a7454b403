/** The TAXII 2.1 media type and error message (TAXII 2.1 sections 1.6.1 and 3.6.1). */
import type { FastifyReply } from "fastify";

import { TAXII_MEDIA } from "../intel/taxii-media.ts";

export const TAXII_MEDIA_TYPE = TAXII_MEDIA;
export const STIX_MEDIA_TYPE = "application/stix+json;version=2.1";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  406: "Not Acceptable",
  429: "Too Many Requests",
};

/** A Buffer keeps the media type exactly as TAXII writes it (Fastify would rewrite it for a string). */
export function sendTaxii(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply
    .code(status)
    .header("content-type", TAXII_MEDIA_TYPE)
    .send(Buffer.from(JSON.stringify(body), "utf8"));
}

export function sendTaxiiError(reply: FastifyReply, status: number, description: string): FastifyReply {
  return sendTaxii(reply, { title: TITLES[status] ?? "Error", description, http_status: String(status) }, status);
}

/** TAXII 2.1 section 1.6.1: a client that accepts neither TAXII 2.1 nor anything gets 406. */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === "") return true;
  return accept.split(",").some((range) => {
    const [type = "", ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    if (type === "*/*" || type === "application/*") return true;
    if (type !== "application/taxii+json") return false;
    const version = params.find((p) => p.startsWith("version="));
    return version === undefined || version.replace(/"/g, "") === "version=2.1";
  });
}
