/**
 * XQL tokens with their positions (1-based line, 0-based column, as ANTLR reports them).
 * Whitespace and `//` / `/* *\/` comments are skipped; strings come in double, single or triple
 * double quotes (docs/xql.md says what each means); names may be backtick-quoted; `1h`-style
 * words (digits then letters) are single tokens.
 */

export type TokenKind = "ident" | "string" | "number" | "word" | "symbol" | "eof";

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** For strings, the content the query means; for numbers, the number; for quoted names, the name. */
  value?: string | number;
  /** A backtick-quoted name: never a keyword. */
  quoted?: boolean;
  offset: number;
  line: number;
  column: number;
}

export interface XqlErrorDetail {
  line: number;
  column: number;
  message: string;
}

export class XqlSyntaxError extends Error {
  constructor(readonly detail: XqlErrorDetail) {
    super(detail.message);
  }
}

const SYMBOLS = [
  "!~=",
  "!=",
  "<=",
  ">=",
  "~=",
  "->",
  "=",
  "<",
  ">",
  "|",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ".",
  "+",
  "-",
  "*",
  "/",
  "%",
  ":",
];
const IDENT_START = /[A-Za-z_$@]/;
const IDENT_PART = /[A-Za-z0-9_$@]/;
const DIGIT = /[0-9]/;
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "'": "'", "\\": "\\" };

class Cursor {
  offset = 0;
  line = 1;
  lineStart = 0;
  /**
   * Candidates for a second reading: offsets of `\"` read as a plain string's end because of what
   * follows, and starts of triple-quoted strings whose end skipped an escaped quote.
   */
  readonly closings: number[] = [];
  constructor(
    readonly text: string,
    /** Offsets of `\"` to read as a quote whatever follows, and of `"""` strings to end at their first `"""` (see tokenize). */
    readonly quotes: ReadonlySet<number> = new Set(),
  ) {}
  get column(): number {
    return this.offset - this.lineStart;
  }
  peek(ahead = 0): string {
    return this.text[this.offset + ahead] ?? "";
  }
  advance(count = 1): void {
    for (let i = 0; i < count; i++) {
      if (this.text[this.offset] === "\n") {
        this.line += 1;
        this.lineStart = this.offset + 1;
      }
      this.offset += 1;
    }
  }
}

function recognitionError(line: number, column: number, what: string): XqlSyntaxError {
  return new XqlSyntaxError({ line, column, message: `token recognition error at: '${what}'` });
}

function skipTrivia(c: Cursor): void {
  for (;;) {
    const ch = c.peek();
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") c.advance();
    else if (ch === "/" && c.peek(1) === "/") while (c.peek() !== "" && c.peek() !== "\n") c.advance();
    else if (ch === "/" && c.peek(1) === "*") {
      const end = c.text.indexOf("*/", c.offset + 2);
      if (end < 0) throw recognitionError(c.line, c.column, "/*");
      c.advance(end + 2 - c.offset);
    } else return;
  }
}

/**
 * What may stand after a string's closing quote (after spaces): the end, a line break, a closing
 * bracket, a separator, a pipe, a comment or an operator word. `\"` followed by one of these closes the
 * string with the backslash kept, so `"C:\Users\"` is `C:\Users\`; anywhere else `\"` is a quote.
 */
const AFTER_STRING = /^[ \t]*(?:$|[\r\n),|\]}]|\/\/|\/\*|(?:and|or|not|in|contains|incidr6?|as|by)(?![A-Za-z0-9_$@]))/i;

function closesAt(text: string, quoteAt: number): boolean {
  return AFTER_STRING.test(text.slice(quoteAt + 1, quoteAt + 40));
}

/**
 * Where a triple-quoted string ends: at the first `"""` that is not part of an escape, so
 * `"""\"key\"=\"v\""""` is `"key"="v"` (a live export writes quotes this way).
 */
function escapedTripleEnd(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    if (text[at] === "\\") at += 1;
    else if (text.startsWith('"""', at)) return at;
  }
  return -1;
}

/**
 * A triple-quoted string. It ends at its first unescaped `"""`; when that reading leaves text the
 * lexer cannot read, tokenize reads it again ending at the first `"""` of all (`"""C:\Temp\"""`).
 */
function readTriple(c: Cursor, start: number, line: number, column: number): Pick<Token, "text" | "value"> {
  const first = c.text.indexOf('"""', start + 3);
  const escaped = escapedTripleEnd(c.text, start + 3);
  let end = escaped;
  if (escaped !== first && first >= 0) {
    if (c.quotes.has(start) || escaped < 0) end = first;
    else c.closings.push(start);
  }
  if (end < 0) throw recognitionError(line, column, c.text.slice(start, start + 20));
  c.advance(end + 3 - start);
  return { text: c.text.slice(start, c.offset), value: processEscapes(c.text.slice(start + 3, end)) };
}

