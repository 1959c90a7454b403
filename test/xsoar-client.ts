/** Requests shaped the way the XSOAR "Cortex XDR - IOC" integration sends them. */
import { randomInt } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { advancedAuthorization } from "../src/domain/keys/key-secrets.ts";
import type { TestApp, TestKey } from "./harness.ts";

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** Its headers: a 64-character nonce, the timestamp as whole seconds times 1000, and x-iocs-source. */
export function xsoarHeaders(key: TestKey, nowMs: number): Record<string, string> {
  const nonce = Array.from({ length: 64 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join("");
  const timestamp = String(Math.floor(nowMs / 1000) * 1000);
  return {
    "x-xdr-timestamp": timestamp,
    "x-xdr-nonce": nonce,
    "x-xdr-auth-id": String(key.id),
    Authorization: advancedAuthorization(key.secret, nonce, timestamp),
    "x-iocs-source": "xsoar",
  };
}

/** `requests.post(url, data=json.dumps({"request_data": ...}))`: no content type at all. */
export function xsoarPost(
  t: TestApp,
  key: TestKey,
  path: string,
  requestData: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: "POST",
    url: `/public_api/v1/indicators/${path}`,
    headers: xsoarHeaders(key, t.clock.now()),
    payload: JSON.stringify({ request_data: requestData }),
  });
}

/** `requests.post(url, files=[("file", ("iocs.json", fh, "application/json"))])`. */
export function xsoarUpload(
  t: TestApp,
  key: TestKey,
  path: string,
  content: string,
  extra: Record<string, string> = {},
) {
  const boundary = "----warden-test-boundary";
  const fields = Object.entries(extra).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  const body =
    fields.join("") +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="iocs.json"\r\n` +
    `Content-Type: application/json\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return t.app.inject({
    method: "POST",
    url: `/public_api/v1/indicators/${path}`,
    headers: { ...xsoarHeaders(key, t.clock.now()), "content-type": `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}
