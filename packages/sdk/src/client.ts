import createClient, { type Client } from "openapi-fetch";
import type { ApiKey } from "./auth.ts";
import type { paths } from "./openapi-types.ts";
import { type RetryOptions, retryingFetch } from "./retry.ts";

export interface WardenClientOptions extends RetryOptions {
  /** The server's base URL, e.g. `https://warden.example:8080` (no path). */
  url: string;
  key: ApiKey;
  /** The fetch to send with (defaults to the global one). */
  fetch?: typeof fetch;
}

/** Every typed route of the OpenAPI document, plus `raw` for routes a server has that the document lacks. */
export interface WardenClient {
  api: Client<paths>;
  /** POSTs `{"request_data": data}` to a path the types do not know (e.g. a newer server's routes). */
  raw(path: string, data: unknown): Promise<{ status: number; body: unknown }>;
}

/** The contract's error body (spec/API.md section 2), thrown by the helpers when a call fails. */
export class WardenApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const reply = body as { err_msg?: unknown } | null;
    super(`HTTP ${status}: ${typeof reply?.err_msg === "string" ? reply.err_msg : JSON.stringify(body)}`);
  }
}

export function createWardenClient(options: WardenClientOptions): WardenClient {
  const send = retryingFetch(options.key, options, options.fetch);
  const baseUrl = options.url.replace(/\/+$/, "");
  const api = createClient<paths>({ baseUrl, fetch: send });
  const raw: WardenClient["raw"] = async (path, data) => {
    const response = await send(`${baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request_data: data }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (a proxy's error page): kept as text for the error message
    }
    return { status: response.status, body };
  };
  return { api, raw };
}
