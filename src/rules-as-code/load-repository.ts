import { loadIocs } from "./load-iocs.ts";
import { loadNamedRules } from "./load-named-rules.ts";
import type { Repository } from "./repo-model.ts";
import { NAMED_KINDS } from "./rule-kinds.ts";

/** Every rule in the repository at `root`, and every problem found reading and checking them. */
export function loadRepository(root: string): Repository {
  const parts = [loadIocs(root), ...NAMED_KINDS.map((kind) => loadNamedRules(kind, root))];
  return {
    rules: parts.flatMap((part) => part.rules),
    problems: parts.flatMap((part) => part.problems),
    files: parts.flatMap((part) => part.files),
  };
}
