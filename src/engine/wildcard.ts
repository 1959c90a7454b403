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
