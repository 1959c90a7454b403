/** IP values as intelligence sources write them: one address, or a CIDR block that may hold just one. */
import { isIP } from "node:net";
import { fail, ok, type Result } from "../lib/result.ts";

/** The address itself; a /32 (IPv4) or /128 (IPv6) block is that address; a wider block cannot be a rule. */
export function singleAddress(text: string): Result<string> {
  const value = text.trim();
  const slash = value.indexOf("/");
  if (slash < 0) return ok(value);
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  const family = isIP(address);
  const full = family === 4 ? "32" : family === 6 ? "128" : undefined;
  if (full === undefined) return fail(`'${value}' is not an IP address or CIDR block`);
  if (prefix === full) return ok(address);
  return fail(`the CIDR block ${value} cannot become an IOC rule: an IP rule holds one address`);
}
