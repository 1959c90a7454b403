/**
 * A rule file (YAML, or JSON, which YAML reads too) with the positions of its fields, so every
 * problem can be reported as file:line:column.
 */
import { isMap, isScalar, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
import type { Position, Problem } from "./repo-model.ts";

export interface SourceFile {
  value: unknown;
  problems: Problem[];
  /** Where the node at a path (keys and list indexes) starts, if the file has it. */
  at(path: readonly (string | number)[]): Position | undefined;
  /** Where a top-level field's key is; the file's start when it is absent. */
  keyAt(field: string): Position;
  /** Where the text of a top-level string field starts, and how its lines are indented. */
  textAt(field: string): { at: Position; block: boolean; indent: number } | undefined;
}

export function parseSource(file: string, text: string): SourceFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const problems = doc.errors.map((error) => ({
    ...position(error.pos[0]),
    message: error.message.split("\n")[0] ?? "",
  }));
  const pair = (field: string) =>
    isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === field) : undefined;
  const start = { file, line: 1, column: 1 };
  return {
    value: problems.length > 0 ? undefined : doc.toJS(),
    problems,
    at: (path) => {
      const node = doc.getIn(path, true) as Node | undefined;
      return node?.range ? position(node.range[0]) : undefined;
    },
    keyAt: (field) => {
      const key = pair(field)?.key as Node | undefined;
      return key?.range ? position(key.range[0]) : start;
    },
    textAt: (field) => {
      const node = pair(field)?.value as Scalar | undefined;
      if (!isScalar(node) || !node.range) return undefined;
      const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
      const at = position(node.range[0]);
      if (!block) return { at: { ...at, column: at.column + (node.type === "PLAIN" ? 0 : 1) }, block, indent: 0 };
      // A block scalar's text starts on the line after its `|`, indented.
      const next = text.split("\n")[at.line] ?? "";
      return { at: { file, line: at.line + 1, column: 1 }, block, indent: next.length - next.trimStart().length };
    },
  };
}
