/**
 * Which TAXII feed URLs Warden will fetch (a guard against server-side request forgery): http or
 * https only, no credentials in the URL, and a host whose every address is public. Loopback,
 * private, link-local (cloud metadata at 169.254.169.254), shared, unspecified and multicast
 * addresses are refused unless the operator lists the host (or host:port) in
 * WARDEN_INTEL_FEED_HOSTS. Checked when a feed is added and again before every pull.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { fail, ok, type Result } from "../lib/result.ts";

const INTERNAL = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  INTERNAL.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 127],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  INTERNAL.addSubnet(net, bits, "ipv6");

export function isInternalAddress(text: string): boolean {
  const address = mappedIpv4(text.toLowerCase()) ?? text;
  const family = isIP(address);
  return family !== 0 && INTERNAL.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** An IPv4-mapped IPv6 address reaches the IPv4 host it names (URLs write it as ::ffff:7f00:1). */
function mappedIpv4(address: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!hex) return undefined;
  const [high, low] = [Number.parseInt(hex[1] as string, 16), Number.parseInt(hex[2] as string, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** The URL, once it may be fetched; `allowedHosts` are the operator's exceptions for internal hosts. */
export async function checkFeedUrl(text: string, allowedHosts: readonly string[]): Promise<Result<URL>> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(`'${text}' is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return fail("feed URLs must be http or https");
  if (url.username || url.password) return fail("put credentials in --user and --password, not in the URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (allowedHosts.includes(host) || allowedHosts.includes(url.host)) return ok(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return fail(`the feed host ${host} cannot be resolved`);
  }
  const internal = addresses.find(isInternalAddress);
  if (internal)
    return fail(
      `the feed host ${host} is an internal address (${internal}); list it in WARDEN_INTEL_FEED_HOSTS to allow it`,
    );
  return ok(url);
}
