/** The IOC type a bare value has, for sources that do not say (CSV without a type column). */
import { IOC_TYPES, type IocType } from "../domain/ioc/ioc-model.ts";
import { canonicalIndicator } from "../domain/ioc/ioc-values.ts";

/** Names other tools give the types (MISP attribute types, STIX object types, plain words). */
const TYPE_NAMES: Readonly<Record<string, IocType>> = {
  md5: "HASH",
  sha1: "HASH",
  "sha-1": "HASH",
  sha256: "HASH",
  "sha-256": "HASH",
  hash: "HASH",
  ip: "IP",
  ipv4: "IP",
  ipv6: "IP",
  "ip-src": "IP",
  "ip-dst": "IP",
  "ipv4-addr": "IP",
  "ipv6-addr": "IP",
  domain: "DOMAIN_NAME",
  hostname: "DOMAIN_NAME",
  "domain-name": "DOMAIN_NAME",
  url: "URL",
  uri: "URL",
  filename: "FILENAME",
  "file-name": "FILENAME",
  path: "PATH",
  "file-path": "PATH",
};

/** A type name as a source writes it, or undefined when it names none Warden knows. */
export function iocTypeNamed(name: string): IocType | undefined {
  const upper = name.trim().toUpperCase();
  if ((IOC_TYPES as readonly string[]).includes(upper)) return upper as IocType;
  return TYPE_NAMES[name.trim().toLowerCase()];
}

/** Tried in this order: the first type the value fits (a file name fits almost anything, so it is last). */
const GUESS_ORDER: readonly IocType[] = ["HASH", "IP", "URL", "DOMAIN_NAME", "PATH"];

export function guessIocType(value: string): IocType | undefined {
  return GUESS_ORDER.find((type) => canonicalIndicator(type, value) !== undefined);
}
