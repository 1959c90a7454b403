/**
 * The part of the STIX 2.1 patterning language (STIX 2.1 section 9) that an IOC rule can hold: one
 * observation of `=` comparisons against string literals, joined by OR (several values, one rule
 * each) or AND (one object's properties, one rule: stix-ioc-map.ts). Anything else is reported as too complex.
 */
import { fail, ok, type Result } from "../lib/result.ts";

/** `file:hashes.'SHA-256' = 'ab..'` as an object type, its property path (lower-cased) and the value. */
export interface StixComparison {
  objectType: string;
  path: string;
  value: string;
}

export interface StixObservation {
  joiner: "AND" | "OR" | undefined;
  comparisons: StixComparison[];
}

type Token = { kind: "punct" | "word" | "string" | "op"; text: string };

const TOO_COMPLEX =
  "pattern too complex: only one [...] observation of '=' comparisons with string values, all joined by OR or all by AND, can become rules";

export function parseStixPattern(pattern: string): Result<StixObservation> {
  const tokens = tokenize(pattern);
  if (!tokens.ok) return tokens;
  const list = tokens.value;
  if (list[0]?.text !== "[" || list.at(-1)?.text !== "]") return fail(TOO_COMPLEX);
  const inner = ungrouped(list.slice(1, -1));
  if (!inner) return fail("the pattern's parentheses do not balance");
  const comparisons: StixComparison[] = [];
  const joiners = new Set<string>();
  for (let i = 0; i < inner.length; i += 4) {
    const [path, op, value, joiner] = [inner[i], inner[i + 1], inner[i + 2], inner[i + 3]];
    if (path?.kind !== "word" || op?.text !== "=" || value?.kind !== "string") return fail(TOO_COMPLEX);
    const comparison = objectPath(path.text, value.text);
    if (!comparison) return fail(`'${path.text}' is not a STIX object path`);
    comparisons.push(comparison);
    if (joiner === undefined) break;
    if (joiner.kind !== "word" || !/^(AND|OR)$/.test(joiner.text)) return fail(TOO_COMPLEX);
    joiners.add(joiner.text);
    if (i + 4 >= inner.length) return fail(TOO_COMPLEX);
  }
  if (joiners.size > 1 || comparisons.length === 0) return fail(TOO_COMPLEX);
  return ok({ joiner: [...joiners][0] as "AND" | "OR" | undefined, comparisons });
}

/**
 * The tokens without their parentheses (`[(a = 'x') AND (b = 'y')]`, as pySigma writes them);
 * undefined when they do not balance. Dropping them changes nothing the reader accepts: it takes
 * comparisons all joined by AND or all by OR, where grouping does not matter.
 */
function ungrouped(tokens: Token[]): Token[] | undefined {
  let depth = 0;
  for (const token of tokens) {
    if (token.kind !== "punct") continue;
    if (token.text === "(") depth += 1;
    if (token.text === ")") depth -= 1;
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  return tokens.filter((t) => t.kind !== "punct" || (t.text !== "(" && t.text !== ")"));
}

function objectPath(text: string, value: string): StixComparison | undefined {
  const match = /^([a-z0-9][a-z0-9-]*[a-z0-9]):(.+)$/.exec(text);
  if (!match) return undefined;
  const path = (match[2] as string).replace(/'([^']*)'/g, "$1").toLowerCase();
  return { objectType: match[1] as string, path, value };
}

function tokenize(pattern: string): Result<Token[]> {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (/\s/.test(ch)) i += 1;
    else if ("[]()".includes(ch)) {
      tokens.push({ kind: "punct", text: ch });
      i += 1;
    } else if (ch === "'") {
      const read = stringLiteral(pattern, i);
      if (!read.ok) return read;
      tokens.push({ kind: "string", text: read.value.text });
      i = read.value.end;
    } else if (/[=!<>]/.test(ch)) {
      const op = /^(=|!=|<=|>=|<|>)/.exec(pattern.slice(i))?.[0] ?? ch;
      tokens.push({ kind: "op", text: op });
      i += op.length;
    } else {
      // an object path may hold quoted parts (hashes.'SHA-256') and list steps ([*], [0])
      const word = /^(?:[A-Za-z0-9_:.*\-[\]]|'[^']*')+/.exec(pattern.slice(i))?.[0];
      if (!word) return fail(`unexpected '${ch}' at offset ${i} of the pattern`);
      tokens.push({ kind: "word", text: word });
      i += word.length;
    }
  }
  return ok(tokens);
}

/** A quoted literal; `\'` and `\\` are the only escapes the grammar allows. */
function stringLiteral(pattern: string, start: number): Result<{ text: string; end: number }> {
  let text = "";
  for (let i = start + 1; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "'") return ok({ text, end: i + 1 });
    if (ch !== "\\") {
      text += ch;
      continue;
    }
    const next = pattern[i + 1];
    if (next !== "'" && next !== "\\") return fail(`the escape '\\${next ?? ""}' at offset ${i} is not allowed`);
    text += next;
    i += 1;
  }
  return fail(`the string starting at offset ${start} of the pattern is never closed`);
}

/** Writes a value as a pattern string literal. */
export function stixString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}
