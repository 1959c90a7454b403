/** The XQL functions the evaluator runs on one event, and the aggregates it refuses to. */
import { isIP } from "node:net";
import { compileBoundedRegex, regexSubject } from "../../lib/bounded-regex.ts";
import { extractTime, formatTimestamp, timestampDiff } from "./xql-time-functions.ts";
import { inCidr, isNull, number, text, truthy, type XqlValue } from "./xql-values.ts";

export type XqlFunction = (args: XqlValue[]) => XqlValue;

/** Functions over many rows: meaningless on one event, so not allowed in BIOC queries. */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([
  "count",
  "count_distinct",
  "approx_count",
  "approx_quantiles",
  "approx_top",
  "sum",
  "avg",
  "min",
  "max",
  "values",
  "list",
  "earliest",
  "latest",
  "first",
  "last",
  "median",
  "var",
  "stddev",
  "stddev_population",
  "var_population",
  "rank",
  "row_number",
  "dense_rank",
  "lag",
  "lead",
  "first_value",
  "last_value",
]);

const str = (value: XqlValue): string | undefined => text(value);

function asArray(value: XqlValue): XqlValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON string read as its value; other values as they are; undefined for text that is not JSON. */
export function asJson(value: XqlValue): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** `$.a.b[0]` or `a.b` style paths. */
export function jsonPathGet(root: unknown, path: (string | number)[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function parsePath(path: string): (string | number)[] {
  return path
    .replace(/^\$\.?/, "")
    .split(/\.|\[(\d+)\]|\["([^"]*)"\]/)
    .filter((part) => part !== undefined && part !== "")
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function regextract(value: XqlValue, pattern: XqlValue): XqlValue {
  const subject = str(value);
  const source = str(pattern);
  if (subject === undefined || source === undefined) return null;
  const regex = compileBoundedRegex(source, false);
  if (typeof regex === "string") return null;
  const matcher = regex.matcher(regexSubject(subject));
  const found: string[] = [];
  while (matcher.find()) found.push((matcher.groupCount() > 0 ? matcher.group(1) : matcher.group()) ?? "");
  return found;
}

function trimmer(mode: "both" | "left" | "right"): XqlFunction {
  return ([value, chars]) => {
    const s = str(value);
    if (s === undefined) return null;
    const set = str(chars) ?? " \t\r\n";
    let [start, end] = [0, s.length];
    if (mode !== "right") while (start < end && set.includes(s[start] as string)) start++;
    if (mode !== "left") while (end > start && set.includes(s[end - 1] as string)) end--;
    return s.slice(start, end);
  };
}

const arithmetic =
  (op: (a: number, b: number) => number): XqlFunction =>
  ([a, b]) => {
    const [x, y] = [number(a), number(b)];
    return x === undefined || y === undefined ? null : op(x, y);
  };

function isPrivateIpv4(value: XqlValue): boolean {
  return ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16"].some((range) =>
    inCidr(value, range, 4),
  );
}

function ipToInt(value: XqlValue): XqlValue {
  const s = str(value);
  if (s === undefined || isIP(s) !== 4) return null;
  return s.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIp(value: XqlValue): XqlValue {
  const n = number(value);
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffffff) return null;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

function urlHost(value: XqlValue): XqlValue {
  const s = str(value);
  if (s === undefined) return null;
  const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(s.trim());
  return match?.[1]?.toLowerCase() ?? null;
}

/** `replex(s, pattern, replacement)`: every match replaced; a pattern over the size cap leaves s as it is. */
function replex([value, pattern, replacement]: XqlValue[]): XqlValue {
  const [s, p] = [str(value), str(pattern)];
  if (s === undefined || p === undefined) return null;
  const regex = compileBoundedRegex(p, false);
  return typeof regex === "string" ? s : regex.matcher(regexSubject(s)).replaceAll(str(replacement) ?? "");
}

/** `format_string("%s-%d", a, b)`: the %s/%d/%f/%% forms. */
function formatString([format, ...args]: XqlValue[]): XqlValue {
  let next = 0;
  return (str(format) ?? "").replace(/%[sdf%]/g, (spec) => (spec === "%%" ? "%" : (str(args[next++]) ?? "null")));
}

export const FUNCTIONS: Readonly<Record<string, XqlFunction>> = {
  lowercase: ([v]) => str(v)?.toLowerCase() ?? null,
  uppercase: ([v]) => str(v)?.toUpperCase() ?? null,
  concat: (args) => args.map((v) => str(v) ?? "").join(""),
  coalesce: (args) => args.find((v) => !isNull(v)) ?? null,
  if: ([condition, then, otherwise]) => (truthy(condition) ? (then ?? null) : (otherwise ?? null)),
  to_string: ([v]) => str(v) ?? null,
  to_integer: ([v]) => {
    const n = number(v);
    return n === undefined ? null : Math.trunc(n);
  },
  to_number: ([v]) => number(v) ?? null,
  to_float: ([v]) => number(v) ?? null,
  len: ([v]) => str(v)?.length ?? null,
  split: ([v, delimiter]) => str(v)?.split(str(delimiter) ?? ",") ?? null,
  arrayindex: ([array, index]) => {
    const list = asArray(array);
    const i = number(index);
    if (!list || i === undefined) return null;
    return list[i < 0 ? list.length + i : i] ?? null;
  },
  array_length: ([array]) => asArray(array)?.length ?? null,
  arraystring: ([array, separator]) =>
    asArray(array)
      ?.map((v) => str(v) ?? "")
      .join(str(separator) ?? ",") ?? null,
  arraycreate: (args) => args,
  arraydistinct: ([array]) => {
    const list = asArray(array);
    return list ? [...new Set(list)] : null;
  },
  json_extract: ([json, path]) => {
    const found = jsonPathGet(asJson(json), parsePath(str(path) ?? ""));
    return found === undefined ? null : JSON.stringify(found);
  },
  json_extract_scalar: ([json, path]) => {
    const found = jsonPathGet(asJson(json), parsePath(str(path) ?? ""));
    return found === null || found === undefined || typeof found === "object" ? null : String(found);
  },
  json_extract_array: ([json, path]) => {
    const found = jsonPathGet(asJson(json), parsePath(str(path) ?? ""));
    return Array.isArray(found) ? found.map((v) => (typeof v === "string" ? v : JSON.stringify(v))) : null;
  },
  extract_time: ([value, part]) => extractTime(value, part),
  timestamp_diff: ([t1, t2, part]) => timestampDiff(t1 ?? null, t2 ?? null, part ?? null),
  format_timestamp: ([format, t, zone]) => formatTimestamp(format ?? null, t ?? null, zone ?? null),
  regextract: ([value, pattern]) => regextract(value, pattern),
  replace: ([value, find, replacement]) => {
    const s = str(value);
    return s === undefined ? null : s.split(str(find) ?? "").join(str(replacement) ?? "");
  },
  trim: trimmer("both"),
  ltrim: trimmer("left"),
  rtrim: trimmer("right"),
  incidr: ([ip, cidr]) => inCidr(ip, cidr, 4),
  incidr6: ([ip, cidr]) => inCidr(ip, cidr, 6),
  string_count: ([value, find]) => {
    const [s, f] = [str(value), str(find)];
    return s === undefined || !f ? null : s.split(f).length - 1;
  },
  add: arithmetic((a, b) => a + b),
  subtract: arithmetic((a, b) => a - b),
  multiply: arithmetic((a, b) => a * b),
  divide: arithmetic((a, b) => (b === 0 ? Number.NaN : a / b)),
  pow: arithmetic((a, b) => a ** b),
  round: ([v]) => {
    const n = number(v);
    return n === undefined ? null : Math.round(n);
  },
  floor: ([v]) => {
    const n = number(v);
    return n === undefined ? null : Math.floor(n);
  },
  to_json_string: ([v]) => (isNull(v) ? null : JSON.stringify(v)),
  to_boolean: ([v]) => (isNull(v) ? null : truthy(v)),
  arrayconcat: (args) => args.flatMap((a) => asArray(a) ?? []),
  arrayindexof: ([array, item]) => {
    const list = asArray(array);
    if (!list) return null;
    const at = list.findIndex((v) => str(v)?.toLowerCase() === str(item)?.toLowerCase());
    return at < 0 ? null : at;
  },
  json_extract_scalar_array: ([json, path]) => {
    const found = jsonPathGet(asJson(json), parsePath(str(path) ?? ""));
    return Array.isArray(found) ? found.filter((v) => v === null || typeof v !== "object").map(String) : null;
  },
  incidrlist: ([ip, cidrs]) => inCidr(ip, cidrs, 4),
  is_ipv4: ([v]) => isIP(str(v) ?? "") === 4,
  is_ipv6: ([v]) => isIP(str(v) ?? "") === 6,
  is_known_private_ipv4: ([v]) => isPrivateIpv4(v),
  ip_to_int: ([v]) => ipToInt(v),
  int_to_ip: ([v]) => intToIp(v),
  extract_url_host: ([v]) => urlHost(v),
  replex,
  format_string: formatString,
  object_create: (args) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i + 1 < args.length; i += 2) object[str(args[i]) ?? ""] = args[i + 1];
    return JSON.stringify(object);
  },
};
