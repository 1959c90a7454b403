/** The XQL syntax tree. Every node keeps the line (1-based) and column (0-based) where it starts. */

export interface Pos {
  line: number;
  column: number;
}

export type Expr =
  | { kind: "literal"; value: string | number | boolean | null; pos: Pos }
  | { kind: "field"; name: string; pos: Pos }
  | { kind: "enum"; name: string; pos: Pos }
  | { kind: "word"; text: string; pos: Pos }
  /** `base -> a.b[0]`; `as` "array" for `->a[]` (the array's items), "json" for `->a{}` (the value as JSON text). */
  | { kind: "json"; base: Expr; path: (string | number)[]; as: "value" | "array" | "json"; pos: Pos }
  | { kind: "index"; base: Expr; index: Expr; pos: Pos }
  | { kind: "call"; name: string; args: Expr[]; pos: Pos }
  | { kind: "list"; items: Expr[]; pos: Pos }
  | { kind: "unary"; op: "-" | "not"; operand: Expr; pos: Pos }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; pos: Pos }
  /** `x in (dataset = endpoints | fields name)`: the values another query returns. */
  | { kind: "subquery"; query: Query; pos: Pos };

export type BinaryOp =
  | "or"
  | "and"
  | "="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "~="
  | "!~="
  | "contains"
  | "not contains"
  | "in"
  | "not in"
  | "incidr"
  | "not incidr"
  | "incidr6"
  | "not incidr6"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

/** An argument of a stage other than filter and alter: kept for checks, not evaluated. */
export type StageArg =
  | { kind: "expr"; expr: Expr }
  | { kind: "assign"; name: string; value: Expr; pos: Pos }
  | { kind: "keyword"; word: string; pos: Pos }
  | { kind: "subquery"; query: Query; pos: Pos };

export type Stage =
  | { kind: "filter"; expr: Expr; pos: Pos }
  | { kind: "alter"; assignments: { name: string; value: Expr; pos: Pos }[]; pos: Pos }
  | { kind: "other"; name: string; args: StageArg[]; pos: Pos };

export interface Source {
  /** dataset, cold_dataset, preset, or datamodel (with a dataset). */
  kind: "dataset" | "cold_dataset" | "preset" | "datamodel";
  names: string[];
  pos: Pos;
}

export interface Query {
  /** `config name = value` settings, in order. */
  config: { name: string; value: Expr; pos: Pos }[];
  source: Source | undefined;
  stages: Stage[];
  pos: Pos;
}

export const STAGE_NAMES = [
  "filter",
  "alter",
  "fields",
  "comp",
  "sort",
  "limit",
  "dedup",
  "join",
  "union",
  "windowcomp",
  "arrayexpand",
  "replacenull",
  "bin",
  "top",
  "iploc",
  "call",
  "target",
  "view",
  "getrole",
  "tag",
  "search",
  "transaction",
] as const;
