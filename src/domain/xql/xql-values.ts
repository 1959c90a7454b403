/** XQL's view of event values: text without regard to case, numbers where both sides read as numbers, nulls. */
import { isIP } from "node:net";

export type XqlValue = unknown;

export function isNull(value: XqlValue): boolean {
  return value === undefined || value === null;
}

/** The text of a value; undefined for null. Objects and arrays read as JSON. */
export function text(value: XqlValue): string | undefined {
  if (isNull(value)) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function number(value: XqlValue): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function truthy(value: XqlValue): boolean {
  if (isNull(value) || value === false || value === 0 || value === "") return false;
  return !(typeof value === "string" && value.toLowerCase() === "false");
}

/** Orders two values: numerically when both read as numbers, else by lower-cased text; undefined if either is null. */
export function compare(a: XqlValue, b: XqlValue): number | undefined {
  if (isNull(a) || isNull(b)) return undefined;
  const [x, y] = [number(a), number(b)];
  if (x !== undefined && y !== undefined && (typeof a === "number" || typeof b === "number")) return x - y;
  const [s, t] = [text(a)?.toLowerCase() ?? "", text(b)?.toLowerCase() ?? ""];
  return s < t ? -1 : s > t ? 1 : 0;
}

function ipv4(value: string): number | undefined {
  if (isIP(value) !== 4) return undefined;
  return value.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function ipv6(value: string): bigint | undefined {
  if (isIP(value) !== 6) return undefined;
  const [head = "", tail] = value.toLowerCase().split("::");
  const parts = (s: string) => (s === "" ? [] : s.split(":"));
  const expand = (groups: string[]) =>
    groups.flatMap((g) => {
      const v4 = ipv4(g);
      return v4 === undefined ? [g] : [(v4 >>> 16).toString(16), (v4 & 0xffff).toString(16)];
    });
  const left = expand(parts(head));
  const right = tail === undefined ? [] : expand(parts(tail));
  const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}

/** `ip incidr "10.0.0.0/8, 192.168.0.0/16"`: any of the comma-separated ranges. */
export function inCidr(ip: XqlValue, cidrs: XqlValue, family: 4 | 6): boolean {
  const address = text(ip)?.trim();
  const ranges = text(cidrs);
  if (!address || !ranges) return false;
  return ranges.split(",").some((range) => {
    const [base = "", bits] = range.trim().split("/");
    if (family === 4) {
      const [a, b] = [ipv4(address), ipv4(base)];
      const prefix = bits === undefined ? 32 : Number(bits);
      if (a === undefined || b === undefined || !(prefix >= 0 && prefix <= 32)) return false;
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      return (a & mask) >>> 0 === (b & mask) >>> 0;
    }
    const [a, b] = [ipv6(address), ipv6(base)];
    const prefix = BigInt(bits === undefined ? 128 : Number(bits));
    if (a === undefined || b === undefined || prefix < 0n || prefix > 128n) return false;
    const shift = 128n - prefix;
    return a >> shift === b >> shift;
  });
}
