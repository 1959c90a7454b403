/**
 * RE2 runs in time linear in its input, but the factor is the compiled program's size, and it runs
 * on the thread that matches events. So a pattern's program is capped when a rule is stored, and a
 * regex reads at most the first MAX_REGEX_INPUT characters of a field (docs/xql.md, SECURITY.md).
 */
import { RE2JS } from "re2js";

/** Instructions in one compiled pattern; `(.*a){1000}` needs 5,002, real detection regexes < 300. */
export const MAX_REGEX_PROGRAM = 1000;
/** Characters of one field value a regex reads; the rest of the value is not searched. */
export const MAX_REGEX_INPUT = 65_536;

/** The compiled pattern (case-insensitive unless told), or why it cannot be used. */
export function compileBoundedRegex(pattern: string, caseInsensitive = true): RE2JS | string {
  let regex: RE2JS;
  try {
    regex = caseInsensitive ? RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE) : RE2JS.compile(pattern);
  } catch (error) {
    return `does not compile under RE2 syntax: ${error instanceof Error ? error.message : String(error)}`;
  }
  const size = regex.programSize();
  if (size > MAX_REGEX_PROGRAM)
    return `compiles to ${size} instructions, more than the ${MAX_REGEX_PROGRAM} allowed; simplify the repetition`;
  return regex;
}

/** The part of a value a regex reads. */
export function regexSubject(text: string): string {
  return text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text;
}
