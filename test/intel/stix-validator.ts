/**
 * Checks of STIX 2.1 indicators written from the specification (OASIS STIX 2.1, sections 2.9
 * identifiers, 3.2 timestamps, 4.7 indicator, 9 patterning), independent of Warden's own reader,
 * so an export is judged by the standard and not by the code that wrote it.
 */

const ID = /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const MILLIS = /\.\d{3}Z$/;
const INDICATOR_TYPES = new Set([
  "anomalous-activity",
  "anonymization",
  "benign",
  "compromised",
  "malicious-activity",
  "attribution",
  "unknown",
]);
const CUSTOM_PROPERTY = /^x_[a-z0-9_]{1,248}$/;
const KNOWN = new Set([
  "type",
  "spec_version",
  "id",
  "created",
  "modified",
  "created_by_ref",
  "revoked",
  "labels",
  "confidence",
  "lang",
  "external_references",
  "object_marking_refs",
  "granular_markings",
  "extensions",
  "name",
  "description",
  "indicator_types",
  "pattern",
  "pattern_type",
  "pattern_version",
  "valid_from",
  "valid_until",
  "kill_chain_phases",
]);

/** Every problem found; empty when the object is a valid STIX 2.1 indicator. */
export function indicatorProblems(o: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => ok || problems.push(what);
  need(o.type === "indicator", "type must be indicator");
  need(o.spec_version === "2.1", "spec_version must be 2.1");
  need(typeof o.id === "string" && ID.test(o.id) && o.id.startsWith("indicator--"), `bad id ${String(o.id)}`);
  for (const name of ["created", "modified"])
    need(typeof o[name] === "string" && TIMESTAMP.test(o[name]) && MILLIS.test(o[name]), `bad ${name}`);
  need(String(o.modified) >= String(o.created), "modified before created");
  need(typeof o.pattern === "string", "pattern required");
  need(o.pattern_type === "stix", "pattern_type required");
  need(typeof o.valid_from === "string" && TIMESTAMP.test(o.valid_from), "bad valid_from");
  if (o.valid_until !== undefined) {
    need(typeof o.valid_until === "string" && TIMESTAMP.test(o.valid_until), "bad valid_until");
    need(Date.parse(String(o.valid_until)) > Date.parse(String(o.valid_from)), "valid_until must be after valid_from");
  }
  if (o.indicator_types !== undefined)
    need(Array.isArray(o.indicator_types) && o.indicator_types.length > 0, "indicator_types must be a non-empty list");
  if (Array.isArray(o.indicator_types))
    for (const t of o.indicator_types) need(INDICATOR_TYPES.has(t), `indicator type ${t} not in the vocabulary`);
  if (o.confidence !== undefined)
    need(
      Number.isInteger(o.confidence) && (o.confidence as number) >= 0 && (o.confidence as number) <= 100,
      "confidence 0-100",
    );
  if (o.revoked !== undefined) need(typeof o.revoked === "boolean", "revoked must be a boolean");
  for (const key of Object.keys(o)) need(KNOWN.has(key) || CUSTOM_PROPERTY.test(key), `unknown property ${key}`);
  if (typeof o.pattern === "string") {
    const error = patternError(o.pattern);
    if (error) problems.push(`pattern: ${error}`);
  }
  return problems;
}

/**
 * The pattern grammar (section 9.2 and its ANTLR grammar), without qualifiers: observation
 * expressions of comparison expressions joined by AND/OR, with parentheses. Undefined when valid.
 */
export function patternError(pattern: string): string | undefined {
  const tokens = pattern.match(/\s+|'(?:[^'\\]|\\['\\])*'|\[|\]|\(|\)|!=|<=|>=|=|<|>|[A-Za-z0-9_:.\-*']+|./g) ?? [];
  const list = tokens.filter((t) => !/^\s+$/.test(t));
  let i = 0;
  const peek = () => list[i];
  const eat = (t: string) => {
    if (list[i] !== t) throw new Error(`expected ${t} at token ${i}, got ${list[i]}`);
    i += 1;
  };
  const objectPath = /^[a-z0-9][a-z0-9-]*[a-z0-9]:(?:[a-z0-9_]+|'[^']+')(?:\.(?:[a-z0-9_]+|'[^']+')|\[(?:\d+|\*)\])*$/i;
  const literal = (t: string | undefined) =>
    t !== undefined && (/^'(?:[^'\\]|\\['\\])*'$/.test(t) || /^-?\d+(\.\d+)?$/.test(t) || /^(true|false)$/.test(t));
  const comparison = () => {
    if (peek() === "(") {
      eat("(");
      orExpression();
      eat(")");
      return;
    }
    const path = list[i++];
    if (!path || !objectPath.test(path)) throw new Error(`bad object path ${path}`);
    if (peek() === "NOT") i += 1;
    const op = list[i++];
    if (!op || !["=", "!=", "<", ">", "<=", ">=", "LIKE", "MATCHES"].includes(op))
      throw new Error(`bad operator ${op}`);
    if (!literal(list[i++])) throw new Error(`bad literal ${list[i - 1]}`);
  };
  const andExpression = () => {
    comparison();
    while (peek() === "AND") {
      i += 1;
      comparison();
    }
  };
  const orExpression = () => {
    andExpression();
    while (peek() === "OR") {
      i += 1;
      andExpression();
    }
  };
  const observation = () => {
    eat("[");
    orExpression();
    eat("]");
  };
  try {
    observation();
    while (peek() === "AND" || peek() === "OR" || peek() === "FOLLOWEDBY") {
      i += 1;
      observation();
    }
    if (i !== list.length) throw new Error(`unexpected ${list[i]}`);
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
