/**
 * A recursive-descent parser for XQL. Errors carry ANTLR's wording and positions (1-based line,
 * 0-based column) so they read like the product's own: "no viable alternative at input '|alter2'",
 * "mismatched input 'x' expecting ...", "extraneous input ...", "missing ')' at ...".
 */
import type { BinaryOp, Expr, Pos, Query, Source, Stage, StageArg } from "./xql-ast.ts";
import { STAGE_NAMES } from "./xql-ast.ts";
import { type Token, tokenize, XqlSyntaxError } from "./xql-lexer.ts";

const SOURCE_WORDS = new Set(["dataset", "cold_dataset", "preset", "datamodel", "config"]);
const STAGES: ReadonlySet<string> = new Set(STAGE_NAMES);
const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">=", "~=", "!~="]);
const WORD_COMPARISONS = new Set(["contains", "in", "incidr", "incidr6"]);
const STAGE_KEYWORDS = new Set(["as", "by", "asc", "desc"]);
/** Operator words, never field names. */
const RESERVED = new Set(["and", "or", "not", "in", "contains", "incidr", "incidr6"]);

const pos = (token: Token): Pos => ({ line: token.line, column: token.column });

/**
 * How deep parentheses, `not`, calls, sub-queries and operator chains may nest: deeper queries are
 * refused with a position instead of exhausting the stack (no real rule comes near it).
 */
export const MAX_XQL_DEPTH = 200;

