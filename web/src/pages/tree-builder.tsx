/** A visual AND/OR builder for BIOC filter trees: groups hold conditions and groups. */
import { FIELD_NAMES } from "./field-names.ts";

export type Leaf = { SEARCH_FIELD: string; SEARCH_TYPE: string; SEARCH_VALUE: string };
export type Node = { AND: Node[] } | { OR: Node[] } | Leaf;

export const OPERATORS = ["EQ", "NEQ", "CONTAINS", "NCONTAINS", "WILDCARD", "REGEX", "GTE", "LTE", "RANGE", "IS_EMPTY", "NIS_EMPTY"];

const isGroup = (node: Node): node is { AND: Node[] } | { OR: Node[] } => "AND" in node || "OR" in node;
const childrenOf = (node: { AND: Node[] } | { OR: Node[] }) => ("AND" in node ? node.AND : node.OR);
const withChildren = (node: { AND: Node[] } | { OR: Node[] }, children: Node[]): Node => ("AND" in node ? { AND: children } : { OR: children });

export const emptyLeaf = (): Leaf => ({ SEARCH_FIELD: "action_process_image_name", SEARCH_TYPE: "EQ", SEARCH_VALUE: "" });

export function TreeBuilder({ node, onChange, path = "root" }: { node: Node; onChange: (node: Node) => void; path?: string }) {
  if (!isGroup(node)) {
    const set = (key: keyof Leaf) => (e: Event) => onChange({ ...node, [key]: (e.target as HTMLInputElement).value });
    return (
      <div class="leaf" data-testid={`leaf-${path}`}>
        <input aria-label="Field" list="xdr-field-names" value={node.SEARCH_FIELD} onInput={set("SEARCH_FIELD")} />
        <select aria-label="Operator" value={node.SEARCH_TYPE} onChange={set("SEARCH_TYPE")}>
          {OPERATORS.map((op) => (
            <option key={op}>{op}</option>
          ))}
        </select>
        <input aria-label="Value" value={node.SEARCH_VALUE} onInput={set("SEARCH_VALUE")} />
      </div>
    );
  }
  const children = childrenOf(node);
  // One list of field-name suggestions for the whole tree, rendered with its root.
  const suggestions =
    path === "root" ? (
      <datalist id="xdr-field-names">
        {FIELD_NAMES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    ) : null;
  const replace = (i: number, child: Node) => onChange(withChildren(node, children.map((c, j) => (j === i ? child : c))));
  const remove = (i: number) => onChange(withChildren(node, children.filter((_, j) => j !== i)));
  return (
    <fieldset class="group">
      {suggestions}
      <legend>
        <select aria-label="Match" value={"AND" in node ? "AND" : "OR"} onChange={(e) => {
          const op = (e.target as HTMLSelectElement).value;
          onChange(op === "AND" ? { AND: children } : { OR: children });
        }}>
          <option value="AND">all of (AND)</option>
          <option value="OR">any of (OR)</option>
        </select>
      </legend>
      {children.map((child, i) => (
        <div class="child" key={`${path}.${i}`}>
          <TreeBuilder node={child} onChange={(c) => replace(i, c)} path={`${path}.${i}`} />
          <button type="button" aria-label="Remove" onClick={() => remove(i)}>
            ✕
          </button>
        </div>
      ))}
      <div class="buttons">
        <button type="button" onClick={() => onChange(withChildren(node, [...children, emptyLeaf()]))}>
          + Condition
        </button>
        <button type="button" onClick={() => onChange(withChildren(node, [...children, { OR: [emptyLeaf()] }]))}>
          + Group
        </button>
      </div>
    </fieldset>
  );
}
