/**
 * Per-type value checks and the canonical form that identifies an IOC value inside its tenant
 * (spec/API.md 4.1): trimmed; hashes, domains, paths and file names lower-cased; IPs in canonical
 * notation; URLs as WHATWG serialises them.
 */
import { isIP } from "node:net";
import type { IocType } from "./ioc-model.ts";

const HEX = /^[0-9a-fA-F]+$/;
const HASH_LENGTHS: ReadonlySet<number> = new Set([32, 40, 64]); // MD5, SHA1, SHA256
const DOMAIN_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const ALL_DIGITS = /^[0-9]+$/;
const WINDOWS_DRIVE_PATH = /^[A-Za-z]:[\\/]/;
const UNC_PATH = /^\\\\[^\\/]+[\\/]/;
const URL_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s]+$/;

/** Checks that `value` fits IOC type `type` and returns its canonical identity key, or undefined when it does not fit. */
export function canonicalIndicator(type: IocType, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  switch (type) {
    case "HASH":
      return HASH_LENGTHS.has(trimmed.length) && HEX.test(trimmed) ? trimmed.toLowerCase() : undefined;
    case "IP":
      return canonicalIp(trimmed);
    case "DOMAIN_NAME":
      return canonicalDomain(trimmed);
    case "URL":
      return canonicalUrl(trimmed);
    case "PATH":
      return isAbsolutePath(trimmed) ? trimmed.toLowerCase() : undefined;
    case "FILENAME":
      return isFileName(trimmed) ? trimmed.toLowerCase() : undefined;
    case "MIXED":
      return trimmed;
  }
}

/** All canonical keys a free-text filter value could stand for, whatever type it was stored as. */
export function canonicalCandidates(value: string): string[] {
  const trimmed = value.trim();
  const forms = new Set([trimmed, trimmed.toLowerCase()]);
  const ip = canonicalIp(trimmed);
  if (ip) forms.add(ip);
  const url = canonicalUrl(trimmed);
  if (url) forms.add(url);
  return [...forms];
}

function canonicalIp(value: string): string | undefined {
  const family = isIP(value);
  if (family === 4) return value;
  if (family === 6 && !value.includes("%")) return canonicalIpv6(value);
  return undefined;
}

/** RFC 5952: lower case, no leading zeros, the longest run (first on a tie) of two or more zero groups as `::`. */
function canonicalIpv6(value: string): string {
  const lower = value.toLowerCase();
  const lastColon = lower.lastIndexOf(":");
  const tail = lower.slice(lastColon + 1);
  const dottedTail = tail.includes(".") ? tail : undefined;
  const head = dottedTail ? `${lower.slice(0, lastColon + 1)}0:0` : lower;
  const groups = expandGroups(head).map((g) => Number.parseInt(g, 16).toString(16));
  if (dottedTail) groups.splice(6, 2);
  const [start, length] = longestZeroRun(groups);
  const text = (parts: string[]) => parts.join(":");
  let result: string;
  if (length < 2) result = text(groups);
  else result = `${text(groups.slice(0, start))}::${text(groups.slice(start + length))}`;
  if (!dottedTail) return result;
  return result.endsWith(":") ? `${result}${dottedTail}` : `${result}:${dottedTail}`;
}

/** Eight hex groups, with `::` filled in. */
function expandGroups(address: string): string[] {
  const [left = "", right] = address.split("::");
  const leftGroups = left === "" ? [] : left.split(":");
  if (right === undefined) return leftGroups;
  const rightGroups = right === "" ? [] : right.split(":");
  const zeros = Array.from({ length: 8 - leftGroups.length - rightGroups.length }, () => "0");
  return [...leftGroups, ...zeros, ...rightGroups];
}

function longestZeroRun(groups: string[]): [number, number] {
  let best: [number, number] = [-1, 0];
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === "0") {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start > best[1]) best = [start, i - start];
    start = -1;
  }
  return best;
}

function canonicalDomain(value: string): string | undefined {
  const name = value.endsWith(".") ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split(".");
  if (labels.length < 2) return undefined;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  // A name whose last label is all digits is an IPv4 address or nonsense, not a domain.
  if (ALL_DIGITS.test(labels[labels.length - 1] as string)) return undefined;
  return name.toLowerCase();
}

function canonicalUrl(value: string): string | undefined {
  if (!URL_SHAPE.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.host === "" ? undefined : url.href;
  } catch {
    return undefined;
  }
}

function isAbsolutePath(value: string): boolean {
  if (value.includes("\0")) return false;
  return value.startsWith("/") || WINDOWS_DRIVE_PATH.test(value) || UNC_PATH.test(value);
}

function isFileName(value: string): boolean {
  if (value === "." || value === "..") return false;
  return !/[\\/\0]/.test(value);
}
