import type { FastifyReply } from "fastify";

/** The one table of statuses the API answers with, and their messages (spec/API.md section 2). */
export const ERROR_MESSAGES: Record<number, string> = {
  400: "Bad Request. Got an invalid JSON.",
  401: "Public API request unauthorized",
  402: "User does not have the required license type to run this API",
  403: "Forbidden access. The provided API Key does not have the required RBAC permissions to run this API.",
  404: "Not found. The requested path does not exist in the public API.",
  405: "Method not allowed. Public API calls use POST.",
  413: "Request entity too large.",
  429: "Too many requests.",
  500: "An error occurred while processing XDR public API",
  503: "Service unavailable.",
};

export interface ErrorFields {
  err_code: number;
  err_msg: string;
  err_extra: unknown;
}

/** The fields stand both at the top level (as the seed documents) and in `reply` (as the SDK reads). */
export function errorBody(
  status: number,
  extra: unknown = null,
  message?: string,
): ErrorFields & { reply: ErrorFields } {
  const fields = {
    err_code: status,
    err_msg: message ?? ERROR_MESSAGES[status] ?? ERROR_MESSAGES[500] ?? "",
    err_extra: extra,
  };
  return { ...fields, reply: { ...fields } };
}

/** `message` replaces the status's standard text where the contract puts details there (XQL errors). */
export function sendError(reply: FastifyReply, status: number, extra: unknown = null, message?: string): FastifyReply {
  return reply
    .code(status)
    .type("application/json; charset=utf-8")
    .send(errorBody(status, extra, message));
}
