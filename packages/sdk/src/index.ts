/** Warden's TypeScript SDK: a typed client generated from the server's OpenAPI document. */
export { type ApiKey, authHeaders } from "./auth.ts";
export { createWardenClient, WardenApiError, type WardenClient, type WardenClientOptions } from "./client.ts";
export type { components, paths } from "./openapi-types.ts";
export { type BiocObject, type Filter, getAll, type IocObject, MAX_PAGE, pages } from "./paging.ts";
export { type RetryOptions, retryAfterMs, retryingFetch } from "./retry.ts";
