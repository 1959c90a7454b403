import type { FastifyError, FastifyInstance } from "fastify";
import { isStoreUnavailable } from "../../storage/store-errors.ts";
import { sendError } from "../errors.ts";

const RETRY_AFTER_SECONDS = 5;

/** Client mistakes Fastify itself detects, mapped onto the contract's statuses. */
function clientStatus(error: FastifyError): number | undefined {
  if (error.validation) return 400;
  const status = error.statusCode;
  if (status === 413) return 413;
  if (status === 415) return 400; // a body the server cannot read is "not valid JSON" to the contract
  if (status !== undefined && status >= 400 && status < 500) return status;
  return undefined;
}

/** `/request_data/filters/0` reads better as `request_data.filters[0]`. */
function fieldPath(instancePath: string): string {
  const path = instancePath
    .split("/")
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join("");
  return path === "" ? "the body" : path.slice(1);
}

function describeClientError(error: FastifyError): string {
  const [first] = error.validation ?? [];
  if (!first) return error.message;
  const where = fieldPath(first.instancePath);
  const params = first.params as Record<string, unknown>;
  if (first.keyword === "additionalProperties") return `${where} has the unknown field '${params.additionalProperty}'`;
  if (first.keyword === "required") return `${where} is missing the field '${params.missingProperty}'`;
  return `${where} ${first.message}`;
}

/**
 * Every failure leaves in the contract's error form. Unexpected errors are logged with their
 * detail and answered with the generic 500: stack traces never reach the wire.
 */
export function installErrorHandling(app: FastifyInstance, routeMethods: ReadonlyMap<string, readonly string[]>): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = clientStatus(error);
    if (status !== undefined) return sendError(reply, status, describeClientError(error));
    if (isStoreUnavailable(error)) {
      request.log.warn({ err: error }, "the database is unavailable");
      return sendError(
        reply.header("retry-after", String(RETRY_AFTER_SECONDS)),
        503,
        "the database is unavailable; retry shortly",
      );
    }
    request.log.error({ err: error }, "unexpected error while serving a request");
    return sendError(reply, 500);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0]?.replace(/\/+$/, "") ?? "";
    // A known path asked with the wrong method is a 405, with the method it does take.
    const methods = routeMethods.get(path);
    if (methods) return sendError(reply.header("allow", methods.join(", ")), 405, `${request.method} ${path}`);
    return sendError(reply, 404, `${request.method} ${path}`);
  });
}
