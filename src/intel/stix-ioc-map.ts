/** Which STIX object paths an IOC rule type can hold, both ways. */
import { isIP } from "node:net";
import type { IocType } from "../domain/ioc/ioc-model.ts";
import { fail, ok, type Result } from "../lib/result.ts";
import { singleAddress } from "./ip-value.ts";
import { type StixObservation, stixString } from "./stix-pattern.ts";

/** One rule's worth of a pattern or observable; `part` tells rules of one object apart ("" when alone). */
export interface IocValue {
  part: string;
  type: IocType;
  value: string;
}

const HASH_NAMES: Readonly<Record<string, string>> = {
  md5: "MD5",
  "sha-1": "SHA-1",
  sha1: "SHA-1",
  "sha-256": "SHA-256",
  sha256: "SHA-256",
};

/** The IOC type of `objectType:path`, or why none fits. */
export function iocValueOf(objectType: string, path: string, value: string): Result<Omit<IocValue, "part">> {
  const key = `${objectType}:${path}`;
  if (objectType === "file" && path.startsWith("hashes.")) {
    if (HASH_NAMES[path.slice(7)]) return ok({ type: "HASH", value });
    return fail(`unsupported hash ${path.slice(7)}: IOC rules hold MD5, SHA-1 and SHA-256`);
  }
  if (key === "ipv4-addr:value" || key === "ipv6-addr:value") {
    const address = singleAddress(value);
    return address.ok ? ok({ type: "IP", value: address.value }) : address;
  }
  if (key === "domain-name:value") return ok({ type: "DOMAIN_NAME", value });
  if (key === "url:value") return ok({ type: "URL", value });
  if (key === "file:name") return ok({ type: "FILENAME", value });
  return fail(`unsupported type: ${key} has no IOC rule type`);
}

const DIRECTORY = "parent_directory_ref.path";

/** The values a parsed pattern stands for: each OR branch a rule, or an AND of one object's properties as one. */
export function iocValuesOfPattern(observation: StixObservation): Result<IocValue[]> {
  const { joiner, comparisons } = observation;
  if (joiner === "AND") return andValue(observation);
  const values: IocValue[] = [];
  for (const [index, c] of comparisons.entries()) {
    const read = iocValueOf(c.objectType, c.path, c.value);
    if (!read.ok) return read;
    values.push({ part: comparisons.length === 1 ? "" : String(index), ...read.value });
  }
  return ok(values);
}

type Comparison = StixObservation["comparisons"][number];

/** Strongest first: a file's SHA-256 says the most of it. */
const HASH_PREFERENCE = ["SHA-256", "SHA-1", "MD5"];

/**
 * An AND of one object's properties as the one rule they come to. A file's directory and name
 * make a path; a file's hash, with its name or other hashes beside it (MISP's `filename|md5`), is
 * the hash; a connection's address and its type (how MISP writes `ip-dst`) is the address; a
 * domain and what it resolves to (MISP's `domain|ip`) is the domain, as Warden's MISP import reads
 * the same attributes.
 */
function andValue(observation: StixObservation): Result<IocValue[]> {
  const { comparisons } = observation;
  const objectTypes = new Set(comparisons.map((c) => c.objectType));
  const [objectType] = objectTypes;
  if (objectTypes.size === 1 && objectType === "file") {
    if (comparisons.some((c) => c.path === DIRECTORY)) return filePath(observation);
    const hash = strongestHash(comparisons);
    if (hash) return single(iocValueOf("file", hash.path, hash.value));
  }
  if (objectTypes.size === 1 && objectType === "network-traffic") {
    const addresses = comparisons.filter((c) => /^(src|dst)_ref\.value$/.test(c.path));
    const others = comparisons.filter((c) => !addresses.includes(c) && !/^(src|dst)_ref\.type$|_port$/.test(c.path));
    if (addresses.length === 1 && others.length === 0) {
      const address = singleAddress((addresses[0] as Comparison).value);
      return address.ok ? ok([{ part: "", type: "IP", value: address.value }]) : address;
    }
  }
  if (objectTypes.size === 1 && objectType === "domain-name") {
    const domain = comparisons.filter((c) => c.path === "value");
    const resolved = comparisons.filter((c) => c.path.startsWith("resolves_to_refs"));
    if (domain.length === 1 && domain.length + resolved.length === comparisons.length)
      return single(iocValueOf("domain-name", "value", (domain[0] as Comparison).value));
  }
  return fail(
    "pattern too complex: AND joins one object's properties only as a file's directory and name, a file's hash and its name, a connection's address and its type, or a domain and what it resolves to",
  );
}

function strongestHash(comparisons: readonly Comparison[]): Comparison | undefined {
  const hashes = comparisons.filter((c) => c.path.startsWith("hashes."));
  const rank = (c: Comparison) => HASH_PREFERENCE.indexOf(HASH_NAMES[c.path.slice(7)] ?? "");
  const known = hashes.filter((c) => rank(c) >= 0).sort((a, b) => rank(a) - rank(b));
  return known[0];
}

function single(read: Result<Omit<IocValue, "part">>): Result<IocValue[]> {
  return read.ok ? ok([{ part: "", ...read.value }]) : read;
}

function filePath({ comparisons }: StixObservation): Result<IocValue[]> {
  const dir = comparisons.find((c) => c.objectType === "file" && c.path === DIRECTORY);
  const name = comparisons.find((c) => c.objectType === "file" && c.path === "name");
  if (comparisons.length !== 2 || !dir || !name)
    return fail("pattern too complex: AND joins a file's parent_directory_ref.path only with its name");
  const separator = dir.value.includes("\\") ? "\\" : "/";
  const joined = /[\\/]$/.test(dir.value) ? dir.value + name.value : dir.value + separator + name.value;
  return ok([{ part: "", type: "PATH", value: joined }]);
}

/** The STIX pattern of a rule's value; undefined for MIXED, which no STIX object path holds. */
export function patternOf(type: IocType, value: string): string | undefined {
  switch (type) {
    case "HASH":
      return `[file:hashes.${hashName(value)} = ${stixString(value)}]`;
    case "IP":
      return `[${isIP(value) === 6 ? "ipv6-addr" : "ipv4-addr"}:value = ${stixString(value)}]`;
    case "DOMAIN_NAME":
      return `[domain-name:value = ${stixString(value)}]`;
    case "URL":
      return `[url:value = ${stixString(value)}]`;
    case "FILENAME":
      return `[file:name = ${stixString(value)}]`;
    case "PATH":
      return pathPattern(value);
    case "MIXED":
      return undefined;
  }
}

function hashName(value: string): string {
  if (value.length === 32) return "MD5";
  return value.length === 40 ? "'SHA-1'" : "'SHA-256'";
}

function pathPattern(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  // a root or a bare drive keeps its separator, so reading it back knows which one it was
  const head = path.slice(0, cut);
  const dir = /[\\/]/.test(head) ? head : path.slice(0, cut + 1);
  return `[file:${DIRECTORY} = ${stixString(dir)} AND file:name = ${stixString(path.slice(cut + 1))}]`;
}