/** Escape processing for triple-quoted strings; an unknown escape keeps its backslash (`\d` stays `\d`). */
function processEscapes(raw: string): string {
  return raw.replace(/\\([\s\S])/g, (all, next: string) => ESCAPES[next] ?? all);
}

/** A plain string: every character is itself, except `\"` (a quote) where it does not close the string. */
function readString(c: Cursor): Pick<Token, "text" | "value"> {
  const [start, line, column] = [c.offset, c.line, c.column];
  const quote = c.peek();
  if (quote === '"' && c.peek(1) === '"' && c.peek(2) === '"') return readTriple(c, start, line, column);
  c.advance();
  let value = "";
  for (;;) {
    const ch = c.peek();
    if (ch === "" || ch === "\n") throw recognitionError(line, column, c.text.slice(start, c.offset));
    c.advance();
    if (ch === quote) break;
    if (ch === "\\" && c.peek() === quote) {
      const at = c.offset - 1;
      if (c.quotes.has(at) || !closesAt(c.text, c.offset)) {
        value += quote;
        c.advance();
        continue;
      }
      c.closings.push(at);
    }
    value += ch;
  }
  return { text: c.text.slice(start, c.offset), value };
}

/** `` `Failed Logins` ``: a name with any characters but a backtick or a line break. */
function readQuotedName(c: Cursor): Pick<Token, "text" | "value"> {
  const [start, line, column] = [c.offset, c.line, c.column];
  const end = c.text.indexOf("`", start + 1);
  const newline = c.text.indexOf("\n", start + 1);
  if (end < 0 || end === start + 1 || (newline >= 0 && newline < end))
    throw recognitionError(line, column, c.text.slice(start, start + 20));
  c.advance(end + 1 - start);
  return { text: c.text.slice(start + 1, end), value: c.text.slice(start + 1, end) };
}

function readNumberOrWord(c: Cursor): Pick<Token, "kind" | "text" | "value"> {
  const start = c.offset;
  while (DIGIT.test(c.peek())) c.advance();
  if (c.peek() === "." && DIGIT.test(c.peek(1))) {
    c.advance();
    while (DIGIT.test(c.peek())) c.advance();
  }
  if (IDENT_START.test(c.peek())) {
    while (IDENT_PART.test(c.peek())) c.advance();
    return { kind: "word", text: c.text.slice(start, c.offset) };
  }
  const text = c.text.slice(start, c.offset);
  return { kind: "number", text, value: Number(text) };
}

/**
 * How many string ends tokenize may read again before it reports the first error. A public
 * key=value parser needs 28 (its regexes hold `[^\\\"]` classes, each a `\"` that looks like an end);
 * each reading lexes the query once more, so 64 bound a 16 KB query to about 1 MB of lexing.
 */
const MAX_REREADS = 64;

/**
 * Splits a query into tokens, ending with one `eof` token; throws XqlSyntaxError on a character XQL
 * has no use for. When reading a `\"` as a string's end leaves text that cannot be read (as in
 * `"\",\""`, the string `","`), that `\"` is read again as a quote; when a triple-quoted string
 * that skipped an escaped quote leaves such text, it is read again ending at its first `"""`. The
 * first error stands if no such reading works.
 */
export function tokenize(query: string): Token[] {
  const quotes = new Set<number>();
  let first: XqlSyntaxError | undefined;
  for (let attempt = 0; ; attempt++) {
    const c = new Cursor(query, quotes);
    try {
      return readTokens(c);
    } catch (error) {
      if (!(error instanceof XqlSyntaxError)) throw error;
      first ??= error;
      const retry = c.closings.findLast((at) => !quotes.has(at));
      if (retry === undefined || attempt >= MAX_REREADS) throw first;
      quotes.add(retry);
    }
  }
}

function readTokens(c: Cursor): Token[] {
  const query = c.text;
  const tokens: Token[] = [];
  for (;;) {
    skipTrivia(c);
    const position = { offset: c.offset, line: c.line, column: c.column };
    const ch = c.peek();
    if (ch === "") {
      tokens.push({ kind: "eof", text: "<EOF>", ...position });
      return tokens;
    }
    if (ch === '"' || ch === "'") tokens.push({ kind: "string", ...readString(c), ...position });
    else if (ch === "`") tokens.push({ kind: "ident", quoted: true, ...readQuotedName(c), ...position });
    else if (DIGIT.test(ch)) tokens.push({ ...readNumberOrWord(c), ...position });
    else if (IDENT_START.test(ch)) {
      while (IDENT_PART.test(c.peek())) c.advance();
      tokens.push({ kind: "ident", text: query.slice(position.offset, c.offset), ...position });
    } else {
      const symbol = SYMBOLS.find((s) => query.startsWith(s, c.offset));
      if (!symbol) throw recognitionError(c.line, c.column, ch);
      c.advance(symbol.length);
      tokens.push({ kind: "symbol", text: symbol, ...position });
    }
  }
}
