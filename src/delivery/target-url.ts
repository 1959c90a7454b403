/**
 * Which target URLs Warden will send alerts to: the guard against server-side request forgery of
 * TAXII feeds (src/intel/feed-url.ts) applied to webhooks (http, https) and syslog receivers
 * (syslog+udp, syslog+tcp, syslog+tls). Internal addresses are refused unless listed in WARDEN_DELIVERY_HOSTS.
 * Checked when a target is added and again before every attempt (a name may come to resolve elsewhere).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isInternalAddress } from "../intel/feed-url.ts";
import { fail, ok, type Result } from "../lib/result.ts";
import type { TargetKind } from "./delivery-model.ts";

const KINDS: Record<string, TargetKind> = {
  "http:": "webhook",
  "https:": "webhook",
  "syslog+udp:": "syslog",
  "syslog+tcp:": "syslog",
  "syslog+tls:": "syslog",
};

/** What kind of target a URL names, once it may be reached. */
export async function checkTargetUrl(
  text: string,
  allowedHosts: readonly string[],
): Promise<Result<{ url: URL; kind: TargetKind }>> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`'${text}' is not a URL`);
  }
  const kind = KINDS[url.protocol];
  if (!kind)
    return fail(
      "a target URL is http:// or https:// (a webhook), or syslog+udp://, syslog+tcp:// or syslog+tls:// (syslog)",
    );
  if (url.username || url.password) return fail("a target URL may not hold credentials");
  if (kind === "syslog" && !url.port) return fail("a syslog URL names its port, e.g. syslog+tcp://siem.example:6514");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (allowedHosts.includes(host) || allowedHosts.includes(url.host)) return ok({ url, kind });
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return fail(`the host ${host} cannot be resolved`);
  }
  const internal = addresses.find(isInternalAddress);
  if (internal)
    return fail(`the host ${host} is an internal address (${internal}); list it in WARDEN_DELIVERY_HOSTS to allow it`);
  return ok({ url, kind });
}
