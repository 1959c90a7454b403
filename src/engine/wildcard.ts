/**
 * `*` matches any run of characters, everything else itself, over the whole value. Greedy with
 * one back-off point, so time stays O(value x pattern) at worst, whatever a tenant writes.
 * Both sides arrive lower-cased.
 */
export function wildcardMatch(value: string, pattern: string): boolean {
  let v = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] !== "*" && pattern[p] === value[v]) {
      v++;
      p++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** A matcher for one pattern; the common shapes (`x*`, `*x`, `*x*`, no star) skip the general loop. */
export function compileWildcard(pattern: string): (value: string) => boolean {
  const stars = pattern.split("*").length - 1;
  const inner = pattern.slice(1, -1);
  if (stars === 0) return (value) => value === pattern;
  if (stars === 1 && pattern.endsWith("*")) return (value) => value.startsWith(pattern.slice(0, -1));
  if (stars === 1 && pattern.startsWith("*")) return (value) => value.endsWith(pattern.slice(1));
  if (stars === 2 && pattern.startsWith("*") && pattern.endsWith("*")) return (value) => value.includes(inner);
  return (value) => wildcardMatch(value, pattern);
}
