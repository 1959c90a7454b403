import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { alertPayload } from "./alert-payload.ts";
import { type AttemptOutcome, idempotencyKey, type OutboxEntry } from "./delivery-model.ts";
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signatureHeader, TIMESTAMP_HEADER } from "./webhook-signature.ts";

export interface WebhookAgents {
  "http:": HttpAgent;
  "https:": HttpsAgent;
}

/**
 * Kept-alive connections, one set per dispatcher: node:http with an agent sent about six times as
 * many requests a second as fetch on this machine, since each round goes to the same few hosts.
 * Idle sockets do not keep the process alive (Node unrefs an agent's free sockets).
 */
export function webhookAgents(ca?: string[]): WebhookAgents {
  return {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: 16 }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: 16, ...(ca ? { ca } : {}) }),
  };
}

/**
 * POSTs one alert, signed under each of `secrets` (the current one first; during a rotation's
 * overlap, the previous one too). Any 2xx is delivered; anything else (another status, a timeout, a refused
 * connection) is a failure to retry. Redirects are not followed: a redirect could lead past the
 * guard on internal addresses.
 */
export function postAlert(
  url: URL,
  secrets: readonly string[],
  entry: Pick<OutboxEntry, "tenantId" | "tenantName" | "targetId" | "alert">,
  now: number,
  timeoutMs: number,
  agents: WebhookAgents,
): Promise<AttemptOutcome> {
  const key = idempotencyKey(entry);
  const body = Buffer.from(alertPayload(key, entry.tenantName, entry.alert), "utf8");
  const timestamp = String(Math.floor(now / 1000));
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = send(
      url,
      {
        method: "POST",
        agent: agents[url.protocol as keyof typeof agents],
        headers: {
          "content-type": "application/json",
          "content-length": body.length,
          "user-agent": "Warden-Webhooks/1",
          [IDEMPOTENCY_HEADER]: key,
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signatureHeader(secrets, timestamp, body.toString("utf8")),
        },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        res.on("end", () =>
          settle(status >= 200 && status < 300 ? { delivered: true } : { delivered: false, error: `HTTP ${status}` }),
        );
        res.on("error", (error: NodeJS.ErrnoException) =>
          settle({ delivered: false, error: error.code ?? error.message }),
        );
      },
    );
    // the whole exchange, not only an idle socket, must fit in the timeout
    const timer = setTimeout(() => {
      settle({ delivered: false, error: "timed out" });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => settle({ delivered: false, error: error.code ?? error.message }));
    req.end(body);
  });
}