/** `a and b and c ...` as a balanced tree, so a long chain of conditions costs no stack depth. */
function balanced(op: "and" | "or", items: Expr[]): Expr {
  if (items.length === 1) return items[0] as Expr;
  const middle = Math.ceil(items.length / 2);
  const left = balanced(op, items.slice(0, middle));
  return { kind: "binary", op, left, right: balanced(op, items.slice(middle)), pos: left.pos };
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.i += 1;
    return token;
  }

  /** Whether the next token is this keyword (any case, never a backtick-quoted name) or symbol. */
  private at(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    if (token.kind === "symbol") return token.text === text;
    return token.kind === "ident" && !token.quoted && token.text.toLowerCase() === text;
  }

  /** One level deeper; `levels` are given back with leave(). */
  private enter(levels = 1): void {
    this.depth += levels;
    if (this.depth > MAX_XQL_DEPTH)
      this.fail(
        this.peek(),
        `the query nests deeper than ${MAX_XQL_DEPTH} levels (parentheses, not, calls, operators)`,
      );
  }

  private leave(levels = 1): void {
    this.depth -= levels;
  }

  private fail(token: Token, message: string): never {
    throw new XqlSyntaxError({ line: token.line, column: token.column, message });
  }

  private mismatched(expecting: string): never {
    const token = this.peek();
    return this.fail(token, `mismatched input '${token.text}' expecting ${expecting}`);
  }

  private expect(text: string, expecting = `'${text}'`): Token {
    if (!this.at(text)) this.mismatched(expecting);
    return this.next();
  }

  private ident(expecting: string): Token {
    if (this.peek().kind !== "ident") this.mismatched(expecting);
    return this.next();
  }

  /** The query, or a sub-query inside parentheses (which ends at the closing one). */
  query(nested: boolean): Query {
    const start = this.peek();
    const config = this.configs();
    const afterConfig = config.length > 0 && !this.isEnd(nested) ? this.expect("|", "{<EOF>, '|'}") : undefined;
    const source = this.sourceClause();
    const stages: Stage[] = [];
    if (!source && !this.isEnd(nested)) stages.push(this.stage(afterConfig));
    while (!this.isEnd(nested)) {
      if (!this.at("|")) this.fail(this.peek(), `extraneous input '${this.peek().text}' expecting {<EOF>, '|'}`);
      const pipe = this.next();
      stages.push(this.stage(pipe));
    }
    return { config, source, stages, pos: pos(start) };
  }

  private isEnd(nested: boolean): boolean {
    return this.peek().kind === "eof" || (nested && this.at(")"));
  }

  private configs(): Query["config"] {
    const config: Query["config"] = [];
    while (this.at("config")) {
      this.next();
      do {
        const name = this.ident("a config setting");
        if (this.at("between")) config.push({ name: name.text, value: this.between(), pos: pos(name) });
        else {
          this.expect("=");
          config.push({ name: name.text, value: this.expression(), pos: pos(name) });
        }
      } while (this.peek().kind === "ident" && (this.at("=", 1) || this.at("between", 1)));
      if (this.at("|") && this.at("config", 1)) this.next(); // config a = 1 | config b = 2
    }
    return config;
  }

  /** `timeframe between "30d" and "2d"` (a live export): the two ends, as a list. */
  private between(): Expr {
    const token = this.next();
    const from = this.additive();
    this.expect("and");
    return { kind: "list", items: [from, this.additive()], pos: pos(token) };
  }

  private sourceClause(): Source | undefined {
    const first = this.peek();
    const word = first.kind === "ident" ? first.text.toLowerCase() : "";
    if (first.quoted || !SOURCE_WORDS.has(word) || word === "config") return undefined;
    this.next();
    if (word === "datamodel") {
      if (!this.at("dataset")) return { kind: "datamodel", names: [], pos: pos(first) };
      this.next();
    }
    const names = this.sourceNames();
    return { kind: word as Source["kind"], names, pos: pos(first) };
  }

  private sourceNames(): string[] {
    if (this.at("in")) {
      this.next();
      this.expect("(");
      const names = [this.datasetName()];
      while (this.at(",")) {
        this.next();
        names.push(this.datasetName());
      }
      this.closeParen();
      return names;
    }
    this.expect("=", "{'=', 'in'}");
    return [this.datasetName()];
  }

  /** `xdr_data`, `"dropbox_raw"` or `` `x` ``. */
  private datasetName(): string {
    const token = this.peek();
    if (token.kind === "string") {
      this.next();
      return token.value as string;
    }
    return this.ident("a dataset name").text;
  }

  private closeParen(): void {
    if (this.at(")")) {
      this.next();
      return;
    }
    const token = this.peek();
    this.fail(token, `missing ')' at '${token.text}'`);
  }

  private stage(pipe: Token | undefined): Stage {
    const token = this.peek();
    const name = token.kind === "ident" && !token.quoted ? token.text.toLowerCase() : "";
    if (!STAGES.has(name)) {
      const from = pipe ?? token;
      const end = token.kind === "eof" ? from.offset + from.text.length : token.offset + token.text.length;
      const text = this.source.slice(from.offset, end);
      this.fail(from, `no viable alternative at input '${text}'`);
    }
    this.next();
    if (name === "filter") return { kind: "filter", expr: this.required(), pos: pos(token) };
    if (name === "alter") return { kind: "alter", assignments: this.assignments(), pos: pos(token) };
    if (name === "limit") {
      if (this.peek().kind !== "number") this.mismatched("a number");
      return { kind: "other", name, args: [{ kind: "expr", expr: this.primary() }], pos: pos(token) };
    }
    return { kind: "other", name, args: this.stageArgs(), pos: pos(token) };
  }

  /** An expression that must be there: the end of input or a pipe is reported as such. */
  private required(): Expr {
    if (this.peek().kind === "eof" || this.at("|")) this.mismatched("an expression");
    return this.expression();
  }

  private assignments(): { name: string; value: Expr; pos: Pos }[] {
    const list: { name: string; value: Expr; pos: Pos }[] = [];
    do {
      if (list.length > 0) this.next();
      const name = this.ident("a field name");
      this.expect("=");
      list.push({ name: name.text, value: this.required(), pos: pos(name) });
    } while (this.at(","));
    return list;
  }

  private startsSubquery(): boolean {
    const word = this.peek(1);
    return this.at("(") && word.kind === "ident" && SOURCE_WORDS.has(word.text.toLowerCase());
  }

  private stageArgs(): StageArg[] {
    const args: StageArg[] = [];
    while (!this.isEnd(true) && !this.at("|")) {
      const token = this.peek();
      if (this.at(",")) {
        this.next();
        if (this.isEnd(true) || this.at("|") || this.at(",")) this.mismatched("an expression");
      } else if (this.startsSubquery()) {
        this.next();
        this.enter();
        args.push({ kind: "subquery", query: this.query(true), pos: pos(token) });
        this.leave();
        this.closeParen();
      } else if (this.at("*") && (this.at(",", 1) || this.at("|", 1) || this.peek(1).kind === "eof")) {
        args.push({ kind: "keyword", word: this.next().text, pos: pos(token) }); // fields *
      } else if (token.kind === "ident" && this.at("*", 1) && this.endsArgument(2)) {
        this.next();
        this.next();
        args.push({ kind: "keyword", word: `${token.text}*`, pos: pos(token) }); // fields event_*
      } else if (token.kind === "ident" && !token.quoted && STAGE_KEYWORDS.has(token.text.toLowerCase())) {
        args.push({ kind: "keyword", word: this.next().text.toLowerCase(), pos: pos(token) });
      } else if (token.kind === "ident" && this.at("=", 1)) {
        this.next();
        this.next();
        args.push({ kind: "assign", name: token.text, value: this.required(), pos: pos(token) });
      } else args.push({ kind: "expr", expr: this.expression() });
    }
    return args;
  }

  /** Whether the token `ahead` ends a stage argument: a comma, a pipe, a closing parenthesis or the end. */
  private endsArgument(ahead: number): boolean {
    return this.at(",", ahead) || this.at("|", ahead) || this.at(")", ahead) || this.peek(ahead).kind === "eof";
  }

  expression(): Expr {
    this.enter();
    const expr = this.or();
    this.leave();
    return expr;
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): Expr {
    return { kind: "binary", op, left, right, pos: left.pos };
  }

  private or(): Expr {
    const first = this.and();
    if (!this.at("or")) return first;
    const items = [first];
    while (this.at("or")) {
      this.next();
      items.push(this.and());
    }
    return balanced("or", items);
  }

  private and(): Expr {
    const first = this.not();
    if (!this.at("and")) return first;
    const items = [first];
    while (this.at("and")) {
      this.next();
      items.push(this.not());
    }
    return balanced("and", items);
  }

  private not(): Expr {
    if (!this.at("not")) return this.comparison();
    const token = this.next();
    this.enter();
    const operand = this.not();
    this.leave();
    return { kind: "unary", op: "not", operand, pos: pos(token) };
  }

  private comparisonOp(): BinaryOp | undefined {
    const token = this.peek();
    if (token.kind === "symbol" && COMPARISONS.has(token.text)) return token.text as BinaryOp;
    if (token.kind !== "ident") return undefined;
    const word = token.text.toLowerCase();
    if (WORD_COMPARISONS.has(word)) return word as BinaryOp;
    const following = this.peek(1);
    if (word === "not" && following.kind === "ident" && WORD_COMPARISONS.has(following.text.toLowerCase())) {
      return `not ${following.text.toLowerCase()}` as BinaryOp;
    }
    return undefined;
  }

  private comparison(): Expr {
    const left = this.additive();
    const op = this.comparisonOp();
    if (!op) return left;
    this.next();
    if (op.startsWith("not ")) this.next();
    const listOperand = (op === "in" || op === "not in") && this.at("(");
    if (listOperand && this.startsSubquery()) return this.binary(op, left, this.subquery());
    return this.binary(op, left, listOperand ? this.list() : this.additive());
  }

  /** `(dataset = x | ... | fields y)` after `in`: the vendor's alternative to a join. */
  private subquery(): Expr {
    const open = this.next();
    this.enter();
    const query = this.query(true);
    this.leave();
    this.closeParen();
    return { kind: "subquery", query, pos: pos(open) };
  }

  /** Operator chains nest left-deep, so each operator counts as a level until the chain ends. */
  private additive(): Expr {
    let left = this.multiplicative();
    let levels = 0;
    while (this.at("+") || this.at("-")) {
      this.enter();
      levels += 1;
      left = this.binary(this.next().text as BinaryOp, left, this.multiplicative());
    }
    this.leave(levels);
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    let levels = 0;
    while (this.at("*") || this.at("/") || this.at("%")) {
      this.enter();
      levels += 1;
      left = this.binary(this.next().text as BinaryOp, left, this.unary());
    }
    this.leave(levels);
    return left;
  }

  private unary(): Expr {
    if (!this.at("-")) return this.postfix();
    const token = this.next();
    this.enter();
    const operand = this.unary();
    this.leave();
    return { kind: "unary", op: "-", operand, pos: pos(token) };
  }

  private postfix(): Expr {
    let expr = this.primary();
    let levels = 0;
    for (;;) {
      if (this.at("->")) {
        this.enter();
        levels += 1;
        this.next();
        const [path, as] = this.jsonPath();
        expr = { kind: "json", base: expr, path, as, pos: expr.pos };
      } else if (this.at("[")) {
        this.enter();
        levels += 1;
        this.next();
        const index = this.expression();
        this.expect("]");
        expr = { kind: "index", base: expr, index, pos: expr.pos };
      } else break;
    }
    this.leave(levels);
    return expr;
  }

  /** `-> a.b`, `-> ["a b"][0]`, `-> a[]` (array items), `-> a{}` (JSON text), `-> []` (the value as an array). */
  private jsonPath(): [(string | number)[], "value" | "array" | "json"] {
    const path: (string | number)[] = [];
    for (;;) {
      if (path.length > 0 && this.at(".")) this.next();
      if (this.at("[") && this.at("]", 1)) {
        this.next();
        this.next();
        return [path, "array"];
      }
      if (this.at("{") && this.at("}", 1)) {
        this.next();
        this.next();
        return [path, "json"];
      }
      if (this.at("[")) {
        this.next();
        const key = this.next();
        if (key.kind !== "string" && key.kind !== "number")
          this.fail(key, `mismatched input '${key.text}' expecting a key or index`);
        path.push(key.value as string | number);
        this.expect("]");
      } else path.push(this.ident("a JSON key").text);
      if (!this.at(".") && !this.at("[") && !this.at("{")) return [path, "value"];
    }
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case "number":
        this.next();
        return { kind: "literal", value: token.value as number, pos: pos(token) };
      case "string":
        this.next();
        return { kind: "literal", value: token.value as string, pos: pos(token) };
      case "word":
        this.next();
        return { kind: "word", text: token.text, pos: pos(token) };
      case "ident":
        if (token.quoted) {
          this.next();
          return { kind: "field", name: token.text, pos: pos(token) };
        }
        if (RESERVED.has(token.text.toLowerCase()) && !this.at("(", 1)) return this.mismatched("an expression");
        return this.identifier();
      default:
        if (this.at("(")) {
          this.enter();
          const expr = this.parenthesised();
          this.leave();
          return expr;
        }
        return this.mismatched("an expression");
    }
  }

  private identifier(): Expr {
    const token = this.next();
    const lower = token.text.toLowerCase();
    if (lower === "true" || lower === "false") return { kind: "literal", value: lower === "true", pos: pos(token) };
    if (lower === "null") return { kind: "literal", value: null, pos: pos(token) };
    if (this.at("(") && !this.startsSubquery()) return this.call(token);
    let name = token.text;
    while (this.at(".") && this.peek(1).kind === "ident") {
      this.next();
      name += `.${this.next().text}`;
    }
    if (name.toUpperCase().startsWith("ENUM."))
      return { kind: "enum", name: name.slice(5).toUpperCase(), pos: pos(token) };
    return { kind: "field", name, pos: pos(token) };
  }

  private call(name: Token): Expr {
    this.next();
    const args: Expr[] = [];
    while (!this.at(")")) {
      if (args.length > 0) {
        if (!this.at(",")) this.fail(this.peek(), `missing ')' at '${this.peek().text}'`);
        this.next();
      }
      if (this.at("*") && this.at(")", 1))
        this.next(); // count(*)
      else args.push(this.expression());
    }
    this.next();
    return { kind: "call", name: name.text.toLowerCase(), args, pos: pos(name) };
  }

  /** `(a, b, ...)`: always a list, even of one. */
  private list(): Expr & { kind: "list" } {
    const open = this.next();
    const items = [this.expression()];
    while (this.at(",")) {
      this.next();
      items.push(this.expression());
    }
    this.closeParen();
    return { kind: "list", items, pos: pos(open) };
  }

  /** `(x)` groups; `(a, b)` is a list. */
  private parenthesised(): Expr {
    const list = this.list();
    return list.items.length === 1 ? (list.items[0] as Expr) : list;
  }
}

/** Parses a whole query; throws XqlSyntaxError with the position of the first problem. */
export function parseXql(query: string): Query {
  const parser = new Parser(query, tokenize(query));
  return parser.query(false);
}
